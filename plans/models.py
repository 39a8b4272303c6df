"""What: yearly plans and the procurements ordered in them."""

from datetime import date, timedelta
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Department, Municipality
from accounts.permissions import access_of

from . import validation
from .phases import Phase, PhaseStatus, default_remiss_window, plan_phase_status
from .scoring import Inputs, Quadrant, RubricValues, assess

DEFAULTS = RubricValues()


class PlanQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one place plans are scoped.

        Members see their municipalities' plans in every phase; everyone sees adopted plans.
        """
        access = access_of(user)
        return self.filter(Q(municipality_id__in=access.member_municipalities) | Q(adopted_on__isnull=False))


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
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Bumped by every change of the window or the adoption; a change based on an older one is refused.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

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
        creating = self._state.adding
        super().save(*args, **kwargs)
        if creating:
            Rubric.objects.get_or_create(plan=self)

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


SCORE_FIELDS = (
    "economic_score",
    "social_score",
    "environmental_score",
    "supply_risk_score",
    "kraljic",
    "strategic",
    "priority",
)


class ProcurementQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(plan__in=Plan.objects.visible_to(user))

    def strategic(self):
        return self.filter(strategic=True)


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
    flagged_strategic = models.BooleanField(
        _("flagged strategic"),
        default=False,
        editable=False,
        help_text=_("Set and removed through a flag with a reason (StrategicFlag), never directly."),
    )
    # The rubric's results, kept on the row so that the plan table sorts and filters on them.
    # Recomputed on every save and, for a whole plan, when its rubric changes (services.plan_rescore).
    economic_score = models.PositiveSmallIntegerField(_("economic weight (E)"), default=0, editable=False)
    social_score = models.PositiveSmallIntegerField(_("social weight (S)"), default=0, editable=False)
    environmental_score = models.PositiveSmallIntegerField(
        _("environmental weight (M)"), default=0, editable=False
    )
    supply_risk_score = models.PositiveSmallIntegerField(_("supply risk (R)"), default=0, editable=False)
    kraljic = models.CharField(
        _("Kraljic quadrant"),
        max_length=10,
        choices=Quadrant.choices,
        default=Quadrant.ROUTINE,
        editable=False,
    )
    strategic = models.BooleanField(_("strategic for review"), default=False, editable=False)
    priority = models.DecimalField(_("priority"), max_digits=4, decimal_places=1, default=0, editable=False)
    # Bumped on every save; an edit based on an older version is refused instead of overwriting.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ProcurementQuerySet.as_manager()

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
            models.Index(fields=["plan", "priority"], name="procurement_plan_priority"),
            models.Index(
                fields=["plan", "strategic", "planned_advertisement"], name="procurement_plan_strategic"
            ),
        ]

    def __str__(self):
        return f"{self.ref} {self.title}"

    def save(self, *args, **kwargs):
        """Every save scores the procurement with its plan's rubric."""
        self.apply(self.assessment())
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = set(kwargs["update_fields"]) | set(SCORE_FIELDS)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse(
            "plans:procurement",
            kwargs={"municipality": self.plan.municipality.slug, "year": self.plan.year, "ref": self.ref},
        )

    @staticmethod
    def address(plan_url: str, ref: str) -> str:
        """get_absolute_url() from the plan's address, without reverse(): for pages that link fifty or
        a thousand procurements of one plan. The ref is quoted as reverse() quotes a path argument."""
        return f"{plan_url}{quote(ref, safe=RFC3986_SUBDELIMS + '/~:@')}/"

    def assessment(self):
        """The rubric's verdict on this procurement, with the reasons, in the user's language."""
        return assess(Inputs.of(self), self.plan.rubric_values)

    def apply(self, assessment):
        for name, value in assessment.stored_values().items():
            setattr(self, name, value)

    @property
    def requirements_freeze(self):
        return self.assessment().freeze_date

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


