"""
The demo: the procurement centre, Falun and Borlänge, their departments, Falun's plan for 2017 (the 99
orders of the minutes), the coming year's plans on remiss, and one user per role.

Idempotent: what exists is left as it is, so running it twice changes nothing. `reset=True` first
removes the demo municipalities' plans so that they are built again from the data.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction

from accounts.models import Department, Membership, Municipality, ProcurementCentre, Role, User

from . import demo_data
from .models import Plan, Procurement
from .phases import default_remiss_window
from .services import plan_rescore

DEMO_PASSWORD = "demo"


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str
    place: str  # "centre", a municipality slug, or "<municipality slug>:<department code>"
    description: str


DEMO_USERS = [
    DemoUser("upphandlare", "Anna", "Lindqvist", Role.OFFICER, "centre", "procurement officer at UhC"),
    DemoUser("planadmin", "Per", "Ström", Role.PLAN_ADMIN, "centre", "plan administrator at UhC"),
    DemoUser("politiker", "Karin", "Berglund", Role.POLITICIAN, "falun", "politician in Falun"),
    DemoUser(
        "lugi", "Johan", "Ek", Role.DEPARTMENT_REP, "falun:SERV", "Falun's Serviceförvaltningen in LUGI"
    ),
    DemoUser("politiker-borlange", "Maria", "Holm", Role.POLITICIAN, "borlange", "politician in Borlänge"),
]
# Colleagues who are responsible for procurements but do not log in to the demo.
OTHER_OFFICERS = [("stefan.g", "Stefan", "Gehrke"), ("karolina.g", "Karolina", "Gistö")]


@dataclass
class DemoResult:
    created_plans: list
    users: list


def coming_year_window(today: date) -> tuple[date, date]:
    """The default window of next year's plan, or (outside August–November) one that is open today."""
    starts, ends = default_remiss_window(today.year + 1)
    if starts <= today <= ends:
        return starts, ends
    return today - timedelta(days=45), today + timedelta(days=75)


def _relative_date(value, plan_year: int) -> date | None:
    if value is None:
        return None
    offset, month, day = value
    return date(plan_year + offset, month, day)


@transaction.atomic
def load_demo(*, today: date, reset: bool = False) -> DemoResult:
    centre, _ = ProcurementCentre.objects.get_or_create(
        slug="uhc", defaults={"name": "Upphandlingscenter Falun Borlänge"}
    )
    falun, _ = Municipality.objects.get_or_create(
        slug="falun", defaults={"name": "Falu kommun", "centre": centre}
    )
    borlange, _ = Municipality.objects.get_or_create(
        slug="borlange", defaults={"name": "Borlänge kommun", "centre": centre}
    )
    municipalities = {"falun": falun, "borlange": borlange}
    departments = {
        "falun": _departments(falun, demo_data.FALUN_DEPARTMENTS),
        "borlange": _departments(borlange, demo_data.BORLANGE_DEPARTMENTS),
    }
    users = [_demo_user(spec, centre, municipalities, departments) for spec in DEMO_USERS]
    officers = [users[0]] + [
        _officer(username, first, last, centre) for username, first, last in OTHER_OFFICERS
    ]

    if reset:
        Plan.objects.filter(municipality__in=municipalities.values()).delete()

    created = []
    # Falun 2017 is the register the officers work in, so the demo leaves it open to corrections: the
    # board's adoption (which makes a plan read-only) is recorded on the plan page, not by the demo.
    plan_2017, was_created = Plan.objects.get_or_create(municipality=falun, year=2017)
    if was_created:
        _procurements(plan_2017, demo_data.FALUN_2017, departments["falun"], officers, relative=False)
        _outcomes(plan_2017, share_recorded=0.9)
        _targets(plan_2017)
        created.append(plan_2017)
    created += _earlier_plans(falun, departments["falun"], officers)

    coming = today.year + 1
    starts, ends = coming_year_window(today)
    for municipality, rows in ((falun, demo_data.FALUN_COMING_YEAR), (borlange, demo_data.BORLANGE_PLAN)):
        plan, was_created = Plan.objects.get_or_create(
            municipality=municipality, year=coming, defaults={"remiss_starts": starts, "remiss_ends": ends}
        )
        if was_created:
            _procurements(plan, rows, departments[municipality.slug], officers, relative=True)
            created.append(plan)
            if municipality == falun:
                _remiss_activity(plan, politician=users[2], representative=users[3], officer=users[0])
    return DemoResult(created_plans=created, users=users)


