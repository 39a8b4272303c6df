"""
The contract-expiry radar (issue 6): contracts that run out before anyone has procured their successor.

Two kinds of row:

1. **Ending, no successor advertised** — a procurement (in any plan, adopted or not) replaces a
   current contract that ends within the lead time (default 9 months) from today, on or after today,
   and the procurement is not advertised yet (no outcome recorded, or its status is "not started").
2. **Ending next year, not in next year's plan** — a contract awarded by a procurement (its outcome is
   "awarded" with a start date, so its end is known) ends during next calendar year, and next year's
   plan of the same municipality has no procurement of the same department in the same CPV division
   (the code's first two digits), or there is no such plan yet.

Each row suggests the plan its successor belongs in ("add to next year's plan"): next year's, or the
year the contract ends if that is later. The rules are plain functions; `radar()` asks the database
a fixed number of times whatever the number of rows.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Municipality, ProcurementCentre, Role, User
from plans.dates import add_months
from plans.models import Outcome, Plan, Procurement
from plans.notify.outbox import link, queue
from plans.register.services import procurement_create

LEAD_MONTHS = 9
EXPIRING = "expiring"
UNPLANNED = "unplanned"
KIND_LABELS = {
    EXPIRING: _("Ends; no successor advertised"),
    UNPLANNED: _("Ends next year; not in next year's plan"),
}
# Outcome statuses that mean the successor is not on the market yet (no outcome at all counts too).
NOT_ADVERTISED = (Outcome.Status.NOT_STARTED,)
# How far back an awarded contract can have started and still end next year (the longest period).
LONGEST_CONTRACT_MONTHS = 120


# --- Rules ---------------------------------------------------------------------------------------


def horizon(today: date, lead_months: int = LEAD_MONTHS) -> date:
    """The last day the radar looks at: today plus the lead time in calendar months."""
    return add_months(today, lead_months)


def expiring(today: date, contract_end: date | None, lead_months: int = LEAD_MONTHS) -> bool:
    """A contract is expiring when it ends today or later, and no later than today plus the lead time."""
    return contract_end is not None and today <= contract_end <= horizon(today, lead_months)


def ends_next_year(today: date, contract_end: date | None) -> bool:
    return contract_end is not None and contract_end.year == today.year + 1


def days_left(today: date, contract_end: date) -> int:
    return (contract_end - today).days


def successor_advertised(outcome_status: str | None) -> bool:
    """Advertised (or further along) once an outcome says anything but "not started"."""
    return outcome_status is not None and outcome_status not in NOT_ADVERTISED


def contract_end(contract_starts: date | None, duration_months: int) -> date | None:
    """The last day of a contract that starts on `contract_starts` and runs `duration_months` months."""
    if contract_starts is None:
        return None
    return add_months(contract_starts, duration_months) - timedelta(days=1)


def cpv_division(cpv: str) -> str:
    """The CPV division: the first two digits (e.g. 34 for transport equipment)."""
    return cpv.strip()[:2]


def suggested_plan_year(today: date, contract_end: date) -> int:
    """The successor belongs in next year's plan, or in the plan of the year the contract ends if later."""
    return max(today.year + 1, contract_end.year)


def suggested_advertisement(contract_end: date, plan_year: int, lead_months: int = LEAD_MONTHS) -> date:
    """Advertise the lead time before the contract ends, but within the plan year or the year before it.

    The plan's own rule (validation.advertisement_error) refuses a date after the plan year; a date
    further back than the year before would put the advertisement before anyone planned it.
    """
    wanted = add_months(contract_end, -lead_months)
    return min(max(wanted, date(plan_year - 1, 1, 1)), date(plan_year, 12, 31))


def next_ref(year: int, refs) -> str:
    """The next free reference `<year>-NNN` after the highest number already used in that form."""
    prefix = f"{year}-"
    numbers = [
        int(ref[len(prefix) :]) for ref in refs if ref.startswith(prefix) and ref[len(prefix) :].isdigit()
    ]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


# --- Rows ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RadarRow:
    procurement: object  # plans.models.Procurement, with its plan and municipality loaded
    ends: date
    days_left: int
    kind: str
    plan_year: int  # the suggested plan for the successor

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def can_carry_over(self) -> bool:
        """Offer "add to next year's plan" unless the procurement already stands in that plan."""
        return self.procurement.plan.year != self.plan_year


def radar(*, municipality_ids, today: date, lead_months: int = LEAD_MONTHS) -> list[RadarRow]:
    """Both kinds of row for the given municipalities, soonest end first (three queries)."""
    rows = _expiring(municipality_ids, today, lead_months) + _unplanned(municipality_ids, today)
    return sorted(
        rows, key=lambda row: (row.ends, row.procurement.plan.municipality.name, row.procurement.ref)
    )


def _expiring(municipality_ids, today: date, lead_months: int) -> list[RadarRow]:
    # A procurement carried over into a later plan (same title, department and contract) is followed
    # there, so the radar shows the contract once.
    carried_over = Procurement.objects.filter(
        plan__municipality_id=OuterRef("plan__municipality_id"),
        plan__year__gt=OuterRef("plan__year"),
        title=OuterRef("title"),
        department_id=OuterRef("department_id"),
        current_contract_ends=OuterRef("current_contract_ends"),
    )
    procurements = (
        Procurement.objects.filter(
            plan__municipality_id__in=municipality_ids,
            current_contract_ends__gte=today,
            current_contract_ends__lte=horizon(today, lead_months),
        )
        .filter(Q(outcome__isnull=True) | Q(outcome__status__in=NOT_ADVERTISED))
        .exclude(Exists(carried_over))
        .select_related("plan__municipality", "department")
    )
    return [
        RadarRow(
            procurement=procurement,
            ends=procurement.current_contract_ends,
            days_left=days_left(today, procurement.current_contract_ends),
            kind=EXPIRING,
            plan_year=suggested_plan_year(today, procurement.current_contract_ends),
        )
        for procurement in procurements
    ]


