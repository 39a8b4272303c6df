"""Follow-up: reading the outcomes into key figures, targets and national references; saving an outcome."""

import hashlib

from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from plans.followup.figures import ADVERTISED, DEFAULT_NATIONAL, DELIVERED, LEVELS, Record, Totals, figures_of
from plans.models import HistoryEntry, NationalReference, Outcome, Plan, Procurement, Target
from plans.register import history
from plans.register.disclosure import Disclosure
from plans.remiss.snapshots import as_text

RECORD_FIELDS = (
    "plan__year",
    "estimated_value_sek",
    "confidential",
    "employment_requirement",
    "reserved_contract",
    "labour_conditions",
    "environmental_level",
    "innovation",
    "outcome__status",
    "outcome__advertised_on",
    "outcome__bids",
    "outcome__sme_bids",
    "outcome__appealed",
    "outcome__awarded_value_sek",
    "outcome__environmental_level_reached",
    "outcome__innovation",
)


def _record(row: dict, disclosure: Disclosure) -> Record:
    return Record(
        estimated_value_sek=row["estimated_value_sek"],
        value_hidden=disclosure.hidden(row["confidential"]),
        status=row["outcome__status"] or "not_started",
        advertised=row["outcome__advertised_on"] is not None,
        bids=row["outcome__bids"],
        sme_bids=row["outcome__sme_bids"],
        appealed=bool(row["outcome__appealed"]),
        awarded_value_sek=row["outcome__awarded_value_sek"],
        social_requirements=row["employment_requirement"]
        or row["reserved_contract"]
        or row["labour_conditions"],
        planned_level=row["environmental_level"],
        reached_level=row["outcome__environmental_level_reached"] or "",
        innovation=row["innovation"] or bool(row["outcome__innovation"]),
    )


def plan_records(plan: Plan, disclosure: Disclosure) -> list[Record]:
    """The plan's procurements as the figures see them for a reader (figures.key_figures() reads these)."""
    rows = Procurement.objects.filter(plan=plan).values(*RECORD_FIELDS)
    return [_record(row, disclosure) for row in rows]


def plan_figures(plan: Plan, disclosure: Disclosure) -> dict:
    """The plan's key figures as the reader may see them, counted by the database (one query)."""
    totals = totals_by_year(Procurement.objects.filter(plan=plan), disclosure)
    return figures_of(totals.get(plan.year, Totals()))


def municipality_trend(municipality, *, up_to: int, disclosure: Disclosure) -> list[tuple[int, dict]]:
    """(year, key figures) for the municipality's plans up to a year, oldest first, in two queries
    whatever the number of procurements: the database counts, year by year."""
    plans = Plan.objects.filter(municipality=municipality, year__lte=up_to)
    by_year = dict.fromkeys(plans.values_list("year", flat=True), Totals())
    procurements = Procurement.objects.filter(plan__municipality=municipality, plan__year__lte=up_to)
    by_year.update(totals_by_year(procurements, disclosure))
    return [(year, figures_of(totals)) for year, totals in sorted(by_year.items())]


def _count(condition: Q):
    return Count("pk", filter=condition)


def _sum(field: str, condition: Q | None = None):
    return Coalesce(Sum(field, filter=condition), 0)


def _totals_expressions(disclosure: Disclosure) -> dict:
    """figures.totals() as SQL aggregates over procurements joined to their outcomes (no outcome: not
    started, nothing recorded)."""
    advertised = Q(outcome__advertised_on__isnull=False) | Q(outcome__status__in=ADVERTISED)
    with_bids = Q(outcome__bids__isnull=False)
    with_sme = with_bids & Q(outcome__sme_bids__isnull=False)
    planned = {level: rank for level, rank in LEVELS.items() if rank > 0}
    judged = Q(environmental_level__in=planned) & ~Q(outcome__environmental_level_reached="")
    judged &= Q(outcome__environmental_level_reached__isnull=False)
    social = Q(employment_requirement=True) | Q(reserved_contract=True) | Q(labour_conditions=True)
    reached = Q()
    for level, rank in planned.items():
        at_least = [other for other, other_rank in LEVELS.items() if other_rank >= rank]
        reached |= Q(environmental_level=level, outcome__environmental_level_reached__in=at_least)
    return {
        "ordered": Count("pk"),
        "delivered": _count(Q(outcome__status__in=DELIVERED)),
        "advertised": _count(advertised),
        "appealed": _count(advertised & Q(outcome__appealed=True)),
        "with_bids": _count(with_bids),
        "bids": _sum("outcome__bids", with_bids),
        "single_bid": _count(Q(outcome__bids=1)),
        "sme_bids": _sum("outcome__sme_bids", with_sme),
        "bids_with_sme": _sum("outcome__bids", with_sme),
        "social": _count(social),
        "environmental": _count(Q(environmental_level__in=planned)),
        "judged": _count(judged),
        "reached": _count(judged & reached),
        "innovation": _count(Q(innovation=True) | Q(outcome__innovation=True)),
        **disclosure.value_aggregates("planned_value"),
        "awarded_value": _sum("outcome__awarded_value_sek"),
    }


