"""The centre's year in figures: per municipality (how many, their estimated value, how many strategic for
review) and per Kraljic quadrant (how many, their value), of the rows the filters leave. One aggregate
query, grouped by municipality and quadrant, gives both; values are summed as the viewer may see them
(Disclosure)."""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from plans.scoring.rules import Quadrant


@dataclass
class Sum:
    count: int = 0
    value: int = 0
    left_out: int = 0  # values the viewer may not see, not counted in value
    strategic: int = 0  # strategic for review (the flag), not the Kraljic quadrant "strategic"

    def add(self, row: dict):
        self.count += row["count"]
        self.value += row["planned_value"]
        self.left_out += row["planned_value_left_out"]
        self.strategic += row["strategic"]


@dataclass
class MunicipalitySum(Sum):
    pk: int = 0
    slug: str = ""
    name: str = ""


@dataclass
class QuadrantSum(Sum):
    quadrant: str = ""
    label: str = ""


@dataclass
class YearSums:
    municipalities: list[MunicipalitySum] = field(default_factory=list)
    quadrants: list[QuadrantSum] = field(default_factory=list)
    total: Sum = field(default_factory=Sum)


def year_sums(queryset, *, disclosure, municipalities) -> YearSums:
    """The sums of the (filtered) procurements; every municipality and quadrant has a row, 0 if empty.
    municipalities: (pk, slug, name) of those the centre serves, in the order shown."""
    by_municipality = {pk: MunicipalitySum(pk=pk, slug=slug, name=name) for pk, slug, name in municipalities}
    by_quadrant = {q: QuadrantSum(quadrant=q, label=Quadrant.labels[q]) for q in Quadrant.ordered}
    total = Sum()
    rows = (
        queryset.order_by()
        .values("plan__municipality_id", "kraljic")
        .annotate(
            count=Count("pk"),
            strategic=Count("pk", filter=Q(strategic=True)),
            **disclosure.value_aggregates(),
        )
    )
    for row in rows:
        total.add(row)
        municipality = by_municipality.get(row["plan__municipality_id"])
        if municipality is not None:
            municipality.add(row)
        quadrant = by_quadrant.get(row["kraljic"])
        if quadrant is not None:
            quadrant.add(row)
    return YearSums(list(by_municipality.values()), list(by_quadrant.values()), total)
