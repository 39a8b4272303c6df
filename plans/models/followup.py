"""Follow-up: what a procurement delivered, the municipality's targets and the national reference figures."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from plans.dates import add_months
from plans.models.plan import Plan
from plans.models.procurement import EnvironmentalLevel, Procurement


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
