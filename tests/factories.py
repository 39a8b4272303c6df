"""Factories for the models; tests name only what matters to them."""

from datetime import date

import factory

from accounts.models import Department, Membership, Municipality, ProcurementCentre, User
from plans.models import Category, Plan, Procedure, Procurement

PASSWORD = "test-password-123"


class CentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcurementCentre
        django_get_or_create = ("slug",)

    name = "Upphandlingscenter Falun Borlänge"
    slug = "uhc"


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Kommun {n}")
    slug = factory.Sequence(lambda n: f"kommun-{n}")
    centre = factory.SubFactory(CentreFactory)


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("municipality", "code")

    municipality = factory.SubFactory(MunicipalityFactory)
    code = factory.Sequence(lambda n: f"D{n}")
    name = factory.Sequence(lambda n: f"Förvaltning {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Användare {n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.se")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def member(user, role, *, centre=None, municipality=None, department=None):
    Membership.objects.create(
        user=user, role=role, centre=centre, municipality=municipality, department=department
    )
    return user


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    municipality = factory.SubFactory(MunicipalityFactory)
    year = 2027


class ProcurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Procurement

    plan = factory.SubFactory(PlanFactory)
    ref = factory.Sequence(lambda n: f"P-{n:04d}")
    title = factory.Sequence(lambda n: f"Upphandling {n}")
    description = "Beskrivning."
    department = factory.LazyAttribute(lambda p: DepartmentFactory(municipality=p.plan.municipality))
    category = Category.SERVICES
    cpv = "98310000"
    estimated_value_sek = 3_000_000
    duration_months = 48
    planned_advertisement = factory.LazyAttribute(lambda p: date(p.plan.year, 3, 1))
    procedure = Procedure.OPEN
    possible_suppliers = 5


class SocialEnterpriseFactory(factory.django.DjangoModelFactory):
    """A social enterprise of the municipality's centre (issue 18); valid organisation numbers in turn."""

    class Meta:
        model = "plans.SocialEnterprise"

    municipality = factory.SubFactory(MunicipalityFactory)
    centre = factory.LazyAttribute(lambda enterprise: enterprise.municipality.centre)
    name = factory.Sequence(lambda n: f"Socialt företag {n}")
    org_number = factory.Sequence(lambda n: valid_org_number(n))
    cpv_codes = factory.LazyFunction(lambda: ["98310000"])
    categories = factory.LazyFunction(list)
    reserved_qualified = True


def valid_org_number(n: int) -> str:
    """The n-th organisation number of the form 80xxxx-xxxx with a right check digit (Luhn)."""
    nine = f"80{n:07d}"
    total = 0
    for index, digit in enumerate(int(c) for c in nine):
        doubled = digit * 2 if index % 2 == 0 else digit
        total += doubled - 9 if doubled > 9 else doubled
    return f"{nine[:6]}-{nine[6:]}{(10 - total % 10) % 10}"
