"""The municipality's goals (mål): what its procurements should help reach (issue 14).

A goal belongs to the municipality, not to one plan: "fossil-free Falun 2035" spans many plans. Orders
and procurements name the goals they serve; the follow-up and the board brief show, per goal, the
procurements that serve it and how far they have come. The goals replace the follow-up's "custom
targets" (one list, not two); the follow-up's targets are now only those for its key figures."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Municipality


class Goal(models.Model):
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), related_name="goals", on_delete=models.CASCADE
    )
    title = models.CharField(
        _("goal"), max_length=200, help_text=_("E.g. 40 % organic food in the kitchens.")
    )
    target_value = models.DecimalField(
        _("target value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=30, blank=True, help_text=_("E.g. per cent or cars."))
    target_year = models.PositiveSmallIntegerField(_("target year"), null=True, blank=True)
    measured_by = models.TextField(
        _("how it is measured"), blank=True, help_text=_("Where the figure comes from, and who reports it.")
    )
    # The figure reached so far, entered by hand (e.g. 25 cars), and the year it refers to.
    reached = models.DecimalField(_("reached"), max_digits=14, decimal_places=2, null=True, blank=True)
    reached_year = models.PositiveSmallIntegerField(_("reached in"), null=True, blank=True)
    # Bumped on every save; an edit based on an older version is refused.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["municipality", "target_year", "title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "title"], name="goal_title_once_per_municipality")
        ]

    def __str__(self):
        return self.title
