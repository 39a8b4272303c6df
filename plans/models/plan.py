"""Plans: their remiss window and adoption, and the rubric each plan is scored with."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from accounts.models import Municipality
from accounts.permissions import access_of
from plans.orders import rules as order_rules
from plans.remiss.phases import Phase, PhaseStatus, default_remiss_window, plan_phase_status
from plans.scoring.rules import RubricValues

DEFAULTS = RubricValues()


class PlanQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one place plans are scoped.

        Members see their municipalities' plans in every phase; everyone sees adopted plans, and drafts
        whose municipality publishes them from the day the remiss opens (accounts.permissions.can_view_plan).
        """
        access = access_of(user)
        return self.filter(Q(municipality_id__in=access.member_municipalities) | public_q())

    def public(self, today: date | None = None):
        """The plans everyone sees: adopted ones, and drafts published by their municipality in remiss."""
        return self.filter(public_q(today))


def public_q(today: date | None = None, prefix: str = "") -> Q:
    """Adopted, or a published draft whose remiss has opened (issue 17), for plans reached through prefix
    ("" or e.g. "plan__"): what accounts.permissions.can_view_plan lets everyone see."""
    today = today or timezone.localdate()
    return Q(**{f"{prefix}adopted_on__isnull": False}) | Q(
        **{f"{prefix}publish_draft": True, f"{prefix}remiss_starts__lte": today}
    )


def minutes_upload_path(plan, filename):
    return f"minutes/{plan.municipality.slug}/{plan.year}/{timezone.now():%Y%m%d-%H%M%S}.pdf"


