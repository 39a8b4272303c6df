"""
The remiss: the politicians' review queue, guidance, early involvement, comments and their answers,
the departments' confirmations, the snapshot taken when the remiss opens, and the board's records.

Reads are plain functions over QuerySets; writes are one transaction each and leave a history entry.
Who may do what is decided in accounts/permissions.py, before these are called.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from plans.models import (
    Comment,
    EarlyInvolvement,
    Guidance,
    HistoryEntry,
    NeedsConfirmation,
    Plan,
    PlanSnapshot,
    Procurement,
)
from plans.notify.notifications import notify_involvement
from plans.register import history
from plans.remiss.snapshots import SNAPSHOT_FIELDS, PlanChanges, as_text, compare

# --- Reads ---------------------------------------------------------------------------------------


@dataclass
class QueueItem:
    procurement: Procurement
    freeze_date: date
    overdue: bool
    days_to_freeze: int
    url: str  # the procurement's address; its actions are below it (guidance/, involvement/)
    involvement_asked_on: date | None = None  # when the reader asked to be involved early, if they did


def review_queue(
    *,
    plan: Plan,
    today: date,
    user=None,
    without_guidance_only: bool = False,
    start: int = 0,
    stop: int | None = None,
) -> list[QueueItem]:
    """Every strategic-for-review procurement of the plan, the most urgent requirements freeze first
    (or those from position start to stop, for one page of the queue); with a user, whether and when
    that user asked to be involved early in each.

    The freeze date is the planned advertisement minus the plan's lead time, so ordering by the
    planned advertisement is ordering by the freeze date.
    """
    lead = timedelta(weeks=plan.rubric_values.freeze_lead_weeks)
    procurements = (
        Procurement.objects.filter(plan=plan, strategic=True)
        .select_related("department", "officer")
        .prefetch_related(
            Prefetch(
                "guidance", queryset=Guidance.objects.select_related("user").order_by("-created_at", "-pk")
            )
        )
        .order_by("planned_advertisement", "ref")
    )
    if user is not None and user.is_authenticated:
        procurements = procurements.prefetch_related(
            Prefetch(
                "involvement_requests",
                queryset=EarlyInvolvement.objects.filter(user=user),
                to_attr="asked_by_user",
            )
        )
    if without_guidance_only:
        procurements = procurements.exclude(Exists(Guidance.objects.filter(procurement=OuterRef("pk"))))
    procurements = procurements[start:stop]
    items = []
    kinds = dict(Guidance.Kind.choices)
    plan_url = plan.get_absolute_url()
    for procurement in procurements:
        # The plan the caller holds (with its municipality), so that links cost no query per item.
        procurement.plan = plan
        for guidance in procurement.guidance.all():
            # Shown on every item of the queue: labelled and dated once here, not per template lookup.
            guidance.kind_label = kinds.get(guidance.kind, guidance.kind)
            guidance.created_on = timezone.localtime(guidance.created_at).date().isoformat()
        freeze = procurement.planned_advertisement - lead
        asked = getattr(procurement, "asked_by_user", None)
        items.append(
            QueueItem(
                procurement=procurement,
                freeze_date=freeze,
                overdue=freeze < today,
                days_to_freeze=(freeze - today).days,
                url=Procurement.address(plan_url, procurement.ref),
                involvement_asked_on=timezone.localtime(asked[0].created_at).date() if asked else None,
            )
        )
    return items


def involvement_request_of(*, procurement: Procurement, user) -> EarlyInvolvement | None:
    """The user's request for early involvement in the procurement, if they have made it."""
    if user is None or not user.is_authenticated:
        return None
    return EarlyInvolvement.objects.filter(procurement=procurement, user=user).first()


def queue_counts(*, plan: Plan) -> dict:
    """How many strategic procurements, with and without guidance: one query."""
    has_guidance = Exists(Guidance.objects.filter(procurement=OuterRef("pk")))
    counts = Procurement.objects.filter(plan=plan, strategic=True).aggregate(
        total=Count("pk"), with_guidance=Count("pk", filter=Q(has_guidance))
    )
    return {
        "total": counts["total"],
        "with_guidance": counts["with_guidance"],
        "without_guidance": counts["total"] - counts["with_guidance"],
    }


