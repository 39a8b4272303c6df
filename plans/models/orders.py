"""Orders (beställningar): what a department orders for next year's plan, before an officer takes it in."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from plans.models.plan import Plan
from plans.models.procurement import Category, EnvironmentalLevel, Procurement
from plans.orders.rules import OrderStatus
from plans.register import validation


class BudgetStatus(models.TextChoices):
    # The department can pay for it within its existing budget frame.
    WITHIN_FRAME = "within_frame", _("Within the budget frame")
    # It needs funding that the department does not have yet.
    NEEDS_FUNDING = "needs_funding", _("Needs funding")


class Order(models.Model):
    """One department's order of a procurement for a plan, from its submission to an officer's decision.

    Accepted, it becomes a procurement of the plan (procurement); merged, it joins one already there."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), related_name="orders", on_delete=models.CASCADE)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), related_name="orders", on_delete=models.PROTECT
    )
    title = models.CharField(_("title"), max_length=300)
    need = models.TextField(_("the need"), help_text=_("What the department needs, and why."))
    category = models.CharField(_("category"), max_length=10, choices=Category.choices)
    cpv = models.CharField(
        _("CPV code"),
        max_length=10,
        blank=True,
        validators=[validation.validate_cpv],
        help_text=_("Optional: eight digits, with or without the check digit."),
    )
    estimated_value_sek = models.PositiveBigIntegerField(
        _("estimated value (SEK)"), help_text=_("The whole contract: all years and options.")
    )
    estimation_basis = models.TextField(
        _("how the value was estimated"),
        blank=True,
        help_text=_("E.g. this year's costs, a quote, a survey."),
    )
    desired_start = models.DateField(_("desired contract start"), null=True, blank=True)
    current_contract_ends = models.DateField(
        _("current contract ends"), null=True, blank=True, help_text=_("Empty for a new need.")
    )
    new_need = models.BooleanField(_("new need"), default=False, help_text=_("There is no current contract."))
    duration_months = models.PositiveSmallIntegerField(
        _("contract period (months)"),
        validators=[validation.validate_duration],
        help_text=_("Including options to extend, 1–120 months."),
    )
    options = models.CharField(_("options"), max_length=300, blank=True, help_text=_("E.g. 2 + 1 + 1 years."))
    budget_status = models.CharField(
        _("budget"), max_length=14, choices=BudgetStatus.choices, default=BudgetStatus.WITHIN_FRAME
    )
    # The social and environmental ambition the department wants.
    employment_requirement = models.BooleanField(_("employment requirement"), default=False)
    reserved_contract = models.BooleanField(_("reserved contract"), default=False)
    labour_conditions = models.BooleanField(_("labour-law conditions"), default=False)
    lots = models.BooleanField(_("divided into lots"), default=False)
    environmental_level = models.CharField(
        _("environmental requirements"),
        max_length=12,
        choices=EnvironmentalLevel.choices,
        default=EnvironmentalLevel.NONE,
    )
    # The department's expert (sakkunnig), who will write the requirements.
    expert_name = models.CharField(_("expert"), max_length=200, blank=True)
    expert_email = models.EmailField(_("expert's e-mail"), blank=True)
    goals = models.ManyToManyField(
        "plans.Goal",
        verbose_name=_("goals"),
        related_name="orders",
        blank=True,
        help_text=_("The municipality's goals the order serves."),
    )
    confidential = models.BooleanField(
        _("confidential"),
        default=False,
        help_text=_("The estimated value and the need are shown only to the procurement centre (OSL 19:3)."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=[(status.value, status.label) for status in OrderStatus],
        default=OrderStatus.SUBMITTED.value,
    )
    # The last question an officer asked, the department's answer, and a decline's reason.
    question = models.TextField(_("question"), blank=True)
    answer = models.TextField(_("answer"), blank=True)
    reason = models.TextField(_("reason"), blank=True)
    procurement = models.ForeignKey(
        Procurement,
        verbose_name=_("procurement"),
        related_name="orders",
        null=True,
        blank=True,
        # A taken-in order keeps its procurement: deleting that procurement sends its orders back to
        # the queue first (register.services.procurement_delete); deleting the whole plan takes both.
        on_delete=models.RESTRICT,
        help_text=_("The procurement it became, or was merged into."),
    )
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ordered by"),
        related_name="+",
        null=True,
        on_delete=models.SET_NULL,
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    # Bumped on every save; an action or edit based on an older version is refused.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("ordered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["plan", "-created_at", "-pk"]
        indexes = [models.Index(fields=["plan", "status"], name="order_plan_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_months__gte=validation.MIN_DURATION_MONTHS)
                & Q(duration_months__lte=validation.MAX_DURATION_MONTHS),
                name="order_duration_in_range",
            ),
            # An accepted or merged order names its procurement; the others none.
            models.CheckConstraint(
                condition=Q(status__in=["accepted", "merged"], procurement__isnull=False)
                | (~Q(status__in=["accepted", "merged"]) & Q(procurement__isnull=True)),
                name="order_procurement_when_taken_in",
            ),
        ]

    def __str__(self):
        return f"{self.department.code}: {self.title}"

    def clean(self):
        if (
            self.department_id
            and self.plan_id
            and self.department.municipality_id != self.plan.municipality_id
        ):
            raise ValidationError({"department": _("The department must belong to the plan's municipality.")})


class OrderEvent(models.Model):
    """One step of an order, attributed and time-stamped: what the department sees of its order's way."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("placed the order")
        EDITED = "edited", _("changed the order")
        ASKED = "asked", _("asked for more information")
        ANSWERED = "answered", _("answered the question")
        ACCEPTED = "accepted", _("took it into the plan")
        MERGED = "merged", _("merged it into a procurement of the plan")
        DECLINED = "declined", _("declined it")
        # Its procurement was removed from the plan: the order waits in the queue again.
        RETURNED = "returned", _("removed its procurement; the order is back in the queue")

    order = models.ForeignKey(Order, verbose_name=_("order"), related_name="events", on_delete=models.CASCADE)
    action = models.CharField(_("what"), max_length=10, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), related_name="+", null=True, on_delete=models.SET_NULL
    )
    text = models.TextField(_("text"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("order event")
        verbose_name_plural = _("order events")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.order_id}: {self.action}"
