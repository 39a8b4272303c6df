"""Who: the procurement centre, the municipalities it serves, their departments, users and their roles."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from accounts.org_numbers import OrgNumberError, normalise_org_number, validate_org_number
from accounts.permissions import Access


class OrgNumberField(models.CharField):
    """An organisation number, stored as NNNNNN-NNNN (accounts.org_numbers). A form takes it as people
    write it (2120002080, 212000 2080 …); one that is not a number, or has a wrong check digit, is
    refused with one message, beside the field."""

    default_validators = [validate_org_number]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 11)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)
        # A number that passes the check is 11 characters written: "at most 11 characters" beside the
        # rule's own message would only say the same thing twice.
        self.validators[:] = [v for v in self.validators if not isinstance(v, MaxLengthValidator)]

    def to_python(self, value):
        """The number as NNNNNN-NNNN where it is one (on a form, and on saving); anything else as it
        is, for the validator to refuse (a lookup with it finds nothing rather than failing)."""
        value = super().to_python(value)
        try:
            return normalise_org_number(value or "")
        except OrgNumberError:
            return value

    def formfield(self, **kwargs):
        # Room for the number as it is written (spaces, a century) before it is read.
        return super().formfield(**{"max_length": 20, **kwargs})


ORG_NUMBER_HELP = _("Ten digits, e.g. 212000-2080. Published in the open data (OCDS, scheme SE-BLV).")


class ProcurementCentre(models.Model):
    """A procurement centre (upphandlingscenter) that runs procurements for several municipalities."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    org_number = OrgNumberField(_("organisation number"), help_text=ORG_NUMBER_HELP)

    class Meta:
        verbose_name = _("procurement centre")
        verbose_name_plural = _("procurement centres")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Municipality(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("short name"),
        max_length=60,
        unique=True,
        help_text=_("Used in addresses, e.g. falun in /plans/falun/2027/."),
    )
    centre = models.ForeignKey(
        ProcurementCentre,
        verbose_name=_("procurement centre"),
        related_name="municipalities",
        on_delete=models.PROTECT,
        help_text=_("The procurement centre that runs this municipality's procurements."),
    )
    org_number = OrgNumberField(_("organisation number"), help_text=ORG_NUMBER_HELP)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Department(models.Model):
    """A department (förvaltning) of one municipality; it orders procurements and sits in LUGI."""

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), related_name="departments", on_delete=models.CASCADE
    )
    code = models.CharField(_("code"), max_length=20, help_text=_("Short code, e.g. SERV."))
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["municipality__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "code"], name="department_code_unique_per_municipality"
            ),
        ]

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A person who logs in. What they may do comes from their memberships, not from flags on the user."""

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self):
        return self.get_full_name() or self.username

    @cached_property
    def access(self):
        """What this user may see and do, as plain values for the rules in accounts.permissions."""
        return read_access(self)


class Role(models.TextChoices):
    # UhC staff: create, edit, import, score and export procurements; record follow-up.
    OFFICER = "officer", _("Procurement officer")
    # UhC management: create plans, set the remiss window and rubric, record the board's adoption.
    PLAN_ADMIN = "plan_admin", _("Plan administrator")
    # An elected member of one municipality: reads its plans, works the review queue during remiss.
    POLITICIAN = "politician", _("Politician")
    # One department's member of the liaison group (LUGI): reads the plans, comments during remiss.
    DEPARTMENT_REP = "department_rep", _("Department representative")
    # A municipality's labour-market coordinator ("matcharen", issue 18): keeps the centre's register of
    # social enterprises and the municipality's labour reserve; reads its plans and orders.
    COORDINATOR = "coordinator", _("Labour-market coordinator")


class Membership(models.Model):
    """One role of one user, at a procurement centre, a municipality or a department."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), related_name="memberships", on_delete=models.CASCADE
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    centre = models.ForeignKey(
        ProcurementCentre,
        verbose_name=_("procurement centre"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("For procurement officers and plan administrators."),
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("For politicians, department representatives and labour-market coordinators."),
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("For department representatives."),
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                name="membership_scope_matches_role",
                condition=(
                    models.Q(
                        role__in=["officer", "plan_admin"],
                        centre__isnull=False,
                        municipality__isnull=True,
                        department__isnull=True,
                    )
                    | models.Q(
                        role__in=["politician", "coordinator"],
                        centre__isnull=True,
                        municipality__isnull=False,
                        department__isnull=True,
                    )
                    | models.Q(
                        role="department_rep",
                        centre__isnull=True,
                        municipality__isnull=False,
                        department__isnull=False,
                    )
                ),
            ),
        ]

    def __str__(self):
        place = self.department or self.municipality or self.centre
        return f"{self.user} – {self.get_role_display()} – {place}"

    def save(self, *args, **kwargs):
        if self.role == Role.DEPARTMENT_REP and self.department_id and not self.municipality_id:
            self.municipality_id = self.department.municipality_id
        super().save(*args, **kwargs)

    def clean(self):
        if self.role in (Role.OFFICER, Role.PLAN_ADMIN):
            if not self.centre_id or self.municipality_id or self.department_id:
                raise ValidationError(
                    _("Officers and plan administrators belong to a procurement centre only.")
                )
        elif self.role == Role.POLITICIAN:
            if not self.municipality_id or self.centre_id or self.department_id:
                raise ValidationError(_("A politician belongs to one municipality only."))
        elif self.role == Role.COORDINATOR:
            if not self.municipality_id or self.centre_id or self.department_id:
                raise ValidationError(_("A labour-market coordinator belongs to one municipality only."))
        elif self.role == Role.DEPARTMENT_REP:
            if not self.department_id or self.centre_id:
                raise ValidationError(_("A department representative belongs to one department."))
            if self.municipality_id and self.municipality_id != self.department.municipality_id:
                raise ValidationError(_("The department must belong to the municipality."))


