"""The outbox: every mail, written before it is sent, at most once per person and occasion."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """A notification sent to one person for one occasion; it is never sent twice."""

    class Kind(models.TextChoices):
        REMISS_OPENED = "remiss_opened", _("The remiss opened")
        DIGEST = "digest", _("Weekly digest")
        REMINDER = "reminder", _("Reminder before the remiss closes")
        INVOLVEMENT = "involvement", _("Request for early involvement")
        ORDER = "order", _("An officer handled an order")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("to"), related_name="notifications", on_delete=models.CASCADE
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # What makes the occasion unique, e.g. "plan:12" or "plan:12:week:2026-W47".
    occasion = models.CharField(_("occasion"), max_length=100)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "occasion"], name="notification_once_per_occasion"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.user} ({self.occasion})"
