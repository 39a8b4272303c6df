"""
Who asks for social requirements, and what the procurements did for the labour reserve (issue 18): plain
functions over plain rows, tested at their edges without a database.

The minutes ask "why only AIK?": only one department writes social enterprises into its directives. So the
figures are per department and per plan year.

Per department and plan year (`DepartmentYear`):

- procurements: all the department's procurements in the plan of the year.
- social requirements planned: those planning an employment requirement, labour-law conditions or a
  reserved contract; their share is over all the department's procurements of the year.
- reserved contracts planned: those planning a contract reserved for social enterprises (LOU 4 kap.
  18 §); their share is over all the department's procurements of the year too.
- awarded: those whose outcome is recorded as awarded (an award before the court, "appealed", is not
  yet a contract and not counted).
- social requirements reached: of the awarded, those that employed people or gave internships, or went
  to a social enterprise; their share is over the awarded.
- reserved contracts reached: of the awarded, those that went to a social enterprise; share over the
  awarded.
- people employed and internships: the sums recorded on the outcomes, whatever the outcome's status (a
  number recorded is a number of people).

Per year against the labour reserve (`ReserveYear`): the people employed and the internships through all
the municipality's procurements of the plan year, beside the people outside the labour market and those
the labour-market department reached that year; people employed as a share of each.

A share with nothing to count (no procurements, nothing awarded, no labour reserve recorded, or one of
0 people) is None, shown as "–": never 0 %, never a division by zero.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal

# The outcome status whose procurement has a contract (plans.models.Outcome.Status.AWARDED).
AWARDED = "awarded"
# Shares of procurements to one decimal (12,5 %); people of the labour reserve to two (0,47 %).
PROCUREMENT_PLACES = Decimal("0.1")
RESERVE_PLACES = Decimal("0.01")


def share(part: int, whole: int | None, places: Decimal = PROCUREMENT_PLACES) -> Decimal | None:
    """part of whole in per cent, rounded half up; None when whole is nothing (None or 0)."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(places, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Procurement:
    """One procurement as these figures read it (the query reads the same from the database)."""

    department_id: int
    department: str
    year: int
    employment_requirement: bool = False
    labour_conditions: bool = False
    reserved_contract: bool = False
    # The outcome's status, "" when none is recorded.
    status: str = ""
    people_employed: int | None = None
    internships: int | None = None
    social_enterprise_awarded: bool = False

    @property
    def social_planned(self) -> bool:
        return self.employment_requirement or self.labour_conditions or self.reserved_contract

    @property
    def awarded(self) -> bool:
        return self.status == AWARDED

    @property
    def social_reached(self) -> bool:
        people = (self.people_employed or 0) > 0 or (self.internships or 0) > 0
        return self.awarded and (people or self.social_enterprise_awarded)

    @property
    def reserved_reached(self) -> bool:
        return self.awarded and self.social_enterprise_awarded


@dataclass(frozen=True)
class Counts:
    """What the shares are made of, for one department and year (or summed over several)."""

    procurements: int = 0
    social_planned: int = 0
    reserved_planned: int = 0
    awarded: int = 0
    social_reached: int = 0
    reserved_reached: int = 0
    people_employed: int = 0
    internships: int = 0

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})

    @classmethod
    def of(cls, procurement: Procurement) -> "Counts":
        return cls(
            procurements=1,
            social_planned=int(procurement.social_planned),
            reserved_planned=int(procurement.reserved_contract),
            awarded=int(procurement.awarded),
            social_reached=int(procurement.social_reached),
            reserved_reached=int(procurement.reserved_reached),
            people_employed=procurement.people_employed or 0,
            internships=procurement.internships or 0,
        )

    # The shares, as the module's docstring defines them.
    @property
    def social_planned_share(self) -> Decimal | None:
        return share(self.social_planned, self.procurements)

    @property
    def reserved_planned_share(self) -> Decimal | None:
        return share(self.reserved_planned, self.procurements)

    @property
    def social_reached_share(self) -> Decimal | None:
        return share(self.social_reached, self.awarded)

    @property
    def reserved_reached_share(self) -> Decimal | None:
        return share(self.reserved_reached, self.awarded)


@dataclass(frozen=True)
class CountRow:
    """The counts of one department in one plan year: from procurements (counts_by_department_year) or
    counted by the database (plans.social.figure_queries), which must agree."""

    department_id: int
    department: str
    year: int
    counts: Counts


def counts_by_department_year(procurements: Iterable[Procurement]) -> list[CountRow]:
    """The procurements counted per department and year."""
    counted: dict[tuple[int, int], Counts] = defaultdict(Counts)
    names: dict[int, str] = {}
    for procurement in procurements:
        key = (procurement.department_id, procurement.year)
        counted[key] = counted[key] + Counts.of(procurement)
        names[procurement.department_id] = procurement.department
    return [
        CountRow(department_id, names[department_id], year, counts)
        for (department_id, year), counts in counted.items()
    ]


@dataclass(frozen=True)
class DepartmentFigures:
    """One department, its years oldest first, and all its years together."""

    department_id: int
    department: str
    years: tuple[tuple[int, Counts], ...]
    total: Counts


def by_department(rows: Iterable[CountRow]) -> list[DepartmentFigures]:
    """Per department (by name), its years oldest first: the table of "why only AIK?"."""
    years: dict[int, dict[int, Counts]] = defaultdict(lambda: defaultdict(Counts))
    names: dict[int, str] = {}
    for row in rows:
        years[row.department_id][row.year] = years[row.department_id][row.year] + row.counts
        names[row.department_id] = row.department
    found = []
    for department_id, counted in years.items():
        ordered = tuple(sorted(counted.items()))
        total = sum((counts for _year, counts in ordered), Counts())
        found.append(DepartmentFigures(department_id, names[department_id], ordered, total))
    return sorted(found, key=lambda d: (d.department.casefold(), d.department_id))


def by_year(rows: Iterable[CountRow]) -> dict[int, Counts]:
    """All departments together, per year."""
    counted: dict[int, Counts] = defaultdict(Counts)
    for row in rows:
        counted[row.year] = counted[row.year] + row.counts
    return dict(counted)


@dataclass(frozen=True)
class Reserve:
    """The municipality's labour reserve in a year (plans.models.LabourReserve)."""

    year: int
    outside: int
    reached: int | None = None


@dataclass(frozen=True)
class ReserveYear:
    year: int
    # None where no labour reserve is recorded for the year (or no one reached is recorded).
    outside: int | None
    reached: int | None
    people_employed: int
    internships: int

    @property
    def employed_of_outside(self) -> Decimal | None:
        return share(self.people_employed, self.outside, RESERVE_PLACES)

    @property
    def employed_of_reached(self) -> Decimal | None:
        return share(self.people_employed, self.reached, RESERVE_PLACES)


def against_reserve(
    years: Iterable[int], counts: dict[int, Counts], reserves: Iterable[Reserve]
) -> list[ReserveYear]:
    """Per year (of `years`, oldest first): the people employed and internships through the procurements
    of the year's plan beside the labour reserve of that year."""
    reserve_of = {reserve.year: reserve for reserve in reserves}
    found = []
    for year in sorted(set(years)):
        counted = counts.get(year, Counts())
        reserve = reserve_of.get(year)
        found.append(
            ReserveYear(
                year=year,
                outside=reserve.outside if reserve else None,
                reached=reserve.reached if reserve else None,
                people_employed=counted.people_employed,
                internships=counted.internships,
            )
        )
    return found