class Plan(models.Model):
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), related_name="plans", on_delete=models.PROTECT
    )
    year = models.PositiveSmallIntegerField(
        _("plan year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    remiss_starts = models.DateField(
        _("remiss opens"), help_text=_("First day of the consultation. Default: 1 August of the year before.")
    )
    remiss_ends = models.DateField(
        _("remiss closes"),
        help_text=_("Last day of the consultation. Default: 30 November of the year before."),
    )
    order_starts = models.DateField(
        _("orders open"),
        null=True,
        blank=True,
        help_text=_("First day departments order. Empty: 1 February of the year before."),
    )
    order_ends = models.DateField(
        _("orders close"),
        null=True,
        blank=True,
        help_text=_("Last day departments order. Empty: 31 May of the year before."),
    )
    adopted_on = models.DateField(
        _("adopted on"), null=True, blank=True, help_text=_("The date of the procurement board's decision.")
    )
    adoption_minute_ref = models.CharField(
        _("minute reference"), max_length=100, blank=True, help_text=_("E.g. UN 2016-12-14 § 87.")
    )
    adoption_minutes = models.FileField(
        _("minutes (PDF)"),
        upload_to=minutes_upload_path,
        blank=True,
        max_length=300,
        help_text=_("The board's minutes of the decision, as a PDF."),
    )
    # Issue 17: what the plan shows the public besides the adopted plan.
    publish_draft = models.BooleanField(
        _("publish the draft during the remiss"),
        default=False,
        help_text=_(
            "From the day the remiss opens until adoption, the public and suppliers see the plan as a draft "
            "(without confidential values), in the plan and under Coming procurements."
        ),
    )
    show_officer_email = models.BooleanField(
        _("show the responsible officer's e-mail"),
        default=False,
        help_text=_(
            "The public procurement page names the responsible officer's e-mail for suppliers' questions."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Bumped by every change of the window or the adoption; a change based on an older one is refused.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = PlanQuerySet.as_manager()
    public_q = staticmethod(public_q)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["municipality__name", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year"], name="plan_unique_per_municipality_and_year"
            ),
            models.CheckConstraint(
                condition=Q(remiss_starts__lte=models.F("remiss_ends")), name="plan_window_ordered"
            ),
            # The order window is both days (in order) or neither, the default.
            models.CheckConstraint(
                condition=Q(order_starts__isnull=True, order_ends__isnull=True)
                | Q(order_starts__lte=models.F("order_ends")),
                name="plan_order_window_whole",
            ),
        ]

    def __str__(self):
        return _("Procurement plan %(year)s – %(municipality)s") % {
            "year": self.year,
            "municipality": self.municipality,
        }

    def save(self, *args, **kwargs):
        default_start, default_end = default_remiss_window(self.year)
        if self.remiss_starts is None:
            self.remiss_starts = default_start
        if self.remiss_ends is None:
            self.remiss_ends = default_end
        creating = self._state.adding
        super().save(*args, **kwargs)
        if creating:
            Rubric.objects.get_or_create(plan=self)

    def get_absolute_url(self):
        return reverse("plans:plan", kwargs={"municipality": self.municipality.slug, "year": self.year})

    def clean(self):
        if (self.order_starts is None) != (self.order_ends is None):
            raise ValidationError(
                {"order_ends": _("Give both days of the order window, or neither for the default.")}
            )
        if self.remiss_starts and self.remiss_ends and self.remiss_starts > self.remiss_ends:
            raise ValidationError({"remiss_ends": _("The remiss cannot close before it opens.")})
        if self.adopted_on and self.adopted_on > timezone.localdate():
            raise ValidationError({"adopted_on": _("An adoption cannot be recorded ahead of the decision.")})

    def phase_status(self, today: date | None = None) -> PhaseStatus:
        return plan_phase_status(
            today=today or timezone.localdate(),
            remiss_starts=self.remiss_starts,
            remiss_ends=self.remiss_ends,
            adopted_on=self.adopted_on,
        )

    @property
    def phase(self) -> Phase:
        return self.phase_status().phase

    def order_window(self, today: date | None = None) -> order_rules.OrderWindow:
        """The window in which departments order (issue 14): the plan's own days, else the default."""
        default_start, default_end = order_rules.default_order_window(self.year)
        return order_rules.order_window(
            today=today or timezone.localdate(),
            starts=self.order_starts or default_start,
            ends=self.order_ends or default_end,
        )

    @property
    def is_adopted(self) -> bool:
        return self.adopted_on is not None

    @cached_property
    def rubric_values(self) -> RubricValues:
        rubric, _created = Rubric.objects.get_or_create(plan=self)
        return rubric.values()


class Rubric(models.Model):
    """A plan's scoring rubric (DESIGN §3). Created with the plan from the defaults; frozen once adopted."""

    plan = models.OneToOneField(Plan, verbose_name=_("plan"), related_name="rubric", on_delete=models.CASCADE)
    direct_award_limit = models.PositiveBigIntegerField(
        _("direct-award limit (SEK)"),
        default=DEFAULTS.direct_award_limit,
        help_text=_("Below it, E = 0. 700 000 SEK in LOU since February 2022."),
    )
    eu_threshold = models.PositiveBigIntegerField(
        _("EU threshold (SEK)"),
        default=DEFAULTS.eu_threshold,
        help_text=_("Municipalities' goods and services. Below it, E = 1. 2 389 585 SEK in 2024–25."),
    )
    economic_limit_3 = models.PositiveBigIntegerField(
        _("E = 3 from (SEK)"), default=DEFAULTS.economic_limit_3, help_text=_("Below it, E = 2.")
    )
    economic_limit_4 = models.PositiveBigIntegerField(
        _("E = 4 from (SEK)"), default=DEFAULTS.economic_limit_4
    )
    economic_limit_5 = models.PositiveBigIntegerField(
        _("E = 5 from (SEK)"), default=DEFAULTS.economic_limit_5
    )
    employment_points = models.PositiveSmallIntegerField(
        _("employment requirement"), default=DEFAULTS.employment_points
    )
    reserved_points = models.PositiveSmallIntegerField(
        _("reserved contract"), default=DEFAULTS.reserved_points
    )
    labour_points = models.PositiveSmallIntegerField(
        _("labour-law conditions"), default=DEFAULTS.labour_points
    )
    lots_points = models.PositiveSmallIntegerField(_("divided into lots"), default=DEFAULTS.lots_points)
    climate_low_points = models.PositiveSmallIntegerField(
        _("climate impact low"), default=DEFAULTS.climate_points["low"]
    )
    climate_medium_points = models.PositiveSmallIntegerField(
        _("climate impact medium"), default=DEFAULTS.climate_points["medium"]
    )
    climate_high_points = models.PositiveSmallIntegerField(
        _("climate impact high"), default=DEFAULTS.climate_points["high"]
    )
    environment_none_points = models.PositiveSmallIntegerField(
        _("environmental requirements none"), default=DEFAULTS.environmental_points["none"]
    )
    environment_bas_points = models.PositiveSmallIntegerField(
        _("environmental requirements bas"), default=DEFAULTS.environmental_points["bas"]
    )
    environment_avancerad_points = models.PositiveSmallIntegerField(
        _("environmental requirements avancerad"), default=DEFAULTS.environmental_points["avancerad"]
    )
    environment_spjutspets_points = models.PositiveSmallIntegerField(
        _("environmental requirements spjutspets"), default=DEFAULTS.environmental_points["spjutspets"]
    )
    single_supplier_points = models.PositiveSmallIntegerField(
        _("one possible supplier"), default=DEFAULTS.single_supplier_points
    )
    few_suppliers_points = models.PositiveSmallIntegerField(
        _("two or three possible suppliers"), default=DEFAULTS.few_suppliers_points
    )
    business_critical_points = models.PositiveSmallIntegerField(
        _("business-critical"), default=DEFAULTS.business_critical_points
    )
    switching_cost_points = models.PositiveSmallIntegerField(
        _("high switching cost or lock-in"), default=DEFAULTS.switching_cost_points
    )
    significant_economic = models.PositiveSmallIntegerField(
        _("significant economic weight (E ≥)"), default=DEFAULTS.significant_economic
    )
    significant_social = models.PositiveSmallIntegerField(
        _("significant social weight (S ≥)"), default=DEFAULTS.significant_social
    )
    significant_environmental = models.PositiveSmallIntegerField(
        _("significant environmental weight (M ≥)"), default=DEFAULTS.significant_environmental
    )
    weight_economic = models.DecimalField(
        _("weight of E"), max_digits=3, decimal_places=2, default=DEFAULTS.weight_economic
    )
    weight_social = models.DecimalField(
        _("weight of S"), max_digits=3, decimal_places=2, default=DEFAULTS.weight_social
    )
    weight_environmental = models.DecimalField(
        _("weight of M"), max_digits=3, decimal_places=2, default=DEFAULTS.weight_environmental
    )
    weight_risk = models.DecimalField(
        _("weight of R"), max_digits=3, decimal_places=2, default=DEFAULTS.weight_risk
    )
    coordinated_value = models.BooleanField(
        _("coordinated: score the combined value"),
        default=DEFAULTS.coordinated_value,
        help_text=_(
            "A coordinated procurement's economic weight counts the value of every municipality in it."
        ),
    )
    freeze_lead_weeks = models.PositiveSmallIntegerField(
        _("requirements freeze (weeks before advertisement)"),
        default=DEFAULTS.freeze_lead_weeks,
        help_text=_("Politicians must be in before the requirements are set."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    SCALAR_FIELDS = (
        "direct_award_limit",
        "eu_threshold",
        "economic_limit_3",
        "economic_limit_4",
        "economic_limit_5",
        "employment_points",
        "reserved_points",
        "labour_points",
        "lots_points",
        "single_supplier_points",
        "few_suppliers_points",
        "business_critical_points",
        "switching_cost_points",
        "significant_economic",
        "significant_social",
        "significant_environmental",
        "weight_economic",
        "weight_social",
        "weight_environmental",
        "weight_risk",
        "freeze_lead_weeks",
        "coordinated_value",
    )
    CLIMATE_FIELDS = {
        "low": "climate_low_points",
        "medium": "climate_medium_points",
        "high": "climate_high_points",
    }
    ENVIRONMENT_FIELDS = {
        "none": "environment_none_points",
        "bas": "environment_bas_points",
        "avancerad": "environment_avancerad_points",
        "spjutspets": "environment_spjutspets_points",
    }
    EDITABLE_FIELDS = SCALAR_FIELDS + tuple(CLIMATE_FIELDS.values()) + tuple(ENVIRONMENT_FIELDS.values())

    class Meta:
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")

    def __str__(self):
        return _("Rubric of %(plan)s") % {"plan": self.plan}

    def values(self) -> RubricValues:
        return rubric_values_from(self)


def rubric_values_from(source) -> RubricValues:
    """RubricValues from a Rubric, or from any object or dict-like with the same field names."""
    get = source.get if isinstance(source, dict) else lambda name: getattr(source, name)
    return RubricValues(
        **{name: get(name) for name in Rubric.SCALAR_FIELDS},
        climate_points={level: get(name) for level, name in Rubric.CLIMATE_FIELDS.items()},
        environmental_points={level: get(name) for level, name in Rubric.ENVIRONMENT_FIELDS.items()},
    )