def totals_by_year(procurements, disclosure: Disclosure) -> dict[int, Totals]:
    """{plan year: Totals} of the procurements as the reader may see them, in one query."""
    rows = procurements.order_by().values("plan__year").annotate(**_totals_expressions(disclosure))
    return {row.pop("plan__year"): Totals(**{k: int(v) for k, v in row.items()}) for row in rows}


def targets_version(plan: Plan) -> str:
    """A fingerprint of what the targets page edits (the plan's targets and the national references):
    the version that page's form carries, so that a save based on an older state is refused."""
    rows = [
        *Target.objects.filter(plan=plan)
        .order_by("pk")
        .values_list("pk", "key", "label", "value", "unit", "actual"),
        *NationalReference.objects.order_by("key", "year").values_list("key", "year", "value", "source"),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()[:32]


# The advisory lock key of the targets page (any constant, the same in every process).
TARGETS_LOCK = 4_712_017


class StaleTargets(Exception):
    """Someone saved the targets or the national references after the editor's form was built."""


@transaction.atomic
def targets_save(*, plan: Plan, expected_version: str, targets: dict, national: dict) -> None:
    """Save the targets page as one write, unless what it edits changed since its form was built.

    targets: key → value (None removes the target); national: key → {year, value, source}. (The
    municipality's own goals are plans.goals: one list, not two.)"""
    # The national references are shared by every plan: a save of another plan's targets must wait too.
    # PostgreSQL: one transaction-scoped advisory lock; SQLite's IMMEDIATE transactions serialise writers.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [TARGETS_LOCK])
    Plan.objects.select_for_update().filter(pk=plan.pk).values_list("pk").get()
    if targets_version(plan) != expected_version:
        raise StaleTargets
    for key, value in targets.items():
        if value is None:
            Target.objects.filter(plan=plan, key=key).delete()
        else:
            Target.objects.update_or_create(plan=plan, key=key, defaults={"value": value})
    for key, reference in national.items():
        NationalReference.objects.update_or_create(
            key=key,
            year=reference["year"],
            defaults={"value": reference["value"], "source": reference["source"]},
        )


def plan_targets(plan: Plan) -> dict:
    """The plan's targets for key figures: key → value."""
    return dict(Target.objects.filter(plan=plan).exclude(key="").values_list("key", "value"))


def national_references() -> dict:
    """key → (year, value): the newest reference of each figure; DESIGN's figures until edited."""
    references = {key: (year, value) for key, (year, value, _source) in DEFAULT_NATIONAL.items()}
    seen = set()
    for reference in NationalReference.objects.order_by("key", "-year"):
        if reference.key not in seen:
            references[reference.key] = (reference.year, reference.value)
            seen.add(reference.key)
    return references


OUTCOME_FIELDS = (
    "status",
    "advertised_on",
    "bids",
    "sme_bids",
    "appealed",
    "appeal_outcome",
    "awarded_value_sek",
    "contract_starts",
    "people_employed",
    "internships",
    "social_enterprise_awarded",
    "environmental_level_reached",
    "innovation",
    "notes",
)


class StaleOutcome(Exception):
    """Someone saved the outcome after the editor's form was built."""

    def __init__(self, current: Outcome | None):
        # The version stored now: 0 when the form said there was an outcome and there is none (yet).
        self.version = current.version if current is not None else 0
        super().__init__(f"outcome at version {self.version}")
        self.current = current


@transaction.atomic
def outcome_save(*, procurement: Procurement, data: dict, expected_version: int, user) -> Outcome:
    """Record what the procurement delivered; refused (StaleOutcome, nothing written) when someone saved
    it since the editor's form was built. expected_version is the version that form was built from: 0
    when there was no outcome yet, so that two first saves cannot overwrite each other."""
    # The procurement's row is the lock: a first save has no outcome row to lock yet.
    Procurement.objects.select_for_update().filter(pk=procurement.pk).values_list("pk").get()
    outcome = Outcome.objects.filter(procurement=procurement).first()
    if (outcome.version if outcome else 0) != expected_version:
        raise StaleOutcome(outcome)
    outcome = outcome or Outcome(procurement=procurement, version=0)
    before = {name: getattr(outcome, name) for name in OUTCOME_FIELDS}
    for name in OUTCOME_FIELDS:
        if name in data:
            setattr(outcome, name, data[name])
    changes = {
        f"outcome.{name}": [as_text(before[name]), as_text(getattr(outcome, name))]
        for name in OUTCOME_FIELDS
        if as_text(before[name]) != as_text(getattr(outcome, name))
    }
    if changes:
        outcome.version += 1
        outcome.updated_by = user
        outcome.save()
        history.record(
            plan=procurement.plan,
            procurement=procurement,
            user=user,
            action=HistoryEntry.Action.CHANGED,
            changes=changes,
        )
    return outcome
