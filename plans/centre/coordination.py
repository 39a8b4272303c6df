"""
Coordinated procurements (issue 16): the writes, each one transaction, and what the rule in suggestions.py
reads from the database.

Locks are taken in one order everywhere: the group's row first, then its procurements' rows by pk, so that
two officers acting on the same procurement wait for each other instead of deadlocking, and the second
finds what the first did (select_for_update re-reads a row once its lock is free) and is refused.

- The lead leaving hands the lead to the earliest remaining member (by planned advertisement, then pk);
  fewer than two municipalities left dissolves the group.
- An adopted plan is frozen: its procurement cannot join or leave a group, a group with one cannot be
  dissolved, and its row is never rewritten here (its combined value and score stay as adopted).
- Every step writes a history entry on every member's procurement, naming the other municipalities and
  the lead's (never another municipality's texts: the history is read by each municipality's people).
- group_refresh keeps each member's coordinated_value_sek (the group's combined value) and
  coordinated_with (how many other municipalities) and rescores it; it never bumps the procurement's
  version, since nobody edited the procurement (an officer's open form stays valid).
"""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from plans.centre.suggestions import Candidate, Suggestion, suggest
from plans.models import SCORE_FIELDS, CentreSettings, CoordinationGroup, HistoryEntry, Procurement
from plans.register import history

# What refresh writes on each member: save() adds the score fields (and rescores).
REFRESHED_FIELDS = ("coordinated_value_sek", "coordinated_with")
TITLE_MAX = 300


class CoordinationRefused(Exception):
    """The step cannot be taken; message says why, for the officer."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


class StaleSettings(Exception):
    """The centre's settings were saved by someone else after the form was built."""

    def __init__(self, current: CentreSettings):
        super().__init__(f"centre settings at version {current.version}")
        self.current = current


class StaleGroup(Exception):
    """The group changed after the officer's page was loaded."""

    def __init__(self, group: CoordinationGroup):
        super().__init__(f"group {group.pk} is at version {group.version}")
        self.current = group


# --- Reading: what the rule needs -------------------------------------------------------------------


def year_procurements(centre, year: int):
    """The procurements of the centre's municipalities' plans of the year."""
    return Procurement.objects.filter(plan__municipality__centre=centre, plan__year=year)


def candidates(centre, year: int, today=None) -> list[Candidate]:
    """Every procurement of the centre's year the rule should weigh, in one query: those of plans not yet
    adopted whose advertisement is still to come (one advertised already is bought on its own), and the
    members of active groups (which others may be suggested to join)."""
    today = today or timezone.localdate()
    in_group = Q(coordination__isnull=False, coordination__dissolved_at__isnull=True)
    open_ = Q(plan__adopted_on__isnull=True, planned_advertisement__gte=today)
    rows = (
        year_procurements(centre, year)
        .filter(open_ | in_group)
        .values_list(
            "pk",
            "plan__municipality_id",
            "cpv",
            "category",
            "title",
            "planned_advertisement",
            "coordination_id",
            "coordination__dissolved_at",
        )
        .order_by()
    )
    return [
        Candidate(pk, municipality, cpv, category, title, advertised, None if dissolved else group)
        for pk, municipality, cpv, category, title, advertised, group, dissolved in rows
    ]


def suggestions(centre, year: int, settings: CentreSettings | None = None, **overrides) -> list[Suggestion]:
    """The rule's suggestions for the centre's year, with the centre's settings (or overrides: cpv_digits,
    months, as the page's "try other values" form gives them)."""
    settings = settings or CentreSettings.of(centre)
    options = {"cpv_digits": settings.coordination_cpv_digits, "months": settings.coordination_months}
    options.update({name: value for name, value in overrides.items() if value is not None})
    return suggest(candidates(centre, year), **options)


def suggestion_ids(centre, year: int, settings: CentreSettings | None = None) -> set[int]:
    """The procurements (pks) not yet in a group that at least one suggestion holds."""
    return {pk for suggestion in suggestions(centre, year, settings) for pk in suggestion.free}


# --- Writing ------------------------------------------------------------------------------------------


@transaction.atomic
def settings_set(*, centre, cpv_digits: int, months: int, expected_version: int, user) -> CentreSettings:
    """Save what counts as a coordination candidate, unless someone saved the centre's settings after the
    form was built (StaleSettings). The version moves only when a value does."""
    CentreSettings.of(centre)
    current = CentreSettings.objects.select_for_update().get(centre=centre)
    if current.version != expected_version:
        raise StaleSettings(current)
    if (current.coordination_cpv_digits, current.coordination_months) == (cpv_digits, months):
        return current
    current.coordination_cpv_digits, current.coordination_months = cpv_digits, months
    current.version += 1
    current.full_clean()
    current.save()
    return current