def _departments(municipality, rows):
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
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "email": f"{username}@demo.upphandlingsplan.se",
        },
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


def _procurements(plan, rows, departments, officers, *, relative):
    objects = []
    for number, row in enumerate(rows):
        data = dict(row)
        data["ref"] = data["ref"].format(year=plan.year)
        data["department"] = departments[data["department"]]
        if relative:
            data["planned_advertisement"] = _relative_date(data["planned_advertisement"], plan.year)
            data["current_contract_ends"] = _relative_date(data["current_contract_ends"], plan.year)
        else:
            data["planned_advertisement"] = date.fromisoformat(data["planned_advertisement"])
            if data["current_contract_ends"]:
                data["current_contract_ends"] = date.fromisoformat(data["current_contract_ends"])
        data["officer"] = officers[number % len(officers)]
        objects.append(Procurement(plan=plan, **data))
    for procurement in objects:
        procurement.full_clean(exclude=["plan"])
    Procurement.objects.bulk_create(objects)
    plan_rescore(plan=plan)


def _remiss_activity(plan, *, politician, representative, officer):
    """Some of what a remiss looks like a few weeks in: guidance, a request, comments and an answer."""
    from .models import Guidance
    from .review import comment_add, comment_answer, ensure_snapshot, needs_confirm, review_give_guidance

    ensure_snapshot(plan)
    strategic = Procurement.objects.filter(plan=plan, strategic=True).order_by("planned_advertisement", "ref")
    guidance = [
        (
            ("bil", "fordon"),
            Guidance.Kind.POLITICAL_DECISION,
            "Frågan om fossilfria fordon behöver beredas med konsekvensbeskrivning "
            "(behov, funktion, ekonomi) innan kraven ställs.",
        ),
        (
            ("livsmedel", "måltid", "kost"),
            Guidance.Kind.ADDITIONAL_FUNDING,
            "Målet om 40 % ekologiska livsmedel kräver tillskott i budgetdialogen.",
        ),
        (
            ("städ", "lokalvård", "park", "tvätt"),
            Guidance.Kind.WITHIN_FRAME,
            "Hanteras inom befintlig ram; följ upp sysselsättningskravet.",
        ),
    ]
    # Some strategic procurements get guidance that fits them; the rest still wait in the queue.
    for words, kind, text in guidance:
        procurement = next((p for p in strategic if any(word in p.title.lower() for word in words)), None)
        if procurement is not None:
            review_give_guidance(procurement=procurement, kind=kind, text=text, user=politician)
    ours = Procurement.objects.filter(plan=plan, department=representative.memberships.first().department)
    ours = list(ours.order_by("ref"))
    if ours:
        needs_confirm(procurement=ours[0], department=ours[0].department, user=representative)
    if len(ours) > 1:
        comment = comment_add(
            procurement=ours[1],
            text="Behovet är större än beskrivet: verksamheten växer och volymen bör räknas upp "
            "med cirka 15 %.",
            user=representative,
            department=ours[1].department,
        )
        comment_answer(
            comment=comment,
            response="Tack, vi räknar upp volymen och stämmer av den vid marknadsdialogen.",
            handled=True,
            user=officer,
        )
    if len(ours) > 2:
        comment_add(
            procurement=ours[2],
            text="Kan upphandlingen delas i lotter så att lokala företag kan lämna anbud?",
            user=representative,
            department=ours[2].department,
        )


# Follow-up: Falun's key figures as the minutes tell them (3.5 bids on average in 2015, 3.9 in 2016,
# 3.4 % of procurements appealed), and 2017 in line with 2016. The bids repeat a pattern with that mean.
BID_PATTERNS = {
    2014: [1, 2, 2, 3, 3, 3, 4, 4, 4, 6],  # 3.2
    2015: [1, 2, 3, 3, 3, 4, 4, 4, 5, 6],  # 3.5
    2016: [1, 2, 3, 3, 4, 4, 5, 5, 6, 6],  # 3.9
    2017: [1, 2, 3, 3, 4, 4, 5, 5, 6, 6, 1, 2, 3, 4, 4, 4, 5, 5, 6, 6],  # 3.95
}
EARLIER_YEARS = (2014, 2015, 2016)


