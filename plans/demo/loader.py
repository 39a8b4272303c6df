"""
Loading the demo: the places and people first, then each plan file of `data/` through the import, as
an officer loads a plan (read, check every row, then write, all or nothing), then what the import format
has no column for, from `data/demo.json`.

A plan is loaded only when the municipality has no plan for its year, so a second run changes nothing;
`reset=True` first removes the demo municipalities' plans. Any file the import refuses stops the whole
demo (one transaction), with the import's messages.

For each plan of demo.json, in order:

1. The plan is created: with a remiss window open on `today` for a coming year's plan (its file,
   written for `written_for`, is moved to the coming year first: years.py), else with the default one.
2. The file without its follow-up columns is imported: the plan as it was ordered.
3. An adopted plan's adoption (date and minute ref) is recorded.
4. The file's rows whose follow-up is recorded are imported again, with the follow-up columns: only the
   outcomes change, which the import allows in an adopted plan too. Outcomes of innovation
   procurements (a field the import has no column for) are then marked, by ref.
5. The plan's targets and the goals its procurements serve (the municipality's goals are loaded with
   the municipality, before its plans); for the coming year's Falun plan the orders of the spring
   (orders.py) and the remiss activity (remiss.py).

Then, when the coming year's plans were loaded, the centre's desk for that year (desk.py): the
coordinated procurements of the coming plans and the officers' capacities.
"""

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from accounts.models import Department, Membership, Municipality, ProcurementCentre, Role, User
from accounts.org_numbers import OrgNumberError, normalise_org_number
from plans.demo.desk import demo_desk, remove_left_groups
from plans.demo.files import DemoDataError, Table, csv_bytes, followup_part, parse_csv, plan_part
from plans.demo.orders import demo_orders, orders_data
from plans.demo.remiss import remiss_activity
from plans.demo.social import demo_decisions, demo_enterprises, demo_labour_reserve, social_data
from plans.demo.users import DEMO_PASSWORD, DEMO_USERS, OTHER_OFFICERS, demo_email
from plans.demo.years import coming_year_window, moved_ref, table_for_year
from plans.exchange.imports import plan_import
from plans.exchange.reading import ImportRefused
from plans.models import Goal, Outcome, Plan, Procurement, Target

DATA = Path(__file__).resolve().parent / "data"


@dataclass
class DemoResult:
    created_plans: list
    users: list


def demo_data() -> dict:
    """What demo.json holds: the centre, the municipalities and their departments, and the plans."""
    return json.loads((DATA / "demo.json").read_text(encoding="utf-8"))


@transaction.atomic
def load_demo(*, today: date, reset: bool = False) -> DemoResult:
    data = demo_data()
    centre, _ = ProcurementCentre.objects.get_or_create(
        slug=data["centre"]["slug"], defaults={"name": data["centre"]["name"]}
    )
    _org_number(centre, data["centre"])
    municipalities, departments = {}, {}
    for place in data["municipalities"]:
        municipality, _ = Municipality.objects.get_or_create(
            slug=place["slug"], defaults={"name": place["name"], "centre": centre}
        )
        _org_number(municipality, place)
        municipalities[place["slug"]] = municipality
        departments[place["slug"]] = _departments(municipality, place["departments"])
        _goals(municipality, place.get("goals", []))
    users = {spec.username: _demo_user(spec, centre, municipalities, departments) for spec in DEMO_USERS}
    for username, first_name, last_name in OTHER_OFFICERS:
        users[username] = _officer(username, first_name, last_name, centre)

    if reset:
        Plan.objects.filter(municipality__in=municipalities.values()).delete()
        remove_left_groups(centre)

    created = []
    for spec in data["plans"]:
        plan = _load_plan(spec, municipalities[spec["municipality"]], today=today, users=users)
        if plan is not None:
            created.append(plan)
    # The desk with the coming year's plans it is about: a second run leaves whatever became of it.
    if data.get("desk") and any(plan.year == today.year + 1 for plan in created):
        demo_desk(centre, data["desk"], year=today.year + 1, users=users)
    _social(data, centre, municipalities, created, year=today.year + 1, users=users)
    return DemoResult(created_plans=created, users=[users[spec.username] for spec in DEMO_USERS])