# --- Groups ------------------------------------------------------------------------------------------


def _locked(pks) -> list[Procurement]:
    """The procurements, locked in pk order, with what the checks and the history read."""
    return list(
        Procurement.objects.select_for_update(of=("self",))
        .filter(pk__in=set(pks))
        .select_related("plan__municipality")
        .order_by("pk")
    )


def _locked_group(group: CoordinationGroup, expected_version: int | None) -> CoordinationGroup:
    current = CoordinationGroup.objects.select_for_update().filter(pk=group.pk).first()
    if current is None or current.dissolved_at is not None:
        raise CoordinationRefused(_("The coordinated procurement has been dissolved."))
    if expected_version is not None and current.version != expected_version:
        raise StaleGroup(current)
    return current


def _municipality(procurement) -> str:
    return procurement.plan.municipality.name


def _refuse_frozen(procurements, message):
    for procurement in procurements:
        if procurement.plan.is_adopted:
            raise CoordinationRefused(
                message % {"ref": procurement.ref, "municipality": _municipality(procurement)}
            )


def _refuse_taken(procurements):
    for procurement in procurements:
        if procurement.coordination_id is not None:
            raise CoordinationRefused(
                _(
                    "%(ref)s of %(municipality)s is already in a coordinated procurement; "
                    "it can take part in one only. Nothing was changed."
                )
                % {"ref": procurement.ref, "municipality": _municipality(procurement)}
            )


def _check_scope(procurements, *, centre, year):
    """Every procurement in a plan of the year of one of the centre's municipalities. Checked before
    anything else is said of them: a procurement of another centre or year is named by nothing (its
    reference, municipality or group would tell an officer of this centre what is not theirs)."""
    for procurement in procurements:
        plan = procurement.plan
        if plan.year != year or plan.municipality.centre_id != centre.pk:
            raise CoordinationRefused(_("Choose among the procurements shown."))


def _check_members(procurements, *, centre, year):
    """The same year, the centre's municipalities, one procurement per municipality, at least two."""
    _check_scope(procurements, centre=centre, year=year)
    municipalities = set()
    for procurement in procurements:
        plan = procurement.plan
        if plan.municipality_id in municipalities:
            raise CoordinationRefused(
                _("Choose one procurement per municipality: %(municipality)s has two.")
                % {"municipality": _municipality(procurement)}
            )
        municipalities.add(plan.municipality_id)
    if len(municipalities) < 2:
        raise CoordinationRefused(
            _("A coordinated procurement needs procurements of two municipalities or more.")
        )


def _names(procurements) -> str:
    return ", ".join(sorted({_municipality(procurement) for procurement in procurements}))


def _note(member, members, lead) -> str:
    others = [other for other in members if other.plan.municipality_id != member.plan.municipality_id]
    return _("with %(others)s (lead: %(lead)s)") % {
        "others": _names(others),
        "lead": _municipality(lead) if lead else "–",
    }


def _record(members, *, action, user, note):
    """A history entry on every member's procurement; note(member) is its text."""
    for member in members:
        history.record(plan=member.plan, procurement=member, user=user, action=action, note=note(member))


