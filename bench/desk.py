"""
The centres' desks in the benchmark's data set (issue 16): coordinated procurements and the officers'
capacities of one year, in every centre. A step of bench/dataset.py's build (DATASET_VERSION 3),
deterministic like the rest: the same random.Random, rows in id order, no clock.

- GROUPS_PER_CENTRE coordinated procurements per centre, each of 2–3 procurements of different
  municipalities with the same CPV group whose planned advertisements lie within six months of the first
  one's: what the suggestion rule (plans/centre/suggestions.py) proposes and an officer would join. The
  earliest leads; the group takes its title. The members are written as the coordination's services
  leave them (plans/centre/coordination.py, group_create): the group's combined value and how many other
  municipalities on each, scored by the app's own SQL (plans/scoring/rescoring.py), and a "coordinated"
  history entry each.
- Each officer's capacity for each quarter of the year: the centre's average load of an officer's
  quarter (its assigned procurements at 1.5 points, about the mean weight, over its officers and the four
  quarters), times a factor between 0.8 and 1.25: some cells over capacity, most not.

Model imports stay inside the function: bench/run.py imports the data set before Django is set up.
"""

from datetime import UTC, datetime

from django.db import connection

GROUPS_PER_CENTRE = 20
MONTHS = 6  # the suggestion rule's default (CentreSettings.coordination_months)
STAMP = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)

# One row per procurement of the year that is in no group yet: what forming the groups reads.
ROWS = """
SELECT p.id, p.plan_id, p.ref, p.title, p.cpv, p.planned_advertisement, p.estimated_value_sek,
       p.officer_id, m.id, m.name, m.centre_id
FROM plans_procurement p
JOIN plans_plan pl ON pl.id = p.plan_id
JOIN accounts_municipality m ON m.id = pl.municipality_id
WHERE pl.year = %s AND p.coordination_id IS NULL AND NOT (m.id = ANY(%s))
ORDER BY p.id
"""
ID, PLAN, REF, TITLE, CPV, ADVERTISED, VALUE, OFFICER, MUNICIPALITY, NAME, CENTRE = range(11)


def build_desk(rng, centres, officers_by_centre: dict, *, year: int, leave_out=()) -> dict:
    """Coordinated procurements and capacities of the centres' year; the municipalities leave_out (the
    demo's, whose desk the demo made) are left as they are. Returns the counts for bench_meta."""
    from plans.models import OfficerCapacity

    with connection.cursor() as cursor:
        cursor.execute(ROWS, [year, sorted(leave_out)])
        rows = cursor.fetchall()
    by_centre = {}
    for row in rows:
        by_centre.setdefault(row[CENTRE], []).append(row)

    groups = [
        (centre, members) for centre in centres for members in _groups(rng, by_centre.get(centre.pk, []))
    ]
    created, coordinated = _write_groups(groups, officers_by_centre, year=year)

    capacities = []
    for centre in centres:
        officers = officers_by_centre[centre.pk]
        assigned = sum(1 for row in by_centre.get(centre.pk, []) if row[OFFICER] is not None)
        average = assigned * 1.5 / (len(officers) * 4)
        for officer in officers:
            for quarter in (1, 2, 3, 4):
                points = max(1, round(average * rng.uniform(0.8, 1.25)))
                capacities.append(
                    OfficerCapacity(centre=centre, officer=officer, year=year, quarter=quarter, points=points)
                )
    # The demo's officers of UhC have the demo's capacities, made for its 40 procurements: replaced.
    OfficerCapacity.objects.bulk_create(
        capacities,
        update_conflicts=True,
        unique_fields=["centre", "officer", "year", "quarter"],
        update_fields=["points"],
    )
    return {
        "coordination_groups": created,
        "coordinated_procurements": coordinated,
        "capacities": len(capacities),
    }


def _groups(rng, rows) -> list[list[tuple]]:
    """Up to GROUPS_PER_CENTRE groups of one centre's rows: CPV groups in a shuffled order, in each the
    earliest free procurement and up to one or two more of other municipalities within MONTHS of it."""
    from plans.dates import add_months

    buckets = {}
    for row in rows:
        buckets.setdefault(row[CPV][:3], []).append(row)
    keys = sorted(key for key, bucket in buckets.items() if len({row[MUNICIPALITY] for row in bucket}) > 1)
    rng.shuffle(keys)
    found = []
    for key in keys:
        bucket = sorted(buckets[key], key=lambda row: (row[ADVERTISED], row[ID]))
        while bucket and len(found) < GROUPS_PER_CENTRE:
            first, size = bucket[0], rng.choice((2, 3))
            members = [first]
            for row in bucket[1:]:
                if len(members) == size or row[ADVERTISED] > add_months(first[ADVERTISED], MONTHS):
                    break
                if row[MUNICIPALITY] not in {member[MUNICIPALITY] for member in members}:
                    members.append(row)
            bucket = [row for row in bucket if row not in members]
            if len(members) > 1:
                found.append(members)
        if len(found) == GROUPS_PER_CENTRE:
            break
    return found


def _write_groups(groups, officers_by_centre, *, year: int) -> tuple[int, int]:
    """The groups, their members' combined value, count and scores, and a history entry per member."""
    from plans.models import CoordinationGroup, HistoryEntry, Procurement
    from plans.scoring.rescoring import rescore_expressions
    from plans.scoring.rules import RubricValues

    created = CoordinationGroup.objects.bulk_create(
        CoordinationGroup(
            centre=centre,
            year=year,
            title=members[0][TITLE],
            lead_id=members[0][ID],  # the earliest advertisement leads
            created_by=officers_by_centre[centre.pk][0],
        )
        for centre, members in groups
    )
    CoordinationGroup.objects.filter(pk__in=[group.pk for group in created]).update(created_at=STAMP)
    updates, history = [], []
    for group, (centre, members) in zip(created, groups, strict=True):
        total = sum(row[VALUE] for row in members)
        officer = officers_by_centre[centre.pk][0]
        for row in members:
            updates.append((row[ID], group.pk, total, len(members) - 1))
            others = ", ".join(sorted(other[NAME] for other in members if other is not row))
            history.append(
                HistoryEntry(
                    plan_id=row[PLAN],
                    procurement_id=row[ID],
                    ref=row[REF],
                    user=officer,
                    action=HistoryEntry.Action.COORDINATED,
                    changes={"note": f"med {others} (ledande: {members[0][NAME]})"},
                    created_at=STAMP,
                )
            )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE plans_procurement p SET coordination_id = v.group_id, coordinated_value_sek = v.total, "
            "coordinated_with = v.others "
            "FROM unnest(%s::int[], %s::int[], %s::bigint[], %s::int[]) AS v(id, group_id, total, others) "
            "WHERE p.id = v.id",
            [list(column) for column in zip(*updates, strict=True)],
        )
    # Every bench plan has the default rubric (the demo's, whose rows are left out, too).
    Procurement.objects.filter(pk__in=[update[0] for update in updates]).update(
        **rescore_expressions(RubricValues())
    )
    HistoryEntry.objects.bulk_create(history)
    return len(created), len(updates)
