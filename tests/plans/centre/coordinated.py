"""Three municipalities of one centre with the same need (issue 16): the coordination tests' cast."""

from datetime import date

from plans.models import Category, Procurement
from tests.factories import MunicipalityFactory, PlanFactory, ProcurementFactory

CAR_VALUE = 2_000_000


def ludvika(centre):
    return MunicipalityFactory(slug="ludvika", name="Ludvika kommun", centre=centre)


def car(municipality, *, ref="BIL", month=3, value=CAR_VALUE, plan=None, **fields) -> Procurement:
    """A 2 Mkr car procurement of the municipality's 2027 plan (the plan made if none is given)."""
    plan = (
        plan
        or municipality.plans.filter(year=2027).first()
        or PlanFactory(municipality=municipality, year=2027)
    )
    return ProcurementFactory(
        plan=plan,
        ref=ref,
        title=fields.pop("title", f"Personbilar {municipality.name}"),
        category=Category.GOODS,
        cpv=fields.pop("cpv", "34110000"),
        estimated_value_sek=value,
        planned_advertisement=date(2027, month, 1),
        **fields,
    )


def reloaded(*procurements) -> list[Procurement]:
    return [Procurement.objects.select_related("plan").get(pk=procurement.pk) for procurement in procurements]
