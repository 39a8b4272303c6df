"""
What a remiss looks like a few weeks in, from the demo's data (the plan's "remiss" in demo.json): the
snapshot taken when it opened, guidance from a politician, a department's confirmation, and comments,
one of them answered. Everything goes through the remiss's own functions, as the pages call them.

The refs in the data are those of the plan file (written for `written_for`); they are moved to the
plan's year like the file itself.
"""

from accounts.models import Membership
from plans.demo.files import DemoDataError
from plans.demo.years import moved_ref
from plans.models import Procurement
from plans.remiss.review import (
    comment_add,
    comment_answer,
    ensure_snapshot,
    needs_confirm,
    review_give_guidance,
)


def remiss_activity(plan, activity: dict, *, users: dict, written_for: int) -> None:
    ensure_snapshot(plan)
    # Guidance goes to the first strategic procurement (the most urgent freeze first) whose title holds
    # one of the words; when none does, the guidance is left out and the queue simply has more waiting.
    strategic = list(
        Procurement.objects.filter(plan=plan, strategic=True).order_by("planned_advertisement", "ref")
    )
    for item in activity.get("guidance", []):
        words = [word.lower() for word in item["title_words"]]
        procurement = next((p for p in strategic if any(word in p.title.lower() for word in words)), None)
        if procurement is not None:
            review_give_guidance(
                procurement=procurement, kind=item["kind"], text=item["text"], user=_user(users, item["by"])
            )
    for item in activity.get("confirmations", []):
        user = _user(users, item["by"])
        department = _department(user, plan)
        if department is None:
            raise DemoDataError(f"{user.username} confirms for no department of {plan.municipality}")
        needs_confirm(
            procurement=_procurement(plan, item["ref"], written_for), department=department, user=user
        )
    for item in activity.get("comments", []):
        user = _user(users, item["by"])
        comment = comment_add(
            procurement=_procurement(plan, item["ref"], written_for),
            text=item["text"],
            user=user,
            department=_department(user, plan),
        )
        answer = item.get("answer")
        if answer:
            comment_answer(
                comment=comment,
                response=answer["text"],
                handled=answer.get("handled", False),
                user=_user(users, answer["by"]),
            )


def _user(users: dict, username: str):
    try:
        return users[username]
    except KeyError:
        raise DemoDataError(f"the remiss activity names {username!r}, who is no demo user") from None


def _procurement(plan, ref: str, written_for: int) -> Procurement:
    moved = moved_ref(ref, written_for, plan.year)
    try:
        return Procurement.objects.select_related("plan", "department").get(plan=plan, ref=moved)
    except Procurement.DoesNotExist:
        raise DemoDataError(f"the remiss activity names {moved}, which {plan} does not have") from None


def _department(user, plan):
    """The department the user represents in the plan's municipality, or None."""
    membership = (
        Membership.objects.filter(user=user, department__municipality=plan.municipality)
        .select_related("department")
        .first()
    )
    return membership.department if membership else None