def procurements_with_activity(*, plan: Plan):
    """For the board's summary: every procurement with guidance, comments, flags or changes, in ref order."""
    return (
        Procurement.objects.filter(plan=plan)
        .filter(
            Q(guidance__isnull=False)
            | Q(comments__isnull=False)
            | Q(involvement_requests__isnull=False)
            | Q(flags__isnull=False)
            | Q(confirmations__isnull=False)
        )
        .distinct()
        .select_related("department", "officer")
        .prefetch_related(
            Prefetch("guidance", queryset=Guidance.objects.select_related("user")),
            Prefetch(
                "comments", queryset=Comment.objects.select_related("user", "department", "responded_by")
            ),
            Prefetch("involvement_requests", queryset=EarlyInvolvement.objects.select_related("user")),
            "flags__user",
            "confirmations__department",
            "confirmations__user",
        )
        .order_by("ref")
    )


# --- The snapshot at the opening of the remiss ----------------------------------------------------


def snapshot_data(plan: Plan) -> dict:
    data = {}
    rows = Procurement.objects.filter(plan=plan).select_related("department")
    for procurement in rows:
        values = {name: getattr(procurement, name) for name in SNAPSHOT_FIELDS if name != "department"}
        values["department"] = procurement.department.code
        data[procurement.ref] = {name: as_text(value) for name, value in values.items()}
    return data


def ensure_snapshot(plan: Plan) -> PlanSnapshot | None:
    """Keep the plan as it stood when the remiss opened (taken once, at the first chance in the remiss)."""
    # Its data (every procurement of the plan) is read only by those who compare with it.
    existing = PlanSnapshot.objects.filter(plan=plan).defer("data").first()
    if existing or plan.phase_status().phase != "remiss":
        return existing
    try:
        with transaction.atomic():
            return PlanSnapshot.objects.create(plan=plan, data=snapshot_data(plan))
    except IntegrityError:  # taken at the same moment by another request or the daily job
        return PlanSnapshot.objects.get(plan=plan)


def changes_since_snapshot(plan: Plan) -> tuple[PlanSnapshot | None, PlanChanges]:
    snapshot = PlanSnapshot.objects.filter(plan=plan).first()
    if snapshot is None:
        return None, PlanChanges()
    return snapshot, compare(snapshot.data, snapshot_data(plan))


# --- Writes --------------------------------------------------------------------------------------


@transaction.atomic
def review_give_guidance(*, procurement: Procurement, kind: str, text: str, user) -> Guidance:
    guidance = Guidance.objects.create(procurement=procurement, kind=kind, text=text.strip(), user=user)
    history.record(
        plan=procurement.plan,
        procurement=procurement,
        user=user,
        action=HistoryEntry.Action.GUIDANCE,
        note=f"{guidance.get_kind_display()}: {guidance.text}",
    )
    return guidance


@transaction.atomic
def review_request_involvement(*, procurement: Procurement, text: str, user) -> EarlyInvolvement:
    """Ask to be involved before the requirements are set; the responsible officer is told at once.

    Once per politician and procurement: asking again (a second click, two tabs) returns the first
    request and tells nobody again.
    """
    existing = involvement_request_of(procurement=procurement, user=user)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            request = EarlyInvolvement.objects.create(procurement=procurement, text=text.strip(), user=user)
    except IntegrityError:  # asked at the same moment in another request
        return EarlyInvolvement.objects.get(procurement=procurement, user=user)
    history.record(
        plan=procurement.plan,
        procurement=procurement,
        user=user,
        action=HistoryEntry.Action.INVOLVEMENT,
        note=request.text,
    )
    notify_involvement(request)
    return request


@transaction.atomic
def comment_add(*, procurement: Procurement, text: str, user, department=None) -> Comment:
    comment = Comment.objects.create(
        procurement=procurement, text=text.strip(), user=user, department=department
    )
    history.record(
        plan=procurement.plan,
        procurement=procurement,
        user=user,
        action=HistoryEntry.Action.COMMENTED,
        note=text,
    )
    return comment


