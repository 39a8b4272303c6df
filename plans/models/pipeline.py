"""Suppliers' alerts on the coming procurements (issue 17): an address, a saved search, its confirmation.

Nothing else is kept about a subscriber: no name, no password, no log of what was opened. The address is
confirmed by a signed link (double opt-in) before any alert goes to it; an unconfirmed one is forgotten
after the link expires (plans.pipeline.alerts.forget_unconfirmed).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Subscription(models.Model):
    email = models.EmailField(_("e-mail address"), max_length=254)
    # The search as its normal query string (plans.pipeline.search.saved_query): "cpv_group=341&q=bilar".
    # Long enough for the longest: 200 characters of words, each percent-encoded to up to 12.
    query = models.CharField(_("search"), max_length=3000, blank=True)
    created_at = models.DateTimeField(_("subscribed"), auto_now_add=True)
    # When the last confirmation link was sent: one resend an hour at most, so the form cannot flood an inbox.
    confirmation_sent_at = models.DateTimeField(_("confirmation sent"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    # The procurements that became public up to this moment have been mailed (or were there at confirmation).
    sent_until = models.DateTimeField(_("alerted until"), null=True, blank=True)

    class Meta:
        verbose_name = _("supplier alert")
        verbose_name_plural = _("supplier alerts")
        ordering = ["email", "query"]
        constraints = [
            models.UniqueConstraint(fields=["email", "query"], name="subscription_once_per_search"),
        ]
        indexes = [models.Index(fields=["confirmed_at", "sent_until"], name="subscription_due")]

    def __str__(self):
        return f"{self.email}: {self.query or '*'}"

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None
