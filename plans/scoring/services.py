"""Writes of the scoring: a plan's rubric, and scoring plans again with it. One transaction each."""

from dataclasses import asdict, dataclass

from django.db import transaction
from django.db.models import Count

from plans.models import HistoryEntry, Plan, Procurement, Rubric, rubric_values_from
from plans.register import history
from plans.scoring.rescoring import rescore_expressions, unchanged
from plans.scoring.rules import Inputs, RubricValues, assess


@transaction.atomic
def plan_rescore(*, plan: Plan, rubric: RubricValues | None = None) -> int:
    """Score every procurement of the plan with its rubric: one UPDATE statement, whatever the size,
    which writes only the procurements whose scores change.

    Returns the number of procurements scored (all of the plan's).
    """
    rubric = rubric or Rubric.objects.get(plan=plan).values()
    procurements = Procurement.objects.filter(plan=plan)
    _rescore(procurements, rubric)
    return procurements.count()


def _rescore(procurements, rubric: RubricValues) -> int:
    """Score the procurements with the rubric; write those whose results change. Returns how many."""
    expressions = rescore_expressions(rubric)
    return procurements.exclude(unchanged(expressions)).update(**expressions)


@transaction.atomic
def plans_rescore(*, plans) -> dict[int, int]:
    """Score every procurement of many plans, each with its plan's rubric: one UPDATE per distinct
    rubric (most plans keep the defaults), not one per plan, since building the statement costs more
    than running it. Returns {plan id: number of procurements scored}."""
    plan_ids = [plan.pk for plan in plans]
    by_rubric: dict[str, tuple[RubricValues, list[int]]] = {}
    for rubric in Rubric.objects.filter(plan_id__in=plan_ids):
        values = rubric.values()
        key = repr(sorted(asdict(values).items()))
        by_rubric.setdefault(key, (values, []))[1].append(rubric.plan_id)
    for values, ids in by_rubric.values():
        _rescore(Procurement.objects.filter(plan_id__in=ids), values)
    counts = Procurement.objects.filter(plan_id__in=plan_ids).values_list("plan_id").annotate(n=Count("pk"))
    return dict(counts.order_by())


class RubricLocked(Exception):
    """An adopted plan keeps the rubric it was scored with."""


class StaleRubric(Exception):
    """Someone changed the rubric after the editor loaded it."""

    def __init__(self, current: Rubric):
        super().__init__(f"rubric at version {current.version}")
        self.current = current


@dataclass(frozen=True)
class RubricPreview:
    """What a rubric change would do to the plan, before it is saved."""

    total: int
    quadrant_changes: int
    strategic_gained: int
    strategic_lost: int
    changed: list  # (procurement ref, title, old quadrant, new quadrant, old strategic, new strategic)


def rubric_preview(*, plan: Plan, values: dict) -> RubricPreview:
    """Score the plan with the proposed values in memory and count what would move."""
    old_rubric = Rubric.objects.get(plan=plan).values()
    new_rubric = rubric_values_from(values)
    fields = [*Inputs.__dataclass_fields__, "ref", "title"]
    changed, quadrant_changes, gained, lost, total = [], 0, 0, 0, 0
    for row in Procurement.objects.filter(plan=plan).order_by("ref").values(*fields):
        total += 1
        inputs = Inputs(**{name: row[name] for name in Inputs.__dataclass_fields__})
        before, after = assess(inputs, old_rubric), assess(inputs, new_rubric)
        if before.quadrant != after.quadrant:
            quadrant_changes += 1
        gained += after.strategic and not before.strategic
        lost += before.strategic and not after.strategic
        if before.quadrant != after.quadrant or before.strategic != after.strategic:
            changed.append(
                (row["ref"], row["title"], before.quadrant, after.quadrant, before.strategic, after.strategic)
            )
    return RubricPreview(total, quadrant_changes, gained, lost, changed)


@transaction.atomic
def rubric_update(*, plan: Plan, values: dict, expected_version: int, user) -> Rubric:
    """Change a plan's rubric and rescore the whole plan, in one transaction."""
    rubric = Rubric.objects.select_for_update().get(plan=plan)
    if Plan.objects.filter(pk=plan.pk, adopted_on__isnull=False).exists():
        raise RubricLocked
    if rubric.version != expected_version:
        raise StaleRubric(rubric)
    before = {name: getattr(rubric, name) for name in Rubric.EDITABLE_FIELDS}
    for name in Rubric.EDITABLE_FIELDS:
        setattr(rubric, name, values[name])
    history.record(
        plan=plan,
        user=user,
        action=HistoryEntry.Action.RUBRIC,
        changes=history.field_changes(before, {name: values[name] for name in Rubric.EDITABLE_FIELDS}),
    )
    rubric.updated_by = user
    rubric.version += 1
    rubric.save()
    plan_rescore(plan=plan, rubric=rubric.values())
    return rubric
