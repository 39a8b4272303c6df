"""Follow-up: reading the outcomes into key figures, targets and national references; saving an outcome."""

from django.db import transaction

from . import history
from .figures import DEFAULT_NATIONAL, Record, key_figures
from .models import HistoryEntry, NationalReference, Outcome, Plan, Procurement, Target
from .snapshots import as_text

RECORD_FIELDS = (
    "plan__year",
    "estimated_value_sek",
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


def _record(row: dict) -> Record:
    return Record(
        estimated_value_sek=row["estimated_value_sek"],
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


def plan_figures(plan: Plan) -> dict:
    rows = Procurement.objects.filter(plan=plan).values(*RECORD_FIELDS)
    return key_figures([_record(row) for row in rows])


def municipality_trend(municipality, *, up_to: int) -> list[tuple[int, dict]]:
    """(year, key figures) for the municipality's plans up to a year, oldest first, in two queries."""
    plans = Plan.objects.filter(municipality=municipality, year__lte=up_to)
    by_year: dict[int, list[Record]] = {year: [] for year in plans.values_list("year", flat=True)}
    rows = Procurement.objects.filter(plan__municipality=municipality, plan__year__lte=up_to)
    for row in rows.values(*RECORD_FIELDS):
        by_year.setdefault(row["plan__year"], []).append(_record(row))
    return [(year, key_figures(records)) for year, records in sorted(by_year.items())]


def plan_targets(plan: Plan) -> tuple[dict, list[Target]]:
    """The targets for key figures (key → value), and the municipality's custom targets."""
    targets = list(Target.objects.filter(plan=plan))
    return {t.key: t.value for t in targets if t.key}, [t for t in targets if not t.key]


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
    pass


@transaction.atomic
def outcome_save(*, procurement: Procurement, data: dict, expected_version: int | None, user) -> Outcome:
    """Record what the procurement delivered; refused when someone saved it since the editor loaded it."""
    outcome, _created = Outcome.objects.select_for_update().get_or_create(procurement=procurement)
    if expected_version is not None and outcome.version != expected_version:
        raise StaleOutcome
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
