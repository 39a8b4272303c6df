"""
A fingerprint of the demo: every plan, procurement (with its scores), outcome, target and piece of remiss
activity, the departments, users and memberships, the centre's desk (coordinated procurements, officers'
capacities), and a count of every table, as sorted JSON.

`tests/data/demo_fingerprint.json` is the demo as `load_demo(today=FINGERPRINT_TODAY)` gave it before the
demo became data files; the equivalence test checks that loading the files still gives exactly that.
History entries are left out: the import records its own. So are timestamps, primary keys and versions.

To write it again (after a deliberate change to the demo), on a fresh database:

    export DATABASE_URL=sqlite:////tmp/demo-fingerprint.sqlite3
    rm -f /tmp/demo-fingerprint.sqlite3 && .venv/bin/python manage.py migrate --noinput
    .venv/bin/python -m tests.plans.demo.fingerprint > tests/data/demo_fingerprint.json
"""

import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

# Inside the default remiss window of the coming year's plans (1 Aug – 30 Nov 2026), so the demo's
# remiss activity (the snapshot, guidance, comments) is all there.
FINGERPRINT_TODAY = date(2026, 9, 15)
FINGERPRINT_FILE = Path(__file__).resolve().parents[2] / "data" / "demo_fingerprint.json"

LEFT_OUT = {
    "id", "plan", "procurement", "created_at", "updated_at", "version", "responded_at", "taken_at",
    # When a procurement was first among the coming ones (issue 17): a moment, set by the alert run.
    "public_since",
}  # fmt: skip
NOT_COUNTED = {"plans.historyentry"}


def _plain(value):
    """A stored value as JSON: dates as ISO text, decimals as text, users by username, departments by code."""
    if isinstance(value, datetime):
        raise AssertionError("timestamps are left out of the fingerprint")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "username"):
        return value.username
    if hasattr(value, "code") and hasattr(value, "municipality_id"):
        return value.code
    if hasattr(value, "slug"):
        return value.slug
    if hasattr(value, "dissolved_at"):  # a coordinated procurement, by its title
        return value.title
    return value


def _fields(instance) -> dict:
    """Every concrete field of a row but the bookkeeping ones (LEFT_OUT), foreign keys by their name."""
    result = {}
    for field in instance._meta.concrete_fields:
        if field.name in LEFT_OUT:
            continue
        result[field.name] = _plain(getattr(instance, field.name))
    return result


def _ref(row) -> str:
    return row.procurement.ref


def _plan(plan) -> dict:
    from plans.models import (
        Comment,
        EarlyInvolvement,
        Guidance,
        NeedsConfirmation,
        Outcome,
        PlanSnapshot,
        Procurement,
        StrategicFlag,
        Target,
    )

    procurements = Procurement.objects.filter(plan=plan).select_related("department", "officer")
    outcomes = Outcome.objects.filter(procurement__plan=plan).select_related("procurement", "updated_by")

    def activity(model, *related):
        rows = model.objects.filter(procurement__plan=plan).select_related("procurement", *related)
        return sorted(
            ({"ref": _ref(row), **_fields(row)} for row in rows),
            key=lambda row: json.dumps(row, sort_keys=True, ensure_ascii=False),
        )

    snapshot = PlanSnapshot.objects.filter(plan=plan).first()
    return {
        "municipality": plan.municipality.slug,
        "year": plan.year,
        "remiss_starts": _plain(plan.remiss_starts),
        "remiss_ends": _plain(plan.remiss_ends),
        "adopted_on": _plain(plan.adopted_on),
        "adoption_minute_ref": plan.adoption_minute_ref,
        "procurements": {procurement.ref: _fields(procurement) for procurement in procurements},
        "outcomes": {outcome.procurement.ref: _fields(outcome) for outcome in outcomes},
        "targets": sorted(
            (_fields(target) for target in Target.objects.filter(plan=plan)),
            key=lambda row: (row["key"], row["label"]),
        ),
        "guidance": activity(Guidance, "user"),
        "comments": activity(Comment, "user", "department", "responded_by"),
        "answered_comments": Comment.objects.filter(
            procurement__plan=plan, responded_at__isnull=False
        ).count(),
        "confirmations": activity(NeedsConfirmation, "department", "user"),
        "early_involvement": activity(EarlyInvolvement, "user"),
        "flags": activity(StrategicFlag, "user"),
        "snapshot": snapshot.data if snapshot is not None else None,
    }


def _desk() -> dict:
    """The coordinated procurements (lead and members as "<municipality>:<ref>") and the capacities."""
    from plans.models import CoordinationGroup, OfficerCapacity

    def name(procurement):
        return f"{procurement.plan.municipality.slug}:{procurement.ref}" if procurement else None

    groups = CoordinationGroup.objects.select_related("centre", "created_by", "lead__plan__municipality")
    return {
        "coordinated": sorted(
            (
                {
                    "centre": group.centre.slug,
                    "year": group.year,
                    "title": group.title,
                    "lead": name(group.lead),
                    "members": sorted(
                        name(member) for member in group.members.select_related("plan__municipality")
                    ),
                    "created_by": _plain(group.created_by),
                    "dissolved": group.dissolved_at is not None,
                }
                for group in groups
            ),
            key=lambda group: json.dumps(group, sort_keys=True, ensure_ascii=False),
        ),
        "capacities": sorted(
            [row.centre.slug, row.officer.username, row.year, row.quarter, str(row.points)]
            for row in OfficerCapacity.objects.select_related("centre", "officer")
        ),
    }


def demo_fingerprint() -> dict:
    from django.apps import apps

    from accounts.models import Department, Membership, User
    from plans.models import Plan

    plans = Plan.objects.select_related("municipality").order_by("municipality__slug", "year")
    departments = {}
    for department in Department.objects.select_related("municipality"):
        departments.setdefault(department.municipality.slug, {})[department.code] = department.name
    users = {
        user.username: {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "is_staff": user.is_staff,
            "is_superuser": user.is_superuser,
            "is_active": user.is_active,
            "usable_password": user.has_usable_password(),
        }
        for user in User.objects.all()
    }
    memberships = sorted(
        [
            membership.user.username,
            membership.role,
            _plain(membership.centre),
            _plain(membership.municipality),
            _plain(membership.department),
        ]
        for membership in Membership.objects.select_related("user", "centre", "municipality", "department")
    )
    # Every table that holds rows: a table added later (orders …) and left empty by the demo does not
    # change the fingerprint, while one the demo stops filling drops out of it and is noticed.
    counts = {
        model._meta.label_lower: count
        for label in ("accounts", "plans")
        for model in apps.get_app_config(label).get_models()
        if model._meta.label_lower not in NOT_COUNTED and (count := model.objects.count())
    }
    return {
        "today": FINGERPRINT_TODAY.isoformat(),
        "plans": [_plan(plan) for plan in plans],
        "departments": departments,
        "users": users,
        "memberships": memberships,
        "desk": _desk(),
        "counts": counts,
    }


def as_json(fingerprint: dict) -> str:
    return json.dumps(fingerprint, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def main():  # pragma: no cover - run by hand, see the module's docstring
    import os
    import sys

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "procurement.settings")
    django.setup()
    import time_machine

    from plans.demo import load_demo
    from plans.models import Plan

    if Plan.objects.exists():
        sys.exit("The database is not fresh: migrate a new one first (see the docstring).")
    with time_machine.travel(FINGERPRINT_TODAY, tick=False):
        load_demo(today=FINGERPRINT_TODAY)
        sys.stdout.write(as_json(demo_fingerprint()))


if __name__ == "__main__":
    main()