def _load_plan(spec: dict, municipality, *, today: date, users: dict) -> Plan | None:
    coming = spec.get("coming_year", False)
    year = today.year + 1 if coming else spec["year"]
    if Plan.objects.filter(municipality=municipality, year=year).exists():
        return None
    starts, ends = coming_year_window(today) if coming else (None, None)
    plan = Plan.objects.create(
        municipality=municipality,
        year=year,
        remiss_starts=starts,
        remiss_ends=ends,
        # Issue 17: the coming plans are public drafts during the remiss, with their officers to ask.
        publish_draft=spec.get("publish_draft", False),
        show_officer_email=spec.get("show_officer_email", False),
    )

    table = parse_csv((DATA / spec["file"]).read_bytes())
    if coming:
        table = table_for_year(table, written_for=spec["written_for"], year=year)
    _import(plan, spec["file"], plan_part(table))
    if spec.get("adopted_on"):
        plan.adopted_on = date.fromisoformat(spec["adopted_on"])
        plan.adoption_minute_ref = spec.get("adoption_minute_ref", "")
        plan.save(update_fields=["adopted_on", "adoption_minute_ref"])
    followup = followup_part(table)
    if followup is not None and followup.rows:
        _import(plan, spec["file"], followup)
        Outcome.objects.filter(
            procurement__plan=plan, procurement__ref__in=spec.get("outcome_innovation", [])
        ).update(innovation=True)
    for target in spec.get("targets", []):
        Target.objects.create(
            plan=plan,
            key=target.get("key", ""),
            label=target.get("label", ""),
            value=Decimal(target["value"]),
            unit=target.get("unit", ""),
            actual=Decimal(target["actual"]) if target.get("actual") is not None else None,
        )
    _link_goals(plan, spec.get("goals", {}), written_for=spec.get("written_for") if coming else None)
    # The orders came in the spring, before the remiss (they serve the goals, loaded before the plans).
    orders = orders_data().get(municipality.slug) if coming else None
    if orders:
        demo_orders(plan, orders, users=users)
    if spec.get("remiss"):
        remiss_activity(plan, spec["remiss"], users=users, written_for=spec["written_for"])
    return plan


def _social(data: dict, centre, municipalities: dict, created: list, *, year: int, users: dict) -> None:
    """The register of social enterprises and the labour reserve; the officer's decisions on the matches
    of Falun's coming plan, when it was loaded now (issue 18)."""
    social = social_data()
    demo_enterprises(centre, municipalities, social["enterprises"])
    demo_labour_reserve(municipalities, social["labour_reserve"])
    falun = next(
        spec for spec in data["plans"] if spec.get("coming_year") and spec["municipality"] == "falun"
    )
    for plan in created:
        if plan.municipality.slug == "falun" and plan.year == year:
            demo_decisions(plan, social["decisions"], users=users, written_for=falun["written_for"])


def _import(plan: Plan, filename: str, table: Table) -> None:
    """Import the table into the plan as the import page and `import_plan` do, or stop the demo."""
    try:
        result = plan_import(plan=plan, filename=filename, content=csv_bytes(table))
    except ImportRefused as refused:
        raise DemoDataError(f"{filename}: {refused}") from None
    if not result.ok:
        problems = "; ".join(str(error) for error in result.errors[:10])
        raise DemoDataError(f"{filename} does not import into {plan}: {problems}")


def _org_number(place, spec: dict) -> None:
    """The organisation number of demo.json, checked as the admin checks it, for a centre or municipality
    that has none yet (one loaded before the field, or made by hand, keeps whatever it has)."""
    try:
        number = normalise_org_number(spec.get("org_number", ""))
    except OrgNumberError as error:
        raise DemoDataError(f"demo.json: {spec['slug']}: {error}") from None
    if number and not place.org_number:
        place.org_number = number
        place.save(update_fields=["org_number"])


def _goals(municipality, rows) -> None:
    """The municipality's goals (those of the council's minutes), by title: a second run adds none."""
    for row in rows:
        figures = {
            name: Decimal(row[name]) for name in ("target_value", "reached") if row.get(name) is not None
        }
        Goal.objects.get_or_create(
            municipality=municipality,
            title=row["title"],
            defaults={
                "unit": row.get("unit", ""),
                "target_year": row.get("target_year"),
                "reached_year": row.get("reached_year"),
                "measured_by": row.get("measured_by", ""),
                **figures,
            },
        )


def _link_goals(plan: Plan, links: dict, *, written_for: int | None) -> None:
    """Link the plan's procurements (by ref, as written in the file) to the goals they serve (by title)."""
    for title, refs in links.items():
        goal = Goal.objects.filter(municipality=plan.municipality, title=title).first()
        if goal is None:
            raise DemoDataError(f"{plan}: no goal {title!r} to link procurements to")
        refs = [moved_ref(ref, written_for, plan.year) if written_for else ref for ref in refs]
        procurements = list(Procurement.objects.filter(plan=plan, ref__in=refs))
        if len(procurements) != len(set(refs)):
            missing = sorted(set(refs) - {p.ref for p in procurements})
            raise DemoDataError(f"{plan}: the goal {title!r} names procurements it lacks: {missing}")
        goal.procurements.add(*procurements)


def _departments(municipality, rows) -> dict:
    result = {}
    for code, name in rows:
        department, _ = Department.objects.get_or_create(
            municipality=municipality, code=code, defaults={"name": name}
        )
        result[code] = department
    return result


def _new_user(username, first_name, last_name, *, password):
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": first_name, "last_name": last_name, "email": demo_email(username)},
    )
    if created:
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
    return user


def _demo_user(spec, centre, municipalities, departments):
    user = _new_user(spec.username, spec.first_name, spec.last_name, password=DEMO_PASSWORD)
    scope = {}
    if spec.place == "centre":
        scope["centre"] = centre
    elif ":" in spec.place:
        slug, code = spec.place.split(":")
        scope["department"] = departments[slug][code]
        scope["municipality"] = municipalities[slug]
    else:
        scope["municipality"] = municipalities[spec.place]
    Membership.objects.get_or_create(user=user, role=spec.role, **scope)
    return user


def _officer(username, first_name, last_name, centre):
    user = _new_user(username, first_name, last_name, password=None)
    Membership.objects.get_or_create(user=user, role=Role.OFFICER, centre=centre)
    return user