class StrategicFlag(models.Model):
    """Someone flagged a procurement strategic, or removed the flag, with a reason. The newest one counts."""

    procurement = models.ForeignKey(
        Procurement, verbose_name=_("procurement"), related_name="flags", on_delete=models.CASCADE
    )
    flagged = models.BooleanField(
        _("flagged"), help_text=_("True when flagged; false when the flag was removed.")
    )
    reason = models.TextField(_("reason"), max_length=2000)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("strategic flag")
        verbose_name_plural = _("strategic flags")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.procurement.ref}: {'+' if self.flagged else '-'} {self.reason[:40]}"


def import_upload_path(job, filename):
    return f"imports/{job.plan.municipality.slug}/{job.plan.year}/{timezone.now():%Y%m%d-%H%M%S}-{filename}"


class ImportJob(models.Model):
    """One uploaded file on its way into a plan: checked (a preview), then, once confirmed, imported.

    It has its own page, so an officer can leave while a large file is processed and find it again.
    """

    class Status(models.TextChoices):
        # Uploaded; the rows are being read and checked.
        CHECKING = "checking", _("Checking")
        # Every row is sound; the preview waits for the officer's confirmation.
        READY = "ready", _("Ready to import")
        # The file, or at least one row, is bad: nothing can be imported.
        REFUSED = "refused", _("Refused")
        # Confirmed; being written.
        IMPORTING = "importing", _("Importing")
        # Written: the plan holds the file's rows.
        DONE = "done", _("Imported")

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), related_name="imports", on_delete=models.CASCADE)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL
    )
    file = models.FileField(_("file"), upload_to=import_upload_path, max_length=300)
    filename = models.CharField(_("file name"), max_length=200)
    create_departments = models.BooleanField(_("create missing departments"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CHECKING)
    # The whole file was refused (not a spreadsheet, a missing column …): the reason.
    message = models.TextField(_("message"), blank=True)
    # The preview or the outcome: ImportResult.as_dict().
    result = models.JSONField(_("result"), default=dict, blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.filename} → {self.plan}"

    def get_absolute_url(self):
        return reverse(
            "plans:import_job",
            kwargs={"municipality": self.plan.municipality.slug, "year": self.plan.year, "job": self.pk},
        )

    @property
    def busy(self) -> bool:
        return self.status in (self.Status.CHECKING, self.Status.IMPORTING)

    @property
    def progress_key(self) -> str:
        return f"import-progress-{self.pk}"


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
        WINDOW = "window", pgettext_lazy("history action", "set the remiss window")
        ADOPTED = "adopted", pgettext_lazy("history action", "recorded the adoption")

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


class Notification(models.Model):
    """A notification sent to one person for one occasion; it is never sent twice."""

    class Kind(models.TextChoices):
        REMISS_OPENED = "remiss_opened", _("The remiss opened")
        DIGEST = "digest", _("Weekly digest")
        REMINDER = "reminder", _("Reminder before the remiss closes")
        INVOLVEMENT = "involvement", _("Request for early involvement")

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


class Outcome(models.Model):
    """What a procurement delivered: recorded by officers, also after the plan is adopted."""

    class Status(models.TextChoices):
        # Not advertised yet.
        NOT_STARTED = "not_started", _("Not started")
        # Advertised; bids are coming in or being evaluated.
        ADVERTISED = "advertised", _("Advertised")
        # The contract is awarded.
        AWARDED = "awarded", _("Awarded")
        # Cancelled (avbruten).
        CANCELLED = "cancelled", _("Cancelled")
        # The award is appealed (överprövad) and before the court.
        APPEALED = "appealed", _("Appealed")

    class AppealOutcome(models.TextChoices):
        PENDING = "pending", _("Pending")
        # The court rejected the appeal: the award stands.
        REJECTED = "rejected", _("Appeal rejected")
        # The court upheld the appeal: the procurement is redone or corrected.
        UPHELD = "upheld", _("Appeal upheld")
        WITHDRAWN = "withdrawn", _("Appeal withdrawn")

    procurement = models.OneToOneField(
        Procurement, verbose_name=_("procurement"), related_name="outcome", on_delete=models.CASCADE
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    advertised_on = models.DateField(_("advertised"), null=True, blank=True)
    bids = models.PositiveSmallIntegerField(_("number of bids"), null=True, blank=True)
    sme_bids = models.PositiveSmallIntegerField(
        _("bids from small and medium suppliers"), null=True, blank=True, help_text=_("Of the bids above.")
    )
    appealed = models.BooleanField(_("appealed"), default=False, help_text=_("Överprövad in court."))
    appeal_outcome = models.CharField(
        _("the court's outcome"), max_length=10, choices=AppealOutcome.choices, blank=True
    )
    awarded_value_sek = models.PositiveBigIntegerField(_("awarded value (SEK)"), null=True, blank=True)
    contract_starts = models.DateField(
        _("contract starts"), null=True, blank=True, help_text=_("With the contract period, when it ends.")
    )
    people_employed = models.PositiveSmallIntegerField(
        _("people employed"), null=True, blank=True, help_text=_("Through the employment requirement.")
    )
    internships = models.PositiveSmallIntegerField(_("internships"), null=True, blank=True)
    social_enterprise_awarded = models.BooleanField(
        _("awarded to a social enterprise"), default=False, help_text=_("A reserved contract went to one.")
    )
    environmental_level_reached = models.CharField(
        _("environmental level reached"), max_length=12, choices=EnvironmentalLevel.choices, blank=True
    )
    innovation = models.BooleanField(_("innovation procurement"), default=False)
    notes = models.TextField(_("notes"), blank=True, max_length=4000)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        constraints = [
            models.CheckConstraint(
                condition=Q(sme_bids__isnull=True) | Q(bids__isnull=True) | Q(sme_bids__lte=models.F("bids")),
                name="outcome_sme_bids_within_bids",
            )
        ]

    def __str__(self):
        return f"{self.procurement.ref}: {self.get_status_display()}"

    @property
    def single_bid(self) -> bool:
        return self.bids == 1

    @property
    def contract_ends(self):
        if self.contract_starts is None:
            return None
        from .exports.ocds import add_months

        return add_months(self.contract_starts, self.procurement.duration_months) - timedelta(days=1)


class Target(models.Model):
    """The municipality's target for a key figure of a plan, or a custom goal (40 % organic food)."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), related_name="targets", on_delete=models.CASCADE)
    key = models.CharField(
        _("key figure"),
        max_length=40,
        blank=True,
        help_text=_("Empty for a custom target of the municipality's."),
    )
    label = models.CharField(_("label"), max_length=200, blank=True)
    value = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=20, blank=True, help_text=_("E.g. per cent or bids."))
    # For a custom target: the figure reached, entered by hand (e.g. the organic share from the kitchens).
    actual = models.DecimalField(_("reached"), max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["key", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "key"], condition=~Q(key=""), name="target_once_per_key_figure_and_plan"
            )
        ]

    def __str__(self):
        return f"{self.plan}: {self.label or self.key} {self.value}{self.unit}"


class NationalReference(models.Model):
    """A national reference figure, editable: e.g. 4.6 bids on average in Sweden 2024."""

    key = models.CharField(_("key figure"), max_length=40)
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("national reference figure")
        verbose_name_plural = _("national reference figures")
        ordering = ["key", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["key", "year"], name="national_reference_once_per_year")
        ]

    def __str__(self):
        return f"{self.key} {self.year}: {self.value}"


class CalendarToken(models.Model):
    """A private, revocable address for one person's calendar feed of the plans they may see."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        related_name="calendar_token",
        on_delete=models.CASCADE,
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar link")
        verbose_name_plural = _("calendar links")

    def __str__(self):
        return f"{self.user}"
