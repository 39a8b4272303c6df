"""
The centre's desk in the demo (issue 16), from demo.json's "desk": for the coming year's plans, the
coordinated procurements the officers have already formed, and each officer's capacity per quarter.

- A coordinated procurement is formed through the coordination's own service (group_create), as the
  coordination page does: its members get the combined value and are rescored, and every member's
  history says so. Members are named "<municipality slug>:<ref>", the ref as the plan file writes it
  (for `written_for`), moved to the plan's year like the file.
- Capacities are points per quarter (Q1–Q4) of the coming year, for the centre's officers by username.

What exists is left as it is: a group whose members are already coordinated is not formed again, and a
capacity already set keeps its points. The data are chosen so that the desk has something to show:
Falun's and Borlänge's coffee (2,3 and 1,2 Mkr, each below the EU threshold, together above it) are one
coordinated procurement; their passenger cars, cleaning and office supplies are left as suggestions;
"upphandlare" carries more in Q1 than the capacity, the others do not; three procurements have no
officer (the plan files leave the column empty).
"""

from decimal import Decimal

from django.conf import settings
from django.utils import translation

from plans.centre.coordination import CoordinationRefused, group_create
from plans.demo.files import DemoDataError
from plans.demo.years import moved_ref
from plans.models import QUARTERS, CoordinationGroup, OfficerCapacity, Procurement


def demo_desk(centre, desk: dict, *, year: int, users: dict) -> None:
    """Form the desk's coordinated procurements and set the officers' capacities for `year`."""
    written_for = desk["written_for"]
    for item in desk.get("coordinated", []):
        members = [_procurement(centre, name, written_for, year) for name in item["members"]]
        lead = _procurement(centre, item["lead"], written_for, year)
        if any(member.coordination_id for member in members):
            continue
        try:
            # The history notes are written in the site's language, like the rest of the demo's data.
            with translation.override(settings.LANGUAGE_CODE):
                group_create(
                    centre=centre,
                    year=year,
                    procurements=members,
                    lead=lead,
                    user=_user(users, item["by"]),
                    title=item.get("title", ""),
                )
        except CoordinationRefused as refused:
            raise DemoDataError(f"demo.json's coordinated procurement {item['members']}: {refused}") from None
    for username, points in desk.get("capacities", {}).items():
        if len(points) != len(QUARTERS):
            raise DemoDataError(f"demo.json gives {username} {len(points)} quarters' capacities, not 4")
        officer = _user(users, username)
        for quarter, value in zip(QUARTERS, points, strict=True):
            OfficerCapacity.objects.get_or_create(
                centre=centre,
                officer=officer,
                year=year,
                quarter=quarter,
                defaults={"points": Decimal(value)},
            )


def remove_left_groups(centre) -> None:
    """The centre's coordinated procurements that lost every member (a reset deletes the demo's plans):
    gone with them, so that the demo is built again as from nothing."""
    CoordinationGroup.objects.filter(centre=centre, members__isnull=True).delete()


def _procurement(centre, name: str, written_for: int, year: int) -> Procurement:
    slug, _colon, ref = name.partition(":")
    moved = moved_ref(ref, written_for, year)
    found = Procurement.objects.filter(
        plan__municipality__centre=centre, plan__municipality__slug=slug, plan__year=year, ref=moved
    ).first()
    if found is None:
        raise DemoDataError(f"demo.json's desk names {slug}:{moved}, which no plan of {year} has")
    return found


def _user(users: dict, username: str):
    try:
        return users[username]
    except KeyError:
        raise DemoDataError(f"demo.json's desk names {username!r}, who is no demo user") from None