def _earlier_plans(falun, departments, officers):
    """Falun's adopted plans for 2014–2016, so that the follow-up has years to compare."""
    import random

    created = []
    for year in EARLIER_YEARS:
        plan, was_created = Plan.objects.get_or_create(
            municipality=falun,
            year=year,
            defaults={
                "adopted_on": date(year - 1, 12, 10),
                "adoption_minute_ref": f"UN {year - 1}-12-10 § 90",
            },
        )
        if not was_created:
            continue
        chooser = random.Random(year)
        rows = [row for row in demo_data.FALUN_2017 if chooser.random() < 0.9]
        shift = 2017 - year
        objects = []
        for number, row in enumerate(rows, start=1):
            data = dict(row)
            data["ref"] = f"{year}-{number:03d}"
            data["department"] = departments[data["department"]]
            data["estimated_value_sek"] = round(data["estimated_value_sek"] * (1 - 0.03 * shift), -3)
            data["planned_advertisement"] = _years_earlier(
                date.fromisoformat(data["planned_advertisement"]), shift
            )
            ends = data["current_contract_ends"]
            data["current_contract_ends"] = _years_earlier(date.fromisoformat(ends), shift) if ends else None
            data["officer"] = officers[number % len(officers)]
            objects.append(Procurement(plan=plan, **data))
        Procurement.objects.bulk_create(objects)
        plan_rescore(plan=plan)
        _outcomes(plan, share_recorded=1.0)
        created.append(plan)
    return created


def _years_earlier(day, years):
    return day.replace(year=day.year - years, day=min(day.day, 28))


def _outcomes(plan, *, share_recorded):
    """Outcomes for most procurements of a past plan, deterministic, with the minutes' averages."""
    import random

    from .models import EnvironmentalLevel, Outcome

    chooser = random.Random(plan.year * 7)
    pattern = BID_PATTERNS[plan.year]
    procurements = list(Procurement.objects.filter(plan=plan).order_by("ref"))
    chooser.shuffle(procurements)
    recorded = procurements[: round(len(procurements) * share_recorded)]
    levels = list(EnvironmentalLevel.values)
    outcomes = []
    for index, procurement in enumerate(recorded):
        if index % 30 == 29:  # about one in thirty is cancelled
            outcomes.append(Outcome(procurement=procurement, status=Outcome.Status.CANCELLED))
            continue
        bids = pattern[(index - index // 30) % len(pattern)]  # the cancelled ones skip no bid value
        advertised = procurement.planned_advertisement
        planned_level = levels.index(procurement.environmental_level)
        reached = levels[max(0, planned_level - (1 if index % 7 == 3 else 0))]
        appealed = index % 29 == 11  # 3 of about 90 advertised: the minutes' 3.4 %
        outcomes.append(
            Outcome(
                procurement=procurement,
                status=Outcome.Status.APPEALED if appealed and index % 2 else Outcome.Status.AWARDED,
                advertised_on=advertised,
                bids=bids,
                sme_bids=round(bids * 0.7),
                appealed=appealed,
                appeal_outcome=Outcome.AppealOutcome.REJECTED if appealed else "",
                awarded_value_sek=round(procurement.estimated_value_sek * chooser.uniform(0.85, 1.08), -3),
                contract_starts=advertised.replace(day=1) + timedelta(days=120),
                people_employed=chooser.randint(1, 3) if procurement.employment_requirement else None,
                internships=chooser.randint(0, 2) if procurement.employment_requirement else None,
                social_enterprise_awarded=procurement.reserved_contract,
                environmental_level_reached=reached if procurement.environmental_level != "none" else "",
                innovation=procurement.innovation,
            )
        )
    Outcome.objects.bulk_create(outcomes)


def _targets(plan):
    """Falun's own goals: more bids (the regional growth goal), few appeals, 40 % organic food by 2020."""
    from decimal import Decimal

    from .models import Target

    Target.objects.create(plan=plan, key="average_bids", value=Decimal("3.8"))
    Target.objects.create(plan=plan, key="appeal_rate", value=Decimal("5"), unit="%")
    Target.objects.create(plan=plan, key="sme_share", value=Decimal("70"), unit="%")
    Target.objects.create(
        plan=plan,
        label="Ekologiska livsmedel i kommunens kök (mål 2020)",
        value=Decimal("40"),
        unit="%",
        actual=Decimal("31"),
    )
