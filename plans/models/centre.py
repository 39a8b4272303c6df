"""The centre's desk (issue 16): its settings, the officers' capacity, and coordinated procurements."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import ProcurementCentre

QUARTERS = (1, 2, 3, 4)


class CentreSettings(models.Model):
    """A centre's settings for its desk: what counts as a coordination candidate, and what a procurement
    weighs on an officer's quarter. Created with the defaults on first use (CentreSettings.of)."""

    centre = models.OneToOneField(
        ProcurementCentre,
        verbose_name=_("procurement centre"),
        related_name="desk_settings",
        on_delete=models.CASCADE,
    )
    coordination_cpv_digits = models.PositiveSmallIntegerField(
        _("same CPV: leading digits"),
        default=3,
        validators=[MinValueValidator(2), MaxValueValidator(8)],
        help_text=_(
            "Procurements whose CPV codes share this many leading digits are suggested: 3 is the group."
        ),
    )
    coordination_months = models.PositiveSmallIntegerField(
        _("advertisements within (months)"),
        default=6,
        validators=[MinValueValidator(0), MaxValueValidator(24)],
        help_text=_("Suggested only when their planned advertisements lie this close to each other."),
    )
    weight_strategic = models.DecimalField(
        _("weight of a strategic procurement"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("3"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("20"))],
    )
    weight_leverage = models.DecimalField(
        _("weight of a leverage procurement"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("2"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("20"))],
    )
    weight_bottleneck = models.DecimalField(
        _("weight of a bottleneck procurement"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("2"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("20"))],
    )
    weight_routine = models.DecimalField(
        _("weight of a routine procurement"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("20"))],
    )
    weight_direct_award = models.DecimalField(
        _("weight of a direct award"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.5"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("20"))],
        help_text=_("Whatever its quadrant."),
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("centre settings")
        verbose_name_plural = _("centre settings")

    def __str__(self):
        return str(self.centre)

    @classmethod
    def of(cls, centre) -> "CentreSettings":
        settings_, _created = cls.objects.get_or_create(centre=centre)
        return settings_


class OfficerCapacity(models.Model):
    """How many points of procurements one officer can carry in one quarter of a year."""

    centre = models.ForeignKey(
        ProcurementCentre,
        verbose_name=_("procurement centre"),
        related_name="capacities",
        on_delete=models.CASCADE,
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        related_name="capacities",
        on_delete=models.CASCADE,
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    points = models.DecimalField(
        _("capacity (points)"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("999"))],
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("officer capacity")
        verbose_name_plural = _("officer capacities")
        ordering = ["centre", "year", "officer", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "officer", "year", "quarter"], name="capacity_once_per_officer_quarter"
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="capacity_quarter_1_to_4"
            ),
        ]

    def __str__(self):
        return f"{self.officer} {self.year} Q{self.quarter}: {self.points}"


class CoordinationGroup(models.Model):
    """A coordinated procurement (samordnad upphandling): the same need of several municipalities of one
    centre, bought in one procurement that the lead runs. Each municipality keeps its own row in its own
    plan (Procurement.coordination); the group ends when it is dissolved or fewer than two remain."""

    centre = models.ForeignKey(
        ProcurementCentre,
        verbose_name=_("procurement centre"),
        related_name="coordination_groups",
        on_delete=models.CASCADE,
    )
    year = models.PositiveSmallIntegerField(_("plan year"))
    title = models.CharField(_("title"), max_length=300)
    lead = models.ForeignKey(
        "plans.Procurement",
        verbose_name=_("lead procurement"),
        related_name="+",
        null=True,
        on_delete=models.SET_NULL,
        help_text=_("The procurement that runs the tender; the others take part in it."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    dissolved_at = models.DateTimeField(_("dissolved"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("coordinated procurement")
        verbose_name_plural = _("coordinated procurements")
        ordering = ["centre", "year", "title", "pk"]
        indexes = [models.Index(fields=["centre", "year"], name="coordination_centre_year")]

    def __str__(self):
        return self.title

    @property
    def is_active(self) -> bool:
        return self.dissolved_at is None
