"""The social figures of the follow-up and the board brief (issue 18), read from the database in a fixed
number of queries however many departments and procurements there are: the database counts per
department and year (one query), the rules of plans.social.figures make the shares.

Only counts leave here: no value, no description, so nothing the disclosure would hide."""

from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from accounts.models import Municipality
from accounts.permissions import Access, can_read_social_register
from plans.models import LabourReserve, Plan, Procurement, SocialDecision
from plans.social.figures import (
    AWARDED,
    CountRow,
    Counts,
    DepartmentFigures,
    Reserve,
    ReserveYear,
    against_reserve,
    by_department,
    by_year,
)

SOCIAL_PLANNED = Q(employment_requirement=True) | Q(labour_conditions=True) | Q(reserved_contract=True)
IS_AWARDED = Q(outcome__status=AWARDED)
SOCIAL_REACHED = IS_AWARDED & (
    Q(outcome__people_employed__gt=0)
    | Q(outcome__internships__gt=0)
    | Q(outcome__social_enterprise_awarded=True)
)
RESERVED_REACHED = IS_AWARDED & Q(outcome__social_enterprise_awarded=True)


def count_rows(procurements) -> list[CountRow]:
    """figures.counts_by_department_year() counted by the database: one query."""
    rows = (
        procurements.order_by()
        .values("plan__year", "department_id", "department__name")
        .annotate(
            n=Count("pk"),
            social_planned=Count("pk", filter=SOCIAL_PLANNED),
            reserved_planned=Count("pk", filter=Q(reserved_contract=True)),
            awarded=Count("pk", filter=IS_AWARDED),
            social_reached=Count("pk", filter=SOCIAL_REACHED),
            reserved_reached=Count("pk", filter=RESERVED_REACHED),
            people_employed=Coalesce(Sum("outcome__people_employed"), 0),
            internships=Coalesce(Sum("outcome__internships"), 0),
        )
    )
    return [
        CountRow(
            department_id=row["department_id"],
            department=row["department__name"],
            year=row["plan__year"],
            counts=Counts(
                procurements=row["n"],
                social_planned=row["social_planned"],
                reserved_planned=row["reserved_planned"],
                awarded=row["awarded"],
                social_reached=row["social_reached"],
                reserved_reached=row["reserved_reached"],
                people_employed=row["people_employed"],
                internships=row["internships"],
            ),
        )
        for row in rows
    ]


def reserves(municipality_id: int, years) -> list[Reserve]:
    """The municipality's labour reserve in those years: one query."""
    rows = LabourReserve.objects.filter(municipality_id=municipality_id, year__in=list(years))
    return [Reserve(*row) for row in rows.values_list("year", "outside", "reached")]


@dataclass(frozen=True)
class MunicipalityFigures:
    """The follow-up's section: per department its years, and per year the labour reserve beside the
    people employed and internships through the procurements."""

    departments: list[DepartmentFigures]
    years: list[ReserveYear]


def municipality_figures(*, user, municipality_id: int, up_to: int) -> MunicipalityFigures:
    """The figures of the municipality's plans up to a year that the user may see (Plan.objects.visible_to:
    the one place plans are scoped), the years with procurements to count. Two queries."""
    plans = Plan.objects.visible_to(user).filter(municipality_id=municipality_id, year__lte=up_to)
    rows = count_rows(Procurement.objects.filter(plan__in=plans))
    years = sorted({row.year for row in rows})
    return MunicipalityFigures(
        departments=by_department(rows),
        years=against_reserve(years, by_year(rows), reserves(municipality_id, years)),
    )


@dataclass(frozen=True)
class PlanFigures:
    """The board brief's short section on one plan."""

    departments: list[DepartmentFigures]
    total: Counts
    reserve: ReserveYear
    # The plan's procurements with a decision on their match with the social enterprises recorded.
    decisions_taken: int
    decisions_not_suitable: int


def plan_figures(plan: Plan) -> PlanFigures:
    """The plan's figures: three queries."""
    rows = count_rows(Procurement.objects.filter(plan=plan))
    counted = by_year(rows)
    (reserve,) = against_reserve([plan.year], counted, reserves(plan.municipality_id, [plan.year]))
    decisions = SocialDecision.objects.filter(procurement__plan=plan).aggregate(
        not_suitable=Count("pk", filter=Q(decision=SocialDecision.Decision.NOT_SUITABLE)),
        total=Count("pk"),
    )
    return PlanFigures(
        departments=by_department(rows),
        total=counted.get(plan.year, Counts()),
        reserve=reserve,
        decisions_taken=decisions["total"] - decisions["not_suitable"],
        decisions_not_suitable=decisions["not_suitable"],
    )


def reserve_centre(access: Access, centre_id: int) -> str | None:
    """The slug of the centre whose labour reserve page the user may read (a link from the follow-up), or
    None: one query for a logged-in user, none for an anonymous one."""
    if not access.authenticated:
        return None
    rows = list(Municipality.objects.filter(centre_id=centre_id).values_list("pk", "centre__slug"))
    if not rows:
        return None
    municipality_ids = frozenset(pk for pk, _slug in rows)
    readable = can_read_social_register(access, centre_id=centre_id, municipality_ids=municipality_ids)
    return rows[0][1] if readable else None