@transaction.atomic
def comment_answer(*, comment: Comment, response: str, handled: bool, user) -> Comment:
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    comment.response = response.strip()
    comment.handled = handled
    comment.responded_by = user
    comment.responded_at = timezone.now()
    comment.save(update_fields=["response", "handled", "responded_by", "responded_at"])
    history.record(
        plan=comment.procurement.plan,
        procurement=comment.procurement,
        user=user,
        action=HistoryEntry.Action.ANSWERED,
        note=comment.response,
    )
    return comment


@transaction.atomic
def needs_confirm(*, procurement: Procurement, department, user) -> NeedsConfirmation:
    confirmation, created = NeedsConfirmation.objects.get_or_create(
        procurement=procurement, department=department, defaults={"user": user}
    )
    if created:
        history.record(
            plan=procurement.plan,
            procurement=procurement,
            user=user,
            action=HistoryEntry.Action.CONFIRMED,
            note=department.name,
        )
    return confirmation


class StalePlan(Exception):
    """The plan's window or adoption changed after the editor loaded it."""

    def __init__(self, current: Plan):
        super().__init__(f"{current} is at version {current.version}")
        self.current = current


@transaction.atomic
def plan_set_window(
    *,
    plan: Plan,
    starts: date,
    ends: date,
    user,
    expected_version: int | None = None,
    order_starts: date | None = None,
    order_ends: date | None = None,
) -> Plan:
    """The remiss window and the order window (both empty: the default one)."""
    names = ("remiss_starts", "remiss_ends", "order_starts", "order_ends")
    after = dict(zip(names, (starts, ends, order_starts, order_ends), strict=True))
    before = _update_plan(plan, after, expected_version=expected_version)
    history.record(
        plan=plan, user=user, action=HistoryEntry.Action.WINDOW, changes=history.field_changes(before, after)
    )
    return plan


@transaction.atomic
def plan_set_publication(
    *, plan: Plan, publish_draft: bool, show_officer_email: bool, user, expected_version: int | None = None
) -> Plan:
    """What the plan shows the public besides the adopted plan (issue 17): its draft during the remiss, and
    the responsible officers' e-mail on the public procurement pages. Versioned, in the plan's history."""
    after = {"publish_draft": publish_draft, "show_officer_email": show_officer_email}
    before = _update_plan(plan, after, expected_version=expected_version)
    if before != after:
        history.record(
            plan=plan,
            user=user,
            action=HistoryEntry.Action.PUBLICATION,
            changes=history.field_changes(before, after),
        )
    return plan


def _update_plan(plan: Plan, after: dict, *, expected_version: int | None) -> dict:
    """Write the fields of after on the plan, locked and versioned (StalePlan when expected_version is
    not the plan's), in the database and on the instance; the fields' values before, for the history.
    Inside the caller's transaction."""
    current = Plan.objects.select_for_update().get(pk=plan.pk)
    if expected_version is not None and current.version != expected_version:
        raise StalePlan(current)
    before = {name: getattr(current, name) for name in after}
    Plan.objects.filter(pk=plan.pk).update(**after, updated_at=timezone.now(), version=current.version + 1)
    for name, value in after.items():
        setattr(plan, name, value)
    plan.version = current.version + 1
    return before


@transaction.atomic
def plan_record_adoption(*, plan: Plan, adopted_on: date, minute_ref: str, minutes=None, user) -> Plan:
    """The board's decision: from now on the plan is read-only except for follow-up."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    plan.version += 1
    plan.adopted_on = adopted_on
    plan.adoption_minute_ref = minute_ref.strip()
    if minutes is not None:
        plan.adoption_minutes = minutes
    plan.save()
    history.record(
        plan=plan,
        user=user,
        action=HistoryEntry.Action.ADOPTED,
        changes={
            "adopted_on": ["", adopted_on.isoformat()],
            "adoption_minute_ref": ["", plan.adoption_minute_ref],
        },
    )
    return plan
