"""
Key figures of a plan's follow-up (DESIGN §3 "Follow-up"), as plain functions over plain records.

- Delivered vs ordered: procurements awarded (or awarded and appealed) out of those ordered.
- Average bids: bids per procurement, over those whose bids are recorded.
- Single-bid share: procurements with exactly one bid, of those whose bids are recorded.
- Appeal rate: procurements appealed (överprövade), of those advertised.
- SME share: bids from small and medium suppliers, of all bids where that is recorded.
- Social / environmental requirements: procurements that plan them, of those ordered.
- Environmental level reached: procurements whose reached level is at least the planned one, of
  those with planned requirements and a recorded outcome.
- Innovation procurements: how many.
- Planned and awarded value: the sums, in SEK. The planned value leaves out the values hidden from
  the reader (plans.register.disclosure) and counts them in planned_value_left_out.

A figure with nothing to count is None (shown as "–"), never a division by zero.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

LEVELS = {"none": 0, "bas": 1, "avancerad": 2, "spjutspets": 3}
DELIVERED = {"awarded", "appealed"}
ADVERTISED = {"advertised", "awarded", "appealed"}

# key → (label, unit, higher is better)
FIGURES = {
    "ordered": (_("Procurements ordered"), "", True),
    "delivered": (_("Procurements delivered"), "", True),
    "delivered_share": (_("Delivered of ordered"), "%", True),
    "average_bids": (_("Average bids per procurement"), "", True),
    "single_bid_share": (_("Share with a single bid"), "%", False),
    "appeal_rate": (_("Appeal rate"), "%", False),
    "sme_share": (_("Share of bids from small and medium suppliers"), "%", True),
    "social_share": (_("Share with social requirements"), "%", True),
    "environmental_share": (_("Share with environmental requirements"), "%", True),
    "environmental_reached_share": (_("Environmental level reached as planned"), "%", True),
    "innovation": (_("Innovation procurements"), "", True),
    "planned_value": (_("Planned value"), "kr", True),
    "awarded_value": (_("Awarded value"), "kr", True),
}
# The figures drawn year over year.
TREND_KEYS = ("average_bids", "single_bid_share", "appeal_rate", "sme_share", "delivered_share")
# DESIGN §3: Sweden 2024 and the national procurement agency's statistics for appeals 2019–2022.
DEFAULT_NATIONAL = {
    "average_bids": (
        2024,
        Decimal("4.6"),
        "Upphandlingsmyndigheten, statistik om offentlig upphandling 2024",
    ),
    "single_bid_share": (
        2024,
        Decimal("18"),
        "Upphandlingsmyndigheten, statistik om offentlig upphandling 2024",
    ),
    "sme_share": (2024, Decimal("75"), "Upphandlingsmyndigheten, statistik om offentlig upphandling 2024"),
    "appeal_rate": (
        2022,
        Decimal("6"),
        "Upphandlingsmyndigheten: 5–7 % av annonserade upphandlingar 2019–2022",
    ),
}


@dataclass(frozen=True)
class Record:
    """One procurement as the figures see it."""

    estimated_value_sek: int = 0
    # True when the value is confidential to the reader: not summed, only counted as left out.
    value_hidden: bool = False
    status: str = "not_started"
    advertised: bool = False
    bids: int | None = None
    sme_bids: int | None = None
    appealed: bool = False
    awarded_value_sek: int | None = None
    social_requirements: bool = False
    planned_level: str = "none"
    reached_level: str = ""
    innovation: bool = False


def share(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def mean(total, count) -> Decimal | None:
    if not count:
        return None
    return (Decimal(total) / Decimal(count)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Totals:
    """The counts and sums the key figures are made of. From records (totals()), or counted by the
    database for a whole municipality at once (followup.totals_by_year(), which must agree)."""

    ordered: int = 0
    delivered: int = 0
    advertised: int = 0
    appealed: int = 0  # of the advertised
    with_bids: int = 0  # procurements whose bids are recorded
    bids: int = 0  # their bids
    single_bid: int = 0
    sme_bids: int = 0  # bids from small and medium suppliers, where that is recorded
    bids_with_sme: int = 0  # all bids of the procurements where that is recorded
    social: int = 0
    environmental: int = 0  # procurements with planned environmental requirements
    judged: int = 0  # of those, with the level reached recorded
    reached: int = 0  # of those, reached at least as planned
    innovation: int = 0
    planned_value: int = 0
    planned_value_left_out: int = 0  # confidential values not in planned_value
    awarded_value: int = 0


def totals(records: list[Record]) -> Totals:
    advertised = [record for record in records if record.advertised or record.status in ADVERTISED]
    with_bids = [record for record in records if record.bids is not None]
    with_sme = [record for record in with_bids if record.sme_bids is not None]
    planned_environment = [record for record in records if LEVELS.get(record.planned_level, 0) > 0]
    judged = [record for record in planned_environment if record.reached_level]
    return Totals(
        ordered=len(records),
        delivered=sum(record.status in DELIVERED for record in records),
        advertised=len(advertised),
        appealed=sum(record.appealed for record in advertised),
        with_bids=len(with_bids),
        bids=sum(record.bids for record in with_bids),
        single_bid=sum(record.bids == 1 for record in with_bids),
        sme_bids=sum(record.sme_bids for record in with_sme),
        bids_with_sme=sum(record.bids for record in with_sme),
        social=sum(record.social_requirements for record in records),
        environmental=len(planned_environment),
        judged=len(judged),
        reached=sum(LEVELS.get(r.reached_level, 0) >= LEVELS[r.planned_level] for r in judged),
        innovation=sum(record.innovation for record in records),
        planned_value=sum(record.estimated_value_sek for record in records if not record.value_hidden),
        planned_value_left_out=sum(record.value_hidden for record in records),
        awarded_value=sum(record.awarded_value_sek or 0 for record in records),
    )


def key_figures(records: list[Record]) -> dict[str, Decimal | int | None]:
    return figures_of(totals(records))


def figures_of(t: Totals) -> dict[str, Decimal | int | None]:
    return {
        "ordered": t.ordered,
        "delivered": t.delivered,
        "delivered_share": share(t.delivered, t.ordered),
        "average_bids": mean(t.bids, t.with_bids),
        "single_bid_share": share(t.single_bid, t.with_bids),
        "appeal_rate": share(t.appealed, t.advertised),
        "sme_share": share(t.sme_bids, t.bids_with_sme),
        "social_share": share(t.social, t.ordered),
        "environmental_share": share(t.environmental, t.ordered),
        "environmental_reached_share": share(t.reached, t.judged),
        "innovation": t.innovation,
        "planned_value": t.planned_value,
        "planned_value_left_out": t.planned_value_left_out,
        "awarded_value": t.awarded_value,
    }


@dataclass(frozen=True)
class Comparison:
    """A figure beside the municipality's target and the national reference."""

    key: str
    label: str
    unit: str
    value: Decimal | int | None
    target: Decimal | None
    national: Decimal | None
    national_year: int | None
    # True/False when a target exists and the value meets it (respecting "lower is better"); else None.
    meets_target: bool | None
    # How many confidential values a sum leaves out for this reader.
    left_out: int = 0


def compare(figures: dict, targets: dict, national: dict) -> list[Comparison]:
    """targets: key → Decimal; national: key → (year, Decimal)."""
    rows = []
    for key, (label, unit, higher_is_better) in FIGURES.items():
        value, target = figures.get(key), targets.get(key)
        meets = None
        if value is not None and target is not None:
            meets = value >= target if higher_is_better else value <= target
        year, reference = national.get(key, (None, None))
        left_out = figures.get(f"{key}_left_out") or 0
        rows.append(Comparison(key, str(label), unit, value, target, reference, year, meets, left_out))
    return rows
