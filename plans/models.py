"""What: yearly plans and the procurements ordered in them."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Department, Municipality
from accounts.permissions import access_of

from . import validation
from .phases import Phase, PhaseStatus, default_remiss_window, plan_phase_status


class PlanQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one place plans are scoped.

        Members see their municipalities' plans in every phase; everyone sees adopted plans.
        """
        access = access_of(user)
        return self.filter(Q(municipality_id__in=access.member_municipalities) | Q(adopted_on__isnull=False))


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
    adopted_on = models.DateField(
        _("adopted on"), null=True, blank=True, help_text=_("The date of the procurement board's decision.")
    )
    adoption_minute_ref = models.CharField(
        _("minute reference"), max_length=100, blank=True, help_text=_("E.g. UN 2016-12-14 § 87.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PlanQuerySet.as_manager()

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
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("plans:plan", kwargs={"municipality": self.municipality.slug, "year": self.year})

    def clean(self):
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


class Category(models.TextChoices):
    # Varor: things delivered, e.g. vehicles, food, workwear.
    GOODS = "goods", _("Goods")
    # Tjänster: work done for the municipality, e.g. laundry, cleaning, transport.
    SERVICES = "services", _("Services")
    # Byggentreprenad: construction and civil works.
    WORKS = "works", _("Works")


class Procedure(models.TextChoices):
    """The procedures of LOU (2016:1145); the OCDS method for each lives in the OCDS export."""

    OPEN = "open", _("Open procedure")
    SELECTIVE = "selective", _("Restricted procedure")
    NEGOTIATED_WITH_NOTICE = "negotiated_with_notice", _("Negotiated procedure with prior publication")
    NEGOTIATED_WITHOUT_NOTICE = (
        "negotiated_without_notice",
        _("Negotiated procedure without prior publication"),
    )
    COMPETITIVE_DIALOGUE = "competitive_dialogue", _("Competitive dialogue")
    INNOVATION_PARTNERSHIP = "innovation_partnership", _("Innovation partnership")
    # Annonserad upphandling under tröskelvärdena (LOU chapter 19).
    BELOW_THRESHOLD = "below_threshold", _("Advertised procurement below the thresholds")
    # Direktupphandling: below the direct-award limit, no advertisement.
    DIRECT_AWARD = "direct_award", _("Direct award")
    # Förnyad konkurrensutsättning within an existing framework agreement.
    MINI_COMPETITION = "mini_competition", _("Mini-competition under a framework agreement")
    DYNAMIC_PURCHASING = "dynamic_purchasing", _("Dynamic purchasing system")


class ClimateImpact(models.TextChoices):
    # The category's climate impact, as the centre's model judges it.
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class EnvironmentalLevel(models.TextChoices):
    # The levels of the national procurement agency's sustainability criteria.
    NONE = "none", _("None")
    BAS = "bas", _("Basic (bas)")
    AVANCERAD = "avancerad", _("Advanced (avancerad)")
    SPJUTSPETS = "spjutspets", _("Spearhead (spjutspets)")


class ProcurementQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(plan__in=Plan.objects.visible_to(user))

    def with_related(self):
        return self.select_related("plan__municipality", "department", "officer")

    def with_shown_value(self, *, show_confidential: bool):
        """Annotate shown_value: the estimated value, or NULL where it is confidential to this viewer."""
        if show_confidential:
            return self.annotate(shown_value=F("estimated_value_sek"))
        return self.annotate(
            shown_value=Case(
                When(confidential=True, then=Value(None)),
                default=F("estimated_value_sek"),
                output_field=models.PositiveBigIntegerField(),
            )
        )


class Procurement(models.Model):
    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), related_name="procurements", on_delete=models.CASCADE
    )
    ref = models.CharField(
        _("reference"),
        max_length=40,
        validators=[validation.validate_ref],
        help_text=_("Unique within the plan; part of the procurement's address."),
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), related_name="procurements", on_delete=models.PROTECT
    )
    category = models.CharField(_("category"), max_length=10, choices=Category.choices)
    cpv = models.CharField(
        _("CPV code"),
        max_length=10,
        validators=[validation.validate_cpv],
        help_text=_("Common Procurement Vocabulary: eight digits, optionally with a check digit."),
    )
    estimated_value_sek = models.PositiveBigIntegerField(
        _("estimated value (SEK)"),
        help_text=_("Estimated total contract value in SEK, all years and options included."),
    )
    duration_months = models.PositiveSmallIntegerField(
        _("contract period (months)"),
        validators=[validation.validate_duration],
        help_text=_("Including options to extend, 1–120 months."),
    )
    planned_advertisement = models.DateField(_("planned advertisement"))
    current_contract_ends = models.DateField(
        _("current contract ends"),
        null=True,
        blank=True,
        help_text=_("Leave empty if there is no current contract."),
    )
    procedure = models.CharField(_("procedure"), max_length=30, choices=Procedure.choices)
    possible_suppliers = models.PositiveSmallIntegerField(
        _("possible suppliers"),
        null=True,
        blank=True,
        validators=[validation.validate_possible_suppliers],
        help_text=_("How many suppliers could deliver; leave empty if unknown."),
    )
    business_critical = models.BooleanField(
        _("business-critical"), default=False, help_text=_("The operation stops if the contract fails.")
    )
    high_switching_cost = models.BooleanField(
        _("high switching cost"),
        default=False,
        help_text=_("Changing supplier is costly, or there is lock-in."),
    )
    employment_requirement = models.BooleanField(
        _("employment requirement"),
        default=False,
        help_text=_(
            "The supplier must employ people who stand outside the labour market (sysselsättningskrav)."
        ),
    )
    reserved_contract = models.BooleanField(
        _("reserved contract"),
        default=False,
        help_text=_("Reserved for work-integration social enterprises."),
    )
    labour_conditions = models.BooleanField(
        _("labour-law conditions"),
        default=False,
        help_text=_("Requirements on wages, holidays and working hours (arbetsrättsliga villkor)."),
    )
    lots = models.BooleanField(
        _("divided into lots"), default=False, help_text=_("Split into lots so that small suppliers can bid.")
    )
    climate_impact = models.CharField(
        _("climate impact"), max_length=10, choices=ClimateImpact.choices, default=ClimateImpact.LOW
    )
    environmental_level = models.CharField(
        _("environmental requirements"),
        max_length=12,
        choices=EnvironmentalLevel.choices,
        default=EnvironmentalLevel.NONE,
    )
    innovation = models.BooleanField(_("innovation procurement"), default=False)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible officer"),
        related_name="procurements",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    confidential = models.BooleanField(
        _("confidential"),
        default=False,
        help_text=_(
            "The estimated value and the description are shown only to the procurement centre "
            "(secrecy before award, OSL 19:3)."
        ),
    )
    # Bumped on every save; an edit based on an older version is refused instead of overwriting.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ProcurementQuerySet.as_manager()

    # Fields hidden from those who may not see confidential values.
    CONFIDENTIAL_FIELDS = ("estimated_value_sek", "description")

    class Meta:
        verbose_name = _("procurement")
        verbose_name_plural = _("procurements")
        ordering = ["plan", "ref"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "ref"], name="procurement_ref_unique_in_plan"),
            models.CheckConstraint(
                condition=Q(duration_months__gte=validation.MIN_DURATION_MONTHS)
                & Q(duration_months__lte=validation.MAX_DURATION_MONTHS),
                name="procurement_duration_in_range",
            ),
        ]
        indexes = [
            models.Index(fields=["plan", "department"], name="procurement_plan_department"),
            models.Index(fields=["plan", "estimated_value_sek"], name="procurement_plan_value"),
            models.Index(fields=["plan", "planned_advertisement"], name="procurement_plan_advertised"),
        ]

    def __str__(self):
        return f"{self.ref} {self.title}"

    def get_absolute_url(self):
        return reverse(
            "plans:procurement",
            kwargs={"municipality": self.plan.municipality.slug, "year": self.plan.year, "ref": self.ref},
        )

    def clean(self):
        errors = {}
        if self.planned_advertisement and self.plan_id:
            message = validation.advertisement_error(self.planned_advertisement, self.plan.year)
            if message:
                errors["planned_advertisement"] = message
        if (
            self.department_id
            and self.plan_id
            and self.department.municipality_id != self.plan.municipality_id
        ):
            errors["department"] = _("The department must belong to the plan's municipality.")
        if errors:
            raise ValidationError(errors)
