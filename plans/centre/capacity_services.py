"""Writes of the capacity page (issue 16), one transaction each: the officers' capacities and the weights
of the load (plan administrators), and a procurement's responsible officer (officers and plan
administrators; accounts.permissions decides who, the views ask it).

Assigning an officer is work planning, not a change to what the plan orders: it is allowed in every
phase, an adopted plan's procurements included, since the work of an adopted plan is still to be done
(and shared out again when an officer leaves). It is versioned and recorded like any edit.
"""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Role, User
from plans.centre.capacity import QUARTERS, Weights, capacity_stamp
from plans.models import CentreSettings, HistoryEntry, OfficerCapacity, Procurement
from plans.register import history
from plans.register.history import readable
from plans.register.services import StaleEdit


class CapacityRefused(Exception):
    """The write is not possible as asked; message says why, for the user."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class StaleSettings(Exception):
    """The centre's weights were saved by someone else after the form was built."""

    def __init__(self, current: CentreSettings):
        super().__init__(f"centre settings at version {current.version}")
        self.current = current


class StaleCapacities(Exception):
    """The year's capacities were saved by someone else after the form was built."""

    def __init__(self, current: dict):
        super().__init__("capacities changed")
        self.current = current


NOT_AN_OFFICER = _("%(name)s is not an officer of this procurement centre.")


def centre_officers(centre):
    """The centre's officers (users with an officer membership of the centre), by name."""
    return (
        User.objects.filter(memberships__role=Role.OFFICER, memberships__centre=centre)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def capacities_of(centre, year: int) -> dict[tuple[int, int], Decimal]:
    """{(officer id, quarter): points} of the centre's year: one query."""
    return {
        (officer_id, quarter): points
        for officer_id, quarter, points in OfficerCapacity.objects.filter(
            centre=centre, year=year
        ).values_list("officer_id", "quarter", "points")
    }


@transaction.atomic
def capacity_set(*, centre, year: int, points: dict, expected_stamp: str, user) -> int:
    """Set the officers' capacities of a year: points maps (officer id, quarter) to points, or to None to
    clear the capacity. Refused (StaleCapacities) if anyone saved the year's capacities after the form
    was built (expected_stamp: capacity_stamp of what it showed); refused (CapacityRefused) for anyone
    who is not one of the centre's officers. Returns how many capacities changed."""
    # The centre's settings row is the lock: two plan administrators saving at once take turns.
    CentreSettings.of(centre)
    CentreSettings.objects.select_for_update().get(centre=centre)
    current = capacities_of(centre, year)
    if capacity_stamp(current) != expected_stamp:
        raise StaleCapacities(current)
    officers = set(centre_officers(centre).values_list("pk", flat=True))
    changed = 0
    for (officer_id, quarter), value in points.items():
        if officer_id not in officers or quarter not in QUARTERS:
            raise CapacityRefused(_("Capacities can be set only for the centre's officers, for Q1–Q4."))
        if value is not None and value < 0:
            raise CapacityRefused(_("A capacity cannot be negative."))
        before = current.get((officer_id, quarter))
        if value == before:
            continue
        changed += 1
        if value is None:
            OfficerCapacity.objects.filter(
                centre=centre, officer_id=officer_id, year=year, quarter=quarter
            ).delete()
        else:
            OfficerCapacity.objects.update_or_create(
                centre=centre, officer_id=officer_id, year=year, quarter=quarter, defaults={"points": value}
            )
    return changed


@transaction.atomic
def weights_set(*, centre, weights: Weights, expected_version: int, user) -> CentreSettings:
    """Set the weights of the load, unless someone saved the centre's settings after the form was built
    (StaleSettings). The version moves only when a weight does."""
    CentreSettings.of(centre)
    current = CentreSettings.objects.select_for_update().get(centre=centre)
    if current.version != expected_version:
        raise StaleSettings(current)
    if Weights.of(current) == weights:
        return current
    for name in Weights.NAMES:
        setattr(current, f"weight_{name}", getattr(weights, name))
    current.version += 1
    current.full_clean()
    current.save()
    return current


def is_centre_officer(user, centre_id: int) -> bool:
    return Membership.objects.filter(user=user, role=Role.OFFICER, centre_id=centre_id).exists()


@transaction.atomic
def officer_assign(*, procurement: Procurement, officer, expected_version: int, user) -> Procurement:
    """Make officer the procurement's responsible officer.

    1. The officer must be an officer of the centre that serves the procurement's municipality
       (CapacityRefused if not).
    2. If the procurement was saved after the page was built (expected_version), StaleEdit, nothing
       written: someone else may have assigned it already.
    3. The procurement gets a new version and its history an "assigned the officer" entry.
    """
    current = (
        Procurement.objects.select_for_update(of=("self",))
        .select_related("plan__municipality", "officer")
        .get(pk=procurement.pk)
    )
    if not is_centre_officer(officer, current.plan.municipality.centre_id):
        raise CapacityRefused(NOT_AN_OFFICER % {"name": officer})
    if current.version != expected_version:
        raise StaleEdit(current)
    if current.officer_id == officer.pk:
        return current
    before = readable(current.officer)
    current.officer = officer
    current.version += 1
    current.save(update_fields=["officer", "version", "updated_at"])
    history.record(
        plan=current.plan,
        procurement=current,
        user=user,
        action=HistoryEntry.Action.ASSIGNED,
        changes={"officer": [before, readable(officer)]},
    )
    return current
