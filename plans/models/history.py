"""The readable record of decisions and changes: who, when, what, from what to what."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from plans.models.plan import Plan
from plans.models.procurement import Procurement


class HistoryEntry(models.Model):
    """Who changed what, when, from what to what: a procurement, a plan, its rubric, guidance, flags."""

    class Action(models.TextChoices):
        CREATED = "created", pgettext_lazy("history action", "created")
        CHANGED = "changed", pgettext_lazy("history action", "changed")
        DELETED = "deleted", pgettext_lazy("history action", "deleted")
        IMPORTED = "imported", pgettext_lazy("history action", "imported")
        FLAGGED = "flagged", pgettext_lazy("history action", "flagged strategic")
        UNFLAGGED = "unflagged", pgettext_lazy("history action", "removed the strategic flag")
        GUIDANCE = "guidance", pgettext_lazy("history action", "gave guidance")
        INVOLVEMENT = "involvement", pgettext_lazy("history action", "asked for early involvement")
        COMMENTED = "commented", pgettext_lazy("history action", "commented")
        ANSWERED = "answered", pgettext_lazy("history action", "answered a comment")
        CONFIRMED = "confirmed", pgettext_lazy("history action", "confirmed the department's needs")
        RUBRIC = "rubric", pgettext_lazy("history action", "changed the rubric")
        WINDOW = "window", pgettext_lazy("history action", "set the plan's windows")
        ADOPTED = "adopted", pgettext_lazy("history action", "recorded the adoption")
        PUBLICATION = "publication", pgettext_lazy("history action", "set what the plan publishes")
        TAKEN_IN = "taken_in", pgettext_lazy("history action", "took in an order")
        MERGED = "merged", pgettext_lazy("history action", "merged an order into it")
        COORDINATED = (
            "coordinated",
            pgettext_lazy("history action", "coordinated it with other municipalities"),
        )
        LEFT_GROUP = (
            "left_group",
            pgettext_lazy("history action", "took it out of the coordinated procurement"),
        )
        DISSOLVED = "dissolved", pgettext_lazy("history action", "dissolved the coordinated procurement")
        ASSIGNED = "assigned", pgettext_lazy("history action", "assigned the officer")
        REGROUPED = (
            "regrouped",
            pgettext_lazy("history action", "scored it again: the coordinated procurement's value changed"),
        )
        SOCIAL = "social", pgettext_lazy("history action", "decided on the social enterprises' match")

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), related_name="history", on_delete=models.CASCADE)
    procurement = models.ForeignKey(
        Procurement,
        verbose_name=_("procurement"),
        null=True,
        blank=True,
        related_name="history",
        on_delete=models.SET_NULL,
    )
    ref = models.CharField(_("reference"), max_length=40, blank=True, help_text=_("Kept after a deletion."))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL
    )
    action = models.CharField(_("what"), max_length=12, choices=Action.choices)
    # {field name: [before, after]} as text; or a note under "note".
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("history entry")
        verbose_name_plural = _("history")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["procurement", "created_at"], name="history_procurement_created")]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.user} {self.get_action_display()} {self.ref}"