def _unplanned(municipality_ids, today: date) -> list[RadarRow]:
    next_year = today.year + 1
    awarded = Procurement.objects.filter(
        plan__municipality_id__in=municipality_ids,
        outcome__status=Outcome.Status.AWARDED,
        # Narrowed in the database; the exact end is computed below (calendar months).
        outcome__contract_starts__lte=date(next_year, 12, 31),
        outcome__contract_starts__gt=date(next_year - LONGEST_CONTRACT_MONTHS // 12 - 1, 12, 31),
    ).select_related("plan__municipality", "department", "outcome")
    candidates = []
    for procurement in awarded:
        end = contract_end(procurement.outcome.contract_starts, procurement.duration_months)
        if ends_next_year(today, end):
            candidates.append((procurement, end))
    if not candidates:
        return []
    planned = {
        (municipality_id, department_id, cpv_division(cpv))
        for municipality_id, department_id, cpv in Procurement.objects.filter(
            plan__municipality_id__in={p.plan.municipality_id for p, _end in candidates}, plan__year=next_year
        ).values_list("plan__municipality_id", "department_id", "cpv")
    }
    return [
        RadarRow(
            procurement=procurement,
            ends=end,
            days_left=days_left(today, end),
            kind=UNPLANNED,
            plan_year=suggested_plan_year(today, end),
        )
        for procurement, end in candidates
        if (procurement.plan.municipality_id, procurement.department_id, cpv_division(procurement.cpv))
        not in planned
    ]


# --- Carrying a contract over into next year's plan ----------------------------------------------

CARRIED_FIELDS = (
    "title",
    "description",
    "department",
    "category",
    "cpv",
    "estimated_value_sek",
    "duration_months",
    "procedure",
    "possible_suppliers",
    "business_critical",
    "high_switching_cost",
    "employment_requirement",
    "reserved_contract",
    "labour_conditions",
    "lots",
    "climate_impact",
    "environmental_level",
    "innovation",
    "officer",
    "confidential",
)


class NothingToCarryOver(Exception):
    """The procurement has no contract ending today or later."""


class AlreadyPlanned(Exception):
    """The target plan already holds this procurement (same title and department)."""

    def __init__(self, existing):
        super().__init__(existing.ref)
        self.existing = existing


def ending_contract(procurement, today: date) -> date | None:
    """The end of the contract a successor must replace: the awarded one if known, else the current one."""
    outcome = getattr(procurement, "outcome", None)
    if outcome is not None and outcome.status == Outcome.Status.AWARDED:
        end = contract_end(outcome.contract_starts, procurement.duration_months)
        if end is not None and end >= today:
            return end
    end = procurement.current_contract_ends
    return end if end is not None and end >= today else None


@transaction.atomic
def procurement_carry_over(*, procurement, today: date, user):
    """Add the successor of a procurement's contract to the suggested plan, creating that plan if need be.

    The fields are carried over; the current contract's end is the contract being replaced; the planned
    advertisement is the lead time before it (kept within the plan year or the year before); the
    reference is the next free `<year>-NNN`. Raises NothingToCarryOver or AlreadyPlanned.
    """
    end = ending_contract(procurement, today)
    if end is None:
        raise NothingToCarryOver
    year = suggested_plan_year(today, end)
    plan, _created = Plan.objects.get_or_create(municipality_id=procurement.plan.municipality_id, year=year)
    plan = Plan.objects.select_for_update().select_related("municipality").get(pk=plan.pk)
    existing = Procurement.objects.filter(
        plan=plan, title=procurement.title, department_id=procurement.department_id
    ).first()
    if existing is not None:
        raise AlreadyPlanned(existing)
    data = {name: getattr(procurement, name) for name in CARRIED_FIELDS}
    data.update(
        ref=next_ref(year, Procurement.objects.filter(plan=plan).values_list("ref", flat=True)),
        current_contract_ends=end,
        planned_advertisement=suggested_advertisement(end, year),
    )
    return procurement_create(plan=plan, data=data, user=user)


# --- The weekly mail -----------------------------------------------------------------------------


def notify_radar(today: date) -> int:
    """Each procurement centre: every contract on its radar, once a week, to its officers.

    The procurement's responsible officer gets it when they are one of the centre's officers; otherwise
    every officer of the centre does. The occasion carries the ISO week, so a second run in the same
    week sends nothing and the next week's run reminds again.
    """
    year, week, _weekday = today.isocalendar()
    queued = 0
    for centre in ProcurementCentre.objects.order_by("pk"):
        municipality_ids = set(Municipality.objects.filter(centre=centre).values_list("pk", flat=True))
        rows = radar(municipality_ids=municipality_ids, today=today)
        if not rows:
            continue
        officers = {
            user.pk: user
            for user in User.objects.filter(
                is_active=True, memberships__role=Role.OFFICER, memberships__centre=centre
            ).distinct()
        }
        for row in rows:
            procurement = row.procurement
            responsible = officers.get(procurement.officer_id)
            recipients = [responsible] if responsible else list(officers.values())
            context = {
                "row": row,
                "procurement": procurement,
                "procurement_url": link(procurement.get_absolute_url()),
                "start_url": link(reverse("home")),
            }
            for user in recipients:
                queued += bool(
                    queue(
                        user=user,
                        # A plain kind without a migration: the field's choices are not enforced on save.
                        kind="radar",
                        occasion=f"radar:{row.kind}:{procurement.pk}:{year}-W{week:02d}",
                        template="plans/notify/radar.txt",
                        context=context,
                    )
                )
    return queued
