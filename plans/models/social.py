"""Social enterprises, what was decided on their matches, and the labour reserve (issue 18).

The minutes (§ 2, § 5): Falun supports work-integration social enterprises (KSA 120919), the enterprises
have listed the services they can deliver, 2 547 people stand outside the labour market and the
labour-market department reaches 800. The register is kept per procurement centre, by its officers and
the municipalities' labour-market coordinators; a procurement whose CPV code or category the register
offers shows the enterprises (plans.social.matching), and the officer records what was decided."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Municipality, OrgNumberField, ProcurementCentre
from plans.models.procurement import Procurement


class SocialEnterprise(models.Model):
    """A work-integration social enterprise (arbetsintegrerande socialt företag) in the centre's register."""

    centre = models.ForeignKey(
        ProcurementCentre,
        verbose_name=_("procurement centre"),
        related_name="social_enterprises",
        on_delete=models.CASCADE,
    )
    name = models.CharField(_("name"), max_length=200)
    org_number = OrgNumberField(
        _("organisation number"), blank=False, help_text=_("Ten digits, e.g. 802456-1234.")
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        related_name="social_enterprises",
        on_delete=models.PROTECT,
        help_text=_("Where the enterprise is based: one of the municipalities the centre serves."),
    )
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact telephone"), max_length=40, blank=True)
    # The services as CPV codes (eight digits each, issue 17) and as the plan's categories; a category
    # alone matches only orders and procurements without a CPV code (plans.social.matching).
    cpv_codes = models.JSONField(_("CPV codes"), default=list, blank=True)
    categories = models.JSONField(_("categories"), default=list, blank=True)
    services = models.TextField(
        _("services"), max_length=2000, blank=True, help_text=_("What the enterprise delivers, in words.")
    )
    capacity = models.PositiveIntegerField(
        _("capacity (people a year)"),
        null=True,
        blank=True,
        help_text=_("How many people the enterprise can take in a year."),
    )
    reserved_qualified = models.BooleanField(
        _("qualifies for reserved contracts"),
        default=False,
        help_text=_(
            "Its main aim is the social and professional integration of people with disabilities or "
            "disadvantaged people, and at least 30 per cent of its employees are such people "
            "(LOU 4 kap. 18 §)."
        ),
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )

    class Meta:
        verbose_name = _("social enterprise")
        verbose_name_plural = _("social enterprises")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "org_number"], name="social_enterprise_once_per_centre"
            ),
        ]

    def __str__(self):
        return self.name


class SocialDecision(models.Model):
    """What the officer decided on a procurement's match with the register, and why (one per
    procurement; the history keeps every earlier decision)."""

    class Decision(models.TextChoices):
        RESERVED = "reserved", _("Reserved contract")
        LOT = "lot", _("A lot sized for social enterprises")
        EMPLOYMENT = "employment", _("Employment requirement")
        NOT_SUITABLE = "not_suitable", _("Not suitable")

    procurement = models.OneToOneField(
        Procurement, verbose_name=_("procurement"), related_name="social_decision", on_delete=models.CASCADE
    )
    decision = models.CharField(_("decision"), max_length=12, choices=Decision.choices)
    reason = models.TextField(_("reason"), max_length=2000)
    # Whether the decision set its field on the procurement (a reserved contract, lots, an employment
    # requirement) rather than finding it set: a changed decision takes back only what it set itself.
    applied = models.BooleanField(_("set on the procurement"), default=False, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        related_name="+",
        null=True,
        on_delete=models.SET_NULL,
    )
    decided_at = models.DateTimeField(_("decided"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("decision on social enterprises")
        verbose_name_plural = _("decisions on social enterprises")

    def __str__(self):
        return f"{self.procurement.ref}: {self.get_decision_display()}"

    @property
    def taken(self) -> bool:
        return self.decision != self.Decision.NOT_SUITABLE


class LabourReserve(models.Model):
    """The municipality's labour reserve in a year: people outside the labour market, and how many of them
    the labour-market department reached (the minutes' 2 547 and 800)."""

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), related_name="labour_reserve", on_delete=models.CASCADE
    )
    year = models.PositiveSmallIntegerField(_("year"))
    outside = models.PositiveIntegerField(
        _("people outside the labour market"),
        help_text=_("E.g. from the municipality's labour-market report."),
    )
    reached = models.PositiveIntegerField(
        _("people reached"),
        null=True,
        blank=True,
        help_text=_("How many of them the labour-market department reached that year."),
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("labour reserve")
        verbose_name_plural = _("labour reserve")
        ordering = ["municipality", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="labour_reserve_once_per_year"),
            models.CheckConstraint(
                condition=Q(reached__isnull=True) | Q(reached__lte=F("outside")),
                name="labour_reserve_reached_within_outside",
            ),
        ]

    def __str__(self):
        return f"{self.municipality} {self.year}: {self.outside}"