def read_access(user) -> Access:
    """Read a user's memberships, with the municipalities of the centres among them, into an Access
    (one query; a superuser's takes two more, for every municipality and every centre)."""
    if not getattr(user, "is_authenticated", False):
        return Access.anonymous()
    officer, admin = set(), set()
    officer_centres, admin_centres = set(), set()
    politician, departments, department_municipalities = set(), set(), set()
    coordinator, coordinator_centres = set(), set()
    # A centre membership comes once per municipality the centre serves (none: once, with None).
    rows = Membership.objects.filter(user=user).values_list(
        "role",
        "municipality_id",
        "department_id",
        "centre_id",
        "centre__municipalities__id",
        "municipality__centre_id",
    )
    for role, municipality_id, department_id, centre_id, served, municipality_centre in rows:
        if role == Role.OFFICER:
            officer_centres.add(centre_id)
            if served is not None:
                officer.add(served)
        elif role == Role.PLAN_ADMIN:
            admin_centres.add(centre_id)
            if served is not None:
                admin.add(served)
        elif role == Role.POLITICIAN:
            politician.add(municipality_id)
        elif role == Role.DEPARTMENT_REP:
            departments.add(department_id)
            department_municipalities.add(municipality_id)
        elif role == Role.COORDINATOR:
            coordinator.add(municipality_id)
            coordinator_centres.add(municipality_centre)
    if user.is_superuser:
        officer = admin = set(Municipality.objects.values_list("id", flat=True))
        officer_centres = admin_centres = set(ProcurementCentre.objects.values_list("id", flat=True))
    officer, admin = frozenset(officer), frozenset(admin)
    return Access(
        authenticated=True,
        superuser=user.is_superuser,
        officer_municipalities=officer,
        admin_municipalities=admin,
        politician_municipalities=frozenset(politician),
        departments=frozenset(departments),
        department_municipalities=frozenset(department_municipalities),
        officer_centres=frozenset(officer_centres),
        admin_centres=frozenset(admin_centres),
        coordinator_municipalities=frozenset(coordinator),
        coordinator_centres=frozenset(coordinator_centres),
    )
