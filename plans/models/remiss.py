"""The remiss: guidance, early involvement, comments, needs confirmed, and the plan as the remiss found it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from plans.models.plan import Plan
from plans.models.procurement import Procurement


class Guidance(models.Model):
    """A politician's guidance on a strategic procurement during the remiss."""

    class Kind(models.TextChoices):
        # Handle it within the existing budget frame.
        WITHIN_FRAME = "within_frame", _("Within the existing budget frame")
        # It needs money beyond the frame.
        ADDITIONAL_FUNDING = "additional_funding", _("Needs additional funding")
        # It needs a political decision before the requirements are set.
        POLITICAL_DECISION = "political_decision", _("Needs a political decision")
        # Politics need not be involved.
        NO_INVOLVEMENT = "no_involvement", _("No political involvement needed")

    procurement = models.ForeignKey(
        Procurement, verbose_name=_("procurement"), related_name="guidance", on_delete=models.CASCADE
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL
    )
    kind = models.CharField(_("guidance"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("text"), max_length=4000)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("guidance")
        verbose_name_plural = _("guidance")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["procurement", "created_at"], name="guidance_procurement_created")]

    def __str__(self):
        return f"{self.procurement.ref}: {self.get_kind_display()}"


class EarlyInvolvement(models.Model):
    """A politician asks to be involved early (market dialogue before the requirements are set)."""

    procurement = models.ForeignKey(
        Procurement,
        verbose_name=_("procurement"),
        related_name="involvement_requests",
        on_delete=models.CASCADE,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL
    )
    text = models.TextField(_("what the politician wants to know or say"), max_length=4000, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("request for early involvement")
        verbose_name_plural = _("requests for early involvement")
        ordering = ["-created_at", "-pk"]
        # One request per politician and procurement: a second click must not mail the officer again.
        constraints = [
            models.UniqueConstraint(fields=["procurement", "user"], name="involvement_once_per_politician")
        ]

    def __str__(self):
        return f"{self.procurement.ref}: {self.user}"


class Comment(models.Model):
    """A comment on a procurement during the remiss; an officer answers it and marks it handled."""

    procurement = models.ForeignKey(
        Procurement, verbose_name=_("procurement"), related_name="comments", on_delete=models.CASCADE
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, related_name="+", on_delete=models.SET_NULL
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text=_("The department a representative speaks for."),
    )
    text = models.TextField(_("comment"), max_length=4000)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    handled = models.BooleanField(_("handled"), default=False)
    response = models.TextField(_("response"), max_length=4000, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["procurement", "created_at"], name="comment_procurement_created")]

    def __str__(self):
        return f"{self.procurement.ref}: {self.text[:40]}"


class NeedsConfirmation(models.Model):
    """A department representative confirms that the department's needs are correctly described."""

    procurement = models.ForeignKey(
        Procurement, verbose_name=_("procurement"), related_name="confirmations", on_delete=models.CASCADE
    )
    department = models.ForeignKey(Department, verbose_name=_("department"), on_delete=models.CASCADE)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("confirmation of needs")
        verbose_name_plural = _("confirmations of needs")
        constraints = [
            models.UniqueConstraint(
                fields=["procurement", "department"], name="needs_confirmed_once_per_department"
            )
        ]

    def __str__(self):
        return f"{self.procurement.ref}: {self.department}"


class PlanSnapshot(models.Model):
    """The plan as it stood when the remiss opened, so reviewers can see what moved since."""

    plan = models.OneToOneField(
        Plan, verbose_name=_("plan"), related_name="snapshot", on_delete=models.CASCADE
    )
    taken_at = models.DateTimeField(_("taken"), auto_now_add=True)
    # {ref: {field: value as text}} for the fields in SNAPSHOT_FIELDS.
    data = models.JSONField(_("procurements"), default=dict)

    class Meta:
        verbose_name = _("snapshot at the opening of the remiss")
        verbose_name_plural = _("snapshots at the opening of the remiss")

    def __str__(self):
        return f"{self.plan} @ {self.taken_at:%Y-%m-%d}"
