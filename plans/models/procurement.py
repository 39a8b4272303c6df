"""Procurements: what a plan orders, with the rubric's scores kept on the row, and the strategic flags."""

from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from plans.models.plan import Plan
from plans.register import validation
from plans.scoring.rules import Inputs, Quadrant, assess


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
    # The department's expert (sakkunnig), who writes the requirements (issue 14).
    expert_name = models.CharField(_("expert"), max_length=200, blank=True)
    expert_email = models.EmailField(_("expert's e-mail"), blank=True)
    goals = models.ManyToManyField(
        "plans.Goal",
        verbose_name=_("goals"),
        related_name="procurements",
        blank=True,
        help_text=_("The municipality's goals this procurement serves."),
    )
    # Issue 16: a coordinated procurement (samordnad upphandling) with other municipalities of the centre,
    # set and cleared only by plans.centre.coordination. The group's combined value and how many other
    # municipalities take part are kept on the row, so that one UPDATE rescores a plan (rescoring.py).
    coordination = models.ForeignKey(
        "plans.CoordinationGroup",
        verbose_name=_("coordinated procurement"),
        related_name="members",
        null=True,
        blank=True,
        editable=False,
        # A group is dissolved, never deleted: it stays in its members' history.
        on_delete=models.PROTECT,
    )
    coordinated_value_sek = models.PositiveBigIntegerField(
        _("coordinated value (SEK)"), null=True, blank=True, editable=False
    )
    coordinated_with = models.PositiveSmallIntegerField(
        _("coordinated with (municipalities)"), default=0, editable=False
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
    # Issue 17: when the procurement was first seen among the coming procurements (plans.pipeline): set
    # once, never changed, so that a supplier's weekly alert names each procurement once.
    public_since = models.DateTimeField(_("public since"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ProcurementQuerySet.as_manager()

    class Meta:
        verbose_name = _("procurement")
        verbose_name_plural = _("procurements")
        ordering = ["plan", "ref"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "ref"], name="procurement_ref_unique_in_plan"),
            # A group's combined value is there exactly when the row takes part with others.
            models.CheckConstraint(
                condition=Q(coordinated_value_sek__isnull=True, coordinated_with=0)
                | Q(coordinated_value_sek__isnull=False, coordinated_with__gt=0, coordination__isnull=False),
                name="procurement_coordinated_value_whole",
            ),
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
            # The coming procurements (plans.pipeline) across every plan, in advertisement order.
            models.Index(fields=["planned_advertisement", "id"], name="procurement_advertised"),
            models.Index(fields=["public_since"], name="procurement_public_since"),
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