@transaction.atomic
def group_create(*, centre, year: int, procurements, lead, user, title: str = "") -> CoordinationGroup:
    """A new coordinated procurement of procurements (instances or pks) of different municipalities of the
    centre's year, none in an active group, led by lead (one of them)."""
    pks = {getattr(procurement, "pk", procurement) for procurement in procurements}
    lead_pk = getattr(lead, "pk", lead)
    if lead_pk not in pks:
        raise CoordinationRefused(_("The lead must be one of the coordinated procurements."))
    members = _locked(pks)
    if len(members) != len(pks):
        raise CoordinationRefused(_("A procurement has been deleted meanwhile. Nothing was changed."))
    _check_scope(members, centre=centre, year=year)
    _check_members(members, centre=centre, year=year)
    _refuse_taken(members)
    _refuse_frozen(
        members, _("%(ref)s of %(municipality)s is in an adopted plan, which can no longer change.")
    )
    lead = next(member for member in members if member.pk == lead_pk)
    group = CoordinationGroup.objects.create(
        centre=centre,
        year=year,
        title=(title or "").strip()[:TITLE_MAX] or lead.title,
        lead=lead,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    for member in members:
        member.coordination = group
    _write(members)
    _record(
        members,
        action=HistoryEntry.Action.COORDINATED,
        user=user,
        note=lambda member: _note(member, members, lead),
    )
    return group


@transaction.atomic
def group_join(*, group: CoordinationGroup, procurement, user, expected_version: int) -> CoordinationGroup:
    """Add a procurement of a municipality not yet in the group."""
    group = _locked_group(group, expected_version)
    joiner_pk = getattr(procurement, "pk", procurement)
    members = _locked(
        [*Procurement.objects.filter(coordination=group).values_list("pk", flat=True), joiner_pk]
    )
    joiner = next((member for member in members if member.pk == joiner_pk), None)
    if joiner is None:
        raise CoordinationRefused(_("The procurement has been deleted meanwhile. Nothing was changed."))
    _check_scope([joiner], centre=group.centre, year=group.year)
    if joiner.coordination_id == group.pk:
        raise CoordinationRefused(
            _("%(ref)s is already in this coordinated procurement.") % {"ref": joiner.ref}
        )
    _refuse_taken([joiner])
    _refuse_frozen(
        [joiner], _("%(ref)s of %(municipality)s is in an adopted plan, which can no longer change.")
    )
    _check_members(members, centre=group.centre, year=group.year)
    joiner.coordination = group
    group.version += 1
    group.save(update_fields=["version"])
    _write(members)
    lead = _lead(group, members)
    joined = _municipality(joiner)

    def note(member):
        if member is joiner:
            return _note(member, members, lead)
        return _("%(municipality)s joined; now %(rest)s") % {
            "municipality": joined,
            "rest": _note(member, members, lead),
        }

    _record(members, action=HistoryEntry.Action.COORDINATED, user=user, note=note)
    return group


@transaction.atomic
def group_leave(*, group: CoordinationGroup, procurement, user, expected_version: int) -> CoordinationGroup:
    """A participant (or the lead: the earliest remaining member leads then) leaves the group; with fewer
    than two municipalities left, the group is dissolved."""
    group = _locked_group(group, expected_version)
    leaver_pk = getattr(procurement, "pk", procurement)
    members = _locked(Procurement.objects.filter(coordination=group).values_list("pk", flat=True))
    leaver = next((member for member in members if member.pk == leaver_pk), None)
    if leaver is None:
        raise CoordinationRefused(_("The procurement is no longer in this coordinated procurement."))
    _refuse_frozen(
        [leaver],
        _("%(ref)s of %(municipality)s is in an adopted plan: it stays in the coordinated procurement."),
    )
    remaining = [member for member in members if member is not leaver]
    if len(remaining) < 2:
        _refuse_frozen(
            remaining,
            _(
                "%(ref)s of %(municipality)s is in an adopted plan and would be left alone: "
                "the coordinated procurement cannot be dissolved."
            ),
        )
    left = _municipality(leaver)
    before = list(members)
    _remove(group, [leaver])
    if len(remaining) < 2:
        _end(group, remaining)
    else:
        if group.lead_id == leaver.pk or group.lead_id is None:
            group.lead = min(remaining, key=lambda member: (member.planned_advertisement, member.pk))
        group.version += 1
        group.save(update_fields=["lead", "version"])
        _write(remaining)
    lead = _lead(group, remaining) if group.is_active else None

    def note(member):
        if member is leaver:
            return _("%(municipality)s left the coordinated procurement with %(others)s") % {
                "municipality": left,
                "others": _names([other for other in before if other is not leaver]),
            }
        if not group.is_active:
            return _("%(municipality)s left; fewer than two municipalities remained") % {"municipality": left}
        return _("%(municipality)s left; now %(rest)s") % {
            "municipality": left,
            "rest": _note(member, remaining, lead),
        }

    _record([leaver], action=HistoryEntry.Action.LEFT_GROUP, user=user, note=note)
    _record(
        remaining,
        action=HistoryEntry.Action.LEFT_GROUP if group.is_active else HistoryEntry.Action.DISSOLVED,
        user=user,
        note=note,
    )
    return group


@transaction.atomic
def group_dissolve(*, group: CoordinationGroup, user, expected_version: int) -> CoordinationGroup:
    """End the group: every member is on its own again (its own value scores it)."""
    group = _locked_group(group, expected_version)
    members = _locked(Procurement.objects.filter(coordination=group).values_list("pk", flat=True))
    _refuse_frozen(
        members,
        _(
            "%(ref)s of %(municipality)s is in an adopted plan, which can no longer change: "
            "the coordinated procurement cannot be dissolved."
        ),
    )
    _end(group, members)
    _record(
        members,
        action=HistoryEntry.Action.DISSOLVED,
        user=user,
        note=lambda member: (
            _("with %(others)s")
            % {
                "others": _names(
                    [other for other in members if other.plan.municipality_id != member.plan.municipality_id]
                )
            }
        ),
    )
    return group


def group_refresh(group, *, user=None, gone: str = "") -> CoordinationGroup | None:
    """Recompute the members' combined value and count, and rescore them (group: a group or its pk).
    A group of fewer than two municipalities is dissolved; one whose lead is gone gets the earliest member
    as lead. For the places that change a member's value or delete one (procurement edit, import,
    delete): call it in their transaction, having locked the group before the procurement's row
    (lock_groups). gone: the municipality whose procurement was deleted, for the members' history."""
    if group is None:
        return None
    with transaction.atomic():
        group = CoordinationGroup.objects.select_for_update().filter(pk=getattr(group, "pk", group)).first()
        if group is None or not group.is_active:
            return group
        members = _locked(Procurement.objects.filter(coordination=group).values_list("pk", flat=True))
        if len({member.plan.municipality_id for member in members}) < 2:
            _end(group, members)
            _record(
                members,
                action=HistoryEntry.Action.DISSOLVED,
                user=user,
                note=lambda member: _deleted(gone) + _("fewer than two municipalities remained"),
            )
            return group
        if group.lead_id not in {member.pk for member in members}:
            group.lead = min(members, key=lambda member: (member.planned_advertisement, member.pk))
            group.version += 1
            group.save(update_fields=["lead", "version"])
        moved = _write(members)
        if not gone:
            # Another member's value changed: the rows it rescored say so, without naming any value (it
            # may be another municipality's draft, or confidential).
            for member, changes in moved:
                history.record(
                    plan=member.plan,
                    procurement=member,
                    user=user,
                    action=HistoryEntry.Action.REGROUPED,
                    changes=changes,
                )
        if gone:
            lead = _lead(group, members)
            _record(
                members,
                action=HistoryEntry.Action.LEFT_GROUP,
                user=user,
                note=lambda member: (
                    _deleted(gone) + _("now %(rest)s") % {"rest": _note(member, members, lead)}
                ),
            )
    return group


def _deleted(municipality: str) -> str:
    if not municipality:
        return ""
    return _("%(municipality)s's procurement was deleted; ") % {"municipality": municipality}


def lock_groups(procurements) -> list[int]:
    """Lock the active groups of these procurements in pk order, and return their pks: a caller that
    changes a member's value or deletes it locks them before the procurement's row (the order every
    service here takes), then calls refresh_groups."""
    ids = sorted({procurement.coordination_id for procurement in procurements if procurement.coordination_id})
    if ids:
        ids = list(
            CoordinationGroup.objects.select_for_update()
            .filter(pk__in=ids, dissolved_at__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    return ids


def refresh_groups(group_ids, *, user=None, gone: str = "") -> None:
    """group_refresh for each of these groups (None and repeats skipped), in pk order."""
    for pk in sorted({pk for pk in group_ids if pk}):
        group_refresh(pk, user=user, gone=gone)


# --- Helpers of the writes ----------------------------------------------------------------------------


def _lead(group, members):
    return next((member for member in members if member.pk == group.lead_id), None)


def _write(members) -> list:
    """Each member of an active group (not frozen) gets the group's combined value and count, rescored.
    Returns [(member, {score field: [before, after]})] of the members whose scores moved."""
    total = sum(member.estimated_value_sek for member in members)
    others = len({member.plan.municipality_id for member in members}) - 1
    moved = []
    for member in members:
        if member.plan.is_adopted:
            continue
        before = {name: getattr(member, name) for name in SCORE_FIELDS}
        member.coordinated_value_sek, member.coordinated_with = total, others
        member.save(update_fields=["coordination", *REFRESHED_FIELDS])
        changes = history.field_changes(before, {name: getattr(member, name) for name in SCORE_FIELDS})
        if changes:
            moved.append((member, changes))
    return moved


def _remove(group, members):
    for member in members:
        member.coordination = None
        if member.plan.is_adopted:
            continue
        member.coordinated_value_sek, member.coordinated_with = None, 0
        member.save(update_fields=["coordination", *REFRESHED_FIELDS])


def _end(group, members):
    _remove(group, members)
    group.dissolved_at = timezone.now()
    group.version += 1
    group.save(update_fields=["dissolved_at", "version"])
