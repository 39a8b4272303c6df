"""
The orders behind the coming year's plan (issue 14), from `data/orders.json`: what the departments
ordered in the order window (February – May of the year before the plan year) and what the officers
did with each order, so that every status is there: submitted, question asked, answered, accepted,
merged and declined.

Everything goes through the orders' own services, as the pages call them: an order is placed by its
department's demo representative, linked to the municipality's goals by their titles (loaded before),
and each step is taken by the user the data names. An accepted order thus becomes a scored procurement
of the plan with its history, and a merged one adds its value to the procurement it joins.

The data are written for the plan year `written_for` (refs 2027-…, dates in 2026 and 2027); refs and
dates are moved to the plan's year like the plan file. Each order and step is then dated on its day
in the window (never later than now), and the mails the steps queued are taken out of the outbox: they
went out in the spring, and the demo mails no one again (nor keeps rows that a reset would leave).

The data also name the experts of a few procurements already in the plan, by ref.
"""

import json
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.utils import timezone

from accounts.models import Department
from plans.demo.files import DemoDataError
from plans.demo.years import moved_by_years, moved_ref
from plans.models import Goal, Notification, Order, Procurement
from plans.orders.rules import OrderAction
from plans.orders.services import Decision, order_act, order_place

ORDERS_FILE = Path(__file__).resolve().parent / "data" / "orders.json"
DATE_FIELDS = ("desired_start", "current_contract_ends")
# What the data say of an order besides its fields.
NOT_FIELDS = {"department", "by", "on", "goals", "steps"}


def orders_data() -> dict:
    """What orders.json holds: per municipality slug, its orders for the coming year's plan."""
    return json.loads(ORDERS_FILE.read_text(encoding="utf-8"))


def demo_orders(plan, data: dict, *, users: dict) -> list[Order]:
    """Place the orders of `data` (orders.json's part for the plan's municipality) in the plan."""
    written_for = data["written_for"]
    years = plan.year - written_for
    for ref, (name, email) in data.get("experts", {}).items():
        found = Procurement.objects.filter(plan=plan, ref=moved_ref(ref, written_for, plan.year))
        if not found.update(expert_name=name, expert_email=email):
            raise DemoDataError(f"orders.json names the expert of {ref}, which {plan} does not have")
    goals = {goal.title: goal for goal in Goal.objects.filter(municipality=plan.municipality)}
    departments = {department.code: department for department in plan.municipality.departments.all()}
    return [
        _order(plan, item, users=users, goals=goals, departments=departments, years=years)
        for item in data["orders"]
    ]


def _order(plan, item: dict, *, users, goals, departments, years) -> Order:
    try:
        department: Department = departments[item["department"]]
    except KeyError:
        raise DemoDataError(f"an order names the department {item['department']!r}, not in {plan}") from None
    fields = {name: value for name, value in item.items() if name not in NOT_FIELDS}
    for name in DATE_FIELDS:
        if fields.get(name):
            fields[name] = moved_by_years(date.fromisoformat(fields[name]), years)
    order = order_place(plan=plan, department=department, data=fields, user=_user(users, item["by"]))
    missing = [title for title in item.get("goals", []) if title not in goals]
    if missing:
        raise DemoDataError(f"the order {item['title']!r} serves goals {plan.municipality} lacks: {missing}")
    order.goals.set([goals[title] for title in item.get("goals", [])])
    placed_at = _moment(item["on"], years)
    Order.objects.filter(pk=order.pk).update(created_at=placed_at)
    order.events.update(created_at=placed_at)

    for step in item.get("steps", []):
        order = _step(plan, order, step, users=users, years=years)
    return order


def _step(plan, order: Order, step: dict, *, users, years) -> Order:
    action = OrderAction(step["action"])
    user = _user(users, step["by"])
    decision = Decision(text=step.get("text", ""))
    if action == OrderAction.ACCEPT:
        data = dict(step["procurement"])
        data["ref"] = moved_ref(data["ref"], plan.year - years, plan.year)
        data["planned_advertisement"] = moved_by_years(
            date.fromisoformat(data["planned_advertisement"]), years
        )
        if data.get("officer"):
            data["officer"] = _user(users, data["officer"])
        decision = Decision(procurement_data=data)
    elif action == OrderAction.MERGE:
        ref = moved_ref(step["into"], plan.year - years, plan.year)
        into = Procurement.objects.filter(plan=plan, ref=ref).first()
        if into is None:
            raise DemoDataError(f"the order {order.title!r} is merged into {ref}, which {plan} does not have")
        decision = Decision(into=into, into_version=into.version)
    last_event = order.events.order_by("-pk").values_list("pk", flat=True).first()
    last_mail = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    order = order_act(
        order=order, action=action, expected_version=order.version, user=user, decision=decision
    )

    at = _moment(step["on"], years)
    order.events.filter(pk__gt=last_event).update(created_at=at)
    if order.handled_at is not None and action != OrderAction.ANSWER:
        Order.objects.filter(pk=order.pk).update(handled_at=at)
        order.handled_at = at
    Notification.objects.filter(pk__gt=last_mail, kind=Notification.Kind.ORDER).delete()
    return order


def _moment(day: str, years: int) -> datetime:
    """Half past nine on the day (moved by `years`), or a minute ago if that is still to come."""
    moment = timezone.make_aware(
        datetime.combine(moved_by_years(date.fromisoformat(day), years), time(9, 30))
    )
    return min(moment, timezone.now() - timedelta(minutes=1))


def _user(users: dict, username: str):
    try:
        return users[username]
    except KeyError:
        raise DemoDataError(f"orders.json names {username!r}, who is no demo user") from None
