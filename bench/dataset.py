"""
The national data set of the benchmark: 290 municipalities, ten plan years, about 200 000 procurements.

Deterministic (one seeded random.Random, no clock): the same rows every time it is built. Built once per
database and reused: the marker row in the table bench_meta says which version of the data set the
database holds; a database without it (or with another version) is emptied and built again.

What it holds (DATASET_VERSION 2):
- the demo of `load_demo` as it would be loaded on BENCH_TODAY: the centre UhC, Falun with its 2017 plan
  of the 99 orders of the minutes (and 2014–2016), Falun's and Borlänge's 2027 plans on remiss, the demo
  users;
- 288 more municipalities (290 in all), 3–6 departments each, 29 procurement centres of 10 municipalities
  with three officers each, one politician and one department representative per municipality;
- ten plan years 2018–2027 per municipality (those the demo already made are kept): plans before 2027
  adopted with outcomes for nine in ten procurements, 2027 in its remiss; sizes fall with the
  municipality's rank (1 000 · rank^-0.6, at least 25) and grow by 2 % a year, so Storholm, the largest,
  has 1 000 procurements in 2027 (BIG_SLUG) and the whole set about 200 000;
- 50 000 comments, 20 000 guidance records on strategic procurements, their history entries, and one
  procurement (BIG_SLUG 2027, REF_WITH_COMMENTS) with 50 comments, flags and a long history;
- (version 2) 1 000 orders for the 1 000-procurement plan (BIG_ORDERS), from all its departments, in
  every status (accepted ones each the procurement they became, merged ones joined to one), a third of
  them serving some of the municipality's four goals, each with its events (issue 14);
- (version 3) the centres' desks for 2027 (issue 16, bench/desk.py): 20 coordinated procurements of
  2–3 municipalities in every centre, and every officer's capacity for each quarter. UhC serves 12
  municipalities (Storholm's 1 000 procurements, Falun's and Borlänge's plans among them: 1 591 in
  2027), uc-02 serves 10 (1 207): the desk's two bench centres.

Bulk writes only: bulk_create for the small tables, PostgreSQL COPY (psycopg 3) for the large ones,
the scores by the app's own SQL expressions (plans/scoring/rescoring.py) in one UPDATE statement. A
minute or two on two cores.
"""

import math
import random
import time
from datetime import UTC, date, datetime, timedelta

from django.db import connection, transaction

from bench.desk import build_desk

DATASET_VERSION = "3"
SEED = 20170327  # the day of Falun's joint council meeting in the minutes
BENCH_TODAY = date(2026, 9, 15)  # the demo is loaded as on this day: its 2027 plans are on remiss
YEARS = range(2018, 2028)
CURRENT_YEAR = 2027
MUNICIPALITY_COUNT = 290
BIG_SLUG = "storholm"
BIG_YEAR = 2027
BIG_SIZE = 1000
REF_WITH_COMMENTS = "2027-0007"
COMMENTS_ON_ONE = 50
TOTAL_COMMENTS = 50_000
TOTAL_GUIDANCE = 20_000
BIG_ORDERS = 1000
FALUN_RANK = 46  # about 100 procurements a year, like the 99 of 2017

PREFIXES = ["Stor", "Norr", "Söder", "Väster", "Öster", "Sjö", "Berg", "Skog", "Å", "Ljus", "Malm"]
PREFIXES += ["Sten", "Lind", "Björk", "Gran", "Ek", "Hög", "Lill"]
SUFFIXES = ["holm", "köping", "by", "torp", "sala", "hamn", "vik", "dal", "berg", "sund", "stad", "ås"]
SUFFIXES += ["näs", "fors", "bro", "hult"]
DEPARTMENT_NAMES = [
    ("KLK", "Kommunledningskontoret"),
    ("SBF", "Samhällsbyggnadsförvaltningen"),
    ("BUF", "Barn- och utbildningsförvaltningen"),
    ("SOC", "Socialförvaltningen"),
    ("KFF", "Kultur- och fritidsförvaltningen"),
    ("TEK", "Tekniska förvaltningen"),
]
PROCEDURE_WEIGHTS = {
    "open": 40,
    "below_threshold": 20,
    "mini_competition": 15,
    "direct_award": 10,
    "selective": 5,
    "negotiated_with_notice": 3,
    "negotiated_without_notice": 2,
    "competitive_dialogue": 2,
    "innovation_partnership": 1,
    "dynamic_purchasing": 2,
}
COMMENT_TEXTS = [
    "Behovet är större än beskrivet: volymen bör räknas upp.",
    "Kan upphandlingen delas i lotter så att lokala företag kan lämna anbud?",
    "Vi vill se krav på fossilfria transporter i leveranserna.",
    "Avtalet bör samordnas med grannkommunernas.",
    "Förvaltningen behöver vara med i marknadsdialogen.",
    "Tidplanen är för snäv: nuvarande avtal går att förlänga ett år.",
]
GUIDANCE = [
    ("within_frame", "Hanteras inom befintlig ram; följ upp kraven."),
    ("additional_funding", "Kräver tillskott i budgetdialogen."),
    ("political_decision", "Behöver beredas med konsekvensbeskrivning innan kraven ställs."),
    ("no_involvement", "Ingen politisk medverkan behövs."),
]


def slugify(name: str) -> str:
    return name.lower().translate(str.maketrans("åäö", "aao"))


def plan_size(rank: int, year: int) -> int:
    """How many procurements a municipality of this rank orders in a year."""
    growth = 0.82 + 0.02 * (year - YEARS.start)
    return max(25, round(1000 * rank**-0.6 * growth))


# --- The marker ------------------------------------------------------------------------------------


def present() -> bool:
    """Whether the database holds this version of the data set."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('bench_meta') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return False
        cursor.execute("SELECT value FROM bench_meta WHERE key = 'version'")
        row = cursor.fetchone()
    return bool(row and row[0] == DATASET_VERSION)


def meta() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT key, value FROM bench_meta ORDER BY key")
        return dict(cursor.fetchall())


# --- Building ------------------------------------------------------------------------------------


def build(log=print) -> dict:
    """Build the data set in a freshly migrated, empty database and return its counts."""
    started = time.perf_counter()
    with transaction.atomic():
        counts = _build(random.Random(SEED), log)
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE bench_meta (key text PRIMARY KEY, value text NOT NULL)")
            rows = {"version": DATASET_VERSION, "seed": str(SEED), "big": BIG_SLUG, **counts}
            for key, value in rows.items():
                cursor.execute("INSERT INTO bench_meta VALUES (%s, %s)", [key, str(value)])
    with connection.cursor() as cursor:
        log("  VACUUM ANALYZE")
        cursor.execute("VACUUM ANALYZE")
    log(f"  built in {time.perf_counter() - started:.0f} s: {counts}")
    return counts


def _copy(table: str, columns: list[str], rows) -> int:
    """COPY rows into a table; returns how many."""
    count = 0
    with connection.cursor() as cursor:
        sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
    return count


def _next_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
        return cursor.fetchone()[0]


def _reset_sequence(table: str):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 1)) FROM {table}"
        )


def _build(rng: random.Random, log) -> dict:
    started = time.perf_counter()
    step = log

    def log(message):
        step(f"{message} [{time.perf_counter() - started:.0f} s]")

    from accounts.models import Department, Membership, Municipality, ProcurementCentre, Role, User
    from plans.demo import load_demo
    from plans.models import Plan, Procurement, Rubric
    from plans.remiss.phases import default_remiss_window

    log(f"  the demo (load_demo as on {BENCH_TODAY})")
    load_demo(today=BENCH_TODAY)
    uhc = ProcurementCentre.objects.get(slug="uhc")
    falun = Municipality.objects.get(slug="falun")
    borlange = Municipality.objects.get(slug="borlange")

    log("  municipalities, departments, centres and people")
    names = [f"{prefix}{suffix}" for prefix in PREFIXES for suffix in SUFFIXES]
    assert names[0] == "Storholm" and len(names) == MUNICIPALITY_COUNT - 2
    centres = [
        uhc,
        *ProcurementCentre.objects.bulk_create(
            ProcurementCentre(name=f"Upphandlingscenter {number:02d}", slug=f"uc-{number:02d}")
            for number in range(2, 30)
        ),
    ]
    # Rank 1 (the largest) is Storholm; Falun and Borlänge take their places in the order.
    municipalities = Municipality.objects.bulk_create(
        Municipality(
            name=f"{name}s kommun" if not name.endswith("s") else f"{name} kommun",
            slug=slugify(name),
            centre=uhc,
        )
        for name in names
    )
    ranked = list(municipalities)
    ranked.insert(FALUN_RANK - 1, falun)
    ranked.insert(FALUN_RANK + 9, borlange)
    # Ten municipalities per centre, UhC first (Storholm, and later Falun and Borlänge, are UhC's).
    for index, municipality in enumerate(ranked):
        municipality.centre = centres[0] if municipality in (falun, borlange) else centres[index % 29]
    Municipality.objects.bulk_update(ranked, ["centre"])

    departments = {}
    new_departments = []
    for municipality in municipalities:
        count = 3 + rng.randrange(4)
        for code, name in DEPARTMENT_NAMES[:count]:
            new_departments.append(Department(municipality=municipality, code=code, name=name))
    Department.objects.bulk_create(new_departments)
    for department in Department.objects.all():
        departments.setdefault(department.municipality_id, []).append(department)

    users, memberships = [], []
    officers_by_centre = {}
    for centre in centres[1:]:
        for number in range(1, 4):
            user = User(
                username=f"officer-{centre.slug}-{number}",
                first_name="Handläggare",
                last_name=f"{centre.slug} {number}",
                email=f"officer-{centre.slug}-{number}@bench.upphandlingsplan.se",
                password="!",
            )
            users.append(user)
            memberships.append((user, dict(role=Role.OFFICER, centre=centre)))
    politicians, representatives = {}, {}
    for municipality in municipalities:
        slug = municipality.slug
        politician = User(username=f"pol-{slug}", first_name="Politiker", last_name=slug, password="!")
        representative = User(username=f"lugi-{slug}", first_name="LUGI", last_name=slug, password="!")
        users += [politician, representative]
        department = departments[municipality.pk][0]
        memberships.append((politician, dict(role=Role.POLITICIAN, municipality=municipality)))
        memberships.append(
            (representative, dict(role=Role.DEPARTMENT_REP, municipality=municipality, department=department))
        )
        politicians[municipality.pk] = politician
        representatives[municipality.pk] = representative
    User.objects.bulk_create(users)
    Membership.objects.bulk_create(Membership(user=user, **scope) for user, scope in memberships)
    for user, scope in memberships:
        if scope["role"] == Role.OFFICER:
            officers_by_centre.setdefault(scope["centre"].pk, []).append(user)
    officers_by_centre[uhc.pk] = list(
        User.objects.filter(memberships__role=Role.OFFICER, memberships__centre=uhc).order_by("pk")
    )
    # The demo's people for Falun and Borlänge.
    politicians[falun.pk] = User.objects.get(username="politiker")
    representatives[falun.pk] = User.objects.get(username="lugi")
    politicians[borlange.pk] = User.objects.get(username="politiker-borlange")
    representatives[borlange.pk] = politicians[borlange.pk]
    # A politician of the largest municipality, for the review queue and the brief.
    storholm = ranked[0]
    bench_politician = User.objects.create(
        username="bench-politiker", first_name="Bench", last_name="Politiker"
    )
    Membership.objects.create(user=bench_politician, role=Role.POLITICIAN, municipality=storholm)

    log("  plans and rubrics")
    existing = set(Plan.objects.values_list("municipality_id", "year"))
    new_plans = []
    for municipality in ranked:
        for year in YEARS:
            if (municipality.pk, year) in existing:
                continue
            starts, ends = default_remiss_window(year)
            adopted = date(year - 1, 12, 10) if year < CURRENT_YEAR else None
            new_plans.append(
                Plan(
                    municipality=municipality,
                    year=year,
                    remiss_starts=starts,
                    remiss_ends=ends,
                    adopted_on=adopted,
                    adoption_minute_ref=f"UN {year - 1}-12-10 § 90" if adopted else "",
                )
            )
    Plan.objects.bulk_create(new_plans)
    Rubric.objects.bulk_create(Rubric(plan=plan) for plan in new_plans)

    log("  procurements (COPY)")
    templates = demo_templates()
    procedures, procedure_weights = zip(*PROCEDURE_WEIGHTS.items(), strict=True)
    rank_of = {municipality.pk: rank for rank, municipality in enumerate(ranked, start=1)}
    centre_of = {municipality.pk: municipality.centre_id for municipality in ranked}
    table = Procurement._meta.db_table
    columns = [
        "id", "plan_id", "ref", "title", "description", "department_id", "category", "cpv",
        "estimated_value_sek", "duration_months", "planned_advertisement", "current_contract_ends",
        "procedure", "possible_suppliers", "business_critical", "high_switching_cost",
        "employment_requirement", "reserved_contract", "labour_conditions", "lots", "climate_impact",
        "environmental_level", "innovation", "officer_id", "confidential", "flagged_strategic",
        "economic_score", "social_score", "environmental_score", "supply_risk_score", "kraljic",
        "strategic", "priority", "version", "created_at", "updated_at", "expert_name", "expert_email",
        "coordinated_with",
    ]  # fmt: skip
    next_id = _next_id(table)
    created_at = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
    # plan id → [(procurement id, ref, department id, past?)]
    by_plan = {}

    def rows():
        nonlocal next_id
        for plan in sorted(new_plans, key=lambda p: (rank_of[p.municipality_id], p.year)):
            rank = rank_of[plan.municipality_id]
            size = BIG_SIZE if (rank == 1 and plan.year == BIG_YEAR) else plan_size(rank, plan.year)
            own_departments = departments[plan.municipality_id]
            officers = officers_by_centre[centre_of[plan.municipality_id]]
            entries = by_plan.setdefault(plan.pk, [])
            for number in range(1, size + 1):
                template = templates[rng.randrange(len(templates))]
                department = own_departments[rng.randrange(len(own_departments))]
                value = round(min(2e9, max(50_000, math.exp(rng.gauss(math.log(1_500_000), 1.4)))), -3)
                advertised = date(plan.year, 1 + rng.randrange(12), 1 + rng.randrange(28))
                ends = advertised + timedelta(days=120 + rng.randrange(300)) if rng.random() < 0.6 else None
                suppliers = None if rng.random() < 0.15 else 1 + min(int(rng.expovariate(0.25)), 29)
                ref = f"{plan.year}-{number:04d}"
                flagged = rng.random() < 0.01 or (
                    rank == 1 and plan.year == BIG_YEAR and ref == REF_WITH_COMMENTS
                )
                yield (
                    next_id, plan.pk, ref, template["title"], template["description"], department.pk,
                    template["category"], template["cpv"], int(value), rng.choice((12, 24, 36, 48, 60)),
                    advertised, ends, rng.choices(procedures, procedure_weights)[0], suppliers,
                    rng.random() < 0.12, rng.random() < 0.15, rng.random() < 0.10, rng.random() < 0.03,
                    rng.random() < 0.30, rng.random() < 0.25,
                    rng.choices(("low", "medium", "high"), (45, 35, 20))[0],
                    rng.choices(("none", "bas", "avancerad", "spjutspets"), (30, 45, 20, 5))[0],
                    rng.random() < 0.03,
                    officers[rng.randrange(len(officers))].pk if rng.random() < 0.8 else None,
                    rng.random() < 0.05, flagged, 0, 0, 0, 0, "routine", False, 0, 1, created_at, created_at,
                    "", "", 0,
                )  # fmt: skip
                entries.append((next_id, ref, department.pk, plan.year < CURRENT_YEAR))
                next_id += 1

    count = _copy(table, columns, rows())
    _reset_sequence(table)
    log(f"    {count} procurements; scoring them")
    _score_all()

    log("  outcomes of past plans (COPY)")
    _outcomes(rng, new_plans, by_plan)

    log("  comments, guidance, flags and history (COPY)")
    big_plan = Plan.objects.get(municipality=storholm, year=BIG_YEAR)
    counts = _remiss(rng, by_plan, big_plan, politicians, representatives, officers_by_centre, centre_of)

    log("  orders of the 1 000-procurement plan (COPY)")
    counts["orders"] = _orders(
        rng, big_plan, by_plan[big_plan.pk], departments[storholm.pk], representatives[storholm.pk],
        officers_by_centre[centre_of[storholm.pk]],
    )  # fmt: skip

    log("  the centres' desks for 2027: coordinated procurements and officers' capacities")
    counts.update(
        build_desk(rng, centres, officers_by_centre, year=CURRENT_YEAR, leave_out={falun.pk, borlange.pk})
    )

    total = Procurement.objects.count()
    return {"procurements": total, "plans": Plan.objects.count(), **counts}


def _score_all():
    """Every procurement scored with the default rubric (every plan has it): the app's own UPDATE."""
    from plans.models import Procurement
    from plans.scoring.rescoring import rescore_expressions
    from plans.scoring.rules import RubricValues

    Procurement.objects.update(**rescore_expressions(RubricValues()))


def _outcomes(rng, plans, by_plan):
    from plans.models import Outcome

    table = Outcome._meta.db_table
    columns = [
        "procurement_id", "status", "advertised_on", "bids", "sme_bids", "appealed", "appeal_outcome",
        "awarded_value_sek", "contract_starts", "people_employed", "internships",
        "social_enterprise_awarded", "environmental_level_reached", "innovation", "notes", "updated_at",
        "version",
    ]  # fmt: skip
    values = {
        pk: (value, advertised)
        for pk, value, advertised in _procurement_facts([p.pk for p in plans if p.year < CURRENT_YEAR])
    }
    stamp = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)

    def rows():
        for plan in plans:
            if plan.year >= CURRENT_YEAR:
                continue
            for pk, _ref, _department, _past in by_plan[plan.pk]:
                if rng.random() >= 0.9:
                    continue
                value, advertised = values[pk]
                if rng.random() < 0.03:
                    yield (pk, "cancelled", None, None, None, False, "", None, None, None, None, False, "",
                           False, "", stamp, 1)  # fmt: skip
                    continue
                bids = 1 + min(int(rng.expovariate(0.28)), 14)
                appealed = rng.random() < 0.05
                yield (
                    pk, "appealed" if appealed and rng.random() < 0.3 else "awarded", advertised, bids,
                    round(bids * rng.uniform(0.5, 0.9)), appealed, "rejected" if appealed else "",
                    int(round(value * rng.uniform(0.85, 1.08), -3)), advertised + timedelta(days=120),
                    None, None,
                    False, rng.choice(("", "bas", "avancerad")), False, "", stamp, 1,
                )  # fmt: skip

    _copy(table, columns, rows())


def _procurement_facts(plan_ids):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, estimated_value_sek, planned_advertisement FROM plans_procurement "
            "WHERE plan_id = ANY(%s)",
            [plan_ids],
        )
        return cursor.fetchall()


def _remiss(rng, by_plan, big_plan, politicians, representatives, officers_by_centre, centre_of) -> dict:
    from plans.models import Comment, Guidance, HistoryEntry, Plan, StrategicFlag

    plan_of = dict(Plan.objects.values_list("pk", "municipality_id"))
    year_of = dict(Plan.objects.values_list("pk", "year"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, plan_id, ref, department_id, strategic FROM plans_procurement")
        procurements = cursor.fetchall()
    current = {pk for pk, year in Plan.objects.values_list("pk", "year") if year == CURRENT_YEAR}
    generated = set(by_plan)
    everyone = [row for row in procurements if row[1] in generated]
    now_ones = [row for row in everyone if row[1] in current]
    past_ones = [row for row in everyone if row[1] not in current]
    strategic_now = [row for row in now_ones if row[4]]
    strategic_past = [row for row in past_ones if row[4]]
    target = next(row for row in procurements if row[1] == big_plan.pk and row[2] == REF_WITH_COMMENTS)
    base = datetime(2026, 8, 1, 7, 0, tzinfo=UTC)

    def moment(row):
        # Remiss activity of the plan's own remiss (August–November of the year before).
        start = datetime(year_of[row[1]] - 1, 8, 1, 7, 0, tzinfo=UTC)
        return start + timedelta(minutes=rng.randrange(120 * 24 * 60))

    comments, guidance, history = [], [], []
    for index in range(TOTAL_COMMENTS):
        if index < COMMENTS_ON_ONE:
            row, when = target, base + timedelta(hours=index * 5)
        else:
            row = rng.choice(now_ones) if rng.random() < 0.7 else rng.choice(past_ones)
            when = moment(row)
        municipality = plan_of[row[1]]
        politician = rng.random() < 0.4
        user = politicians[municipality] if politician else representatives[municipality]
        answered = rng.random() < 0.5
        officer = rng.choice(officers_by_centre[centre_of[municipality]])
        text = COMMENT_TEXTS[index % len(COMMENT_TEXTS)]
        comments.append(
            (row[0], user.pk, None if politician else row[3], text, when, answered,
             "Tack, vi tar med det i förfrågningsunderlaget." if answered else "",
             officer.pk if answered else None, when + timedelta(days=2) if answered else None)
        )  # fmt: skip
        history.append((row[1], row[0], row[2], user.pk, "commented", {"note": text}, when))
    for index in range(TOTAL_GUIDANCE):
        row = rng.choice(strategic_now) if rng.random() < 0.6 else rng.choice(strategic_past)
        if index < 5:
            row = target
        when = moment(row) if row is not target else base + timedelta(days=index)
        kind, text = GUIDANCE[rng.randrange(len(GUIDANCE))]
        user = politicians[plan_of[row[1]]]
        guidance.append((row[0], user.pk, kind, text, when))
        history.append((row[1], row[0], row[2], user.pk, "guidance", {"note": text}, when))
    officer = officers_by_centre[centre_of[plan_of[target[1]]]][0]
    for number in range(30):
        when = base - timedelta(days=60 - number)
        change = {"estimated_value_sek": [str(1_000_000 + number * 10_000), str(1_010_000 + number * 10_000)]}
        history.append((target[1], target[0], target[2], officer.pk, "changed", change, when))
    flags = [
        (target[0], True, "Strategiskt för kommunens klimatmål.", officer.pk, base),
        (target[0], False, "Flaggan togs bort efter dialog.", officer.pk, base + timedelta(days=3)),
        (target[0], True, "Flaggad igen efter beslut i KSL.", officer.pk, base + timedelta(days=9)),
    ]

    _copy(
        Comment._meta.db_table,
        ["procurement_id", "user_id", "department_id", "text", "created_at", "handled", "response",
         "responded_by_id", "responded_at"],
        comments,
    )  # fmt: skip
    _copy(Guidance._meta.db_table, ["procurement_id", "user_id", "kind", "text", "created_at"], guidance)
    _copy(
        StrategicFlag._meta.db_table, ["procurement_id", "flagged", "reason", "user_id", "created_at"], flags
    )
    import json

    _copy(
        HistoryEntry._meta.db_table,
        ["plan_id", "procurement_id", "ref", "user_id", "action", "changes", "created_at"],
        ((*row[:5], json.dumps(row[5], ensure_ascii=False), row[6]) for row in history),
    )
    return {"comments": len(comments), "guidance": len(guidance), "history": len(history)}


# How often each status occurs among the orders: most wait or were taken in, a few were declined.
ORDER_STATUS_WEIGHTS = {
    "submitted": 30,
    "question": 10,
    "answered": 10,
    "accepted": 30,
    "merged": 10,
    "declined": 10,
}
ORDER_GOALS = [
    ("Fossilfri kommun 2035", None, "", 2035),
    ("40 % ekologiska livsmedel i kommunens kök", 40, "%", 2030),
    ("Elbilar i kommunens fordonsflotta", 100, "bilar", 2030),
    ("Koldioxidutsläppen −60 %", 60, "%", 2030),
]


def _orders(rng, plan, procurements, departments, representative, officers) -> int:
    """BIG_ORDERS orders of the plan in every status, their events and goals: what the orders queue
    shows. An accepted order is the procurement it became (each its own); a merged one joins any."""
    from plans.models import Goal, Order, OrderEvent

    goals = Goal.objects.bulk_create(
        Goal(
            municipality_id=plan.municipality_id, title=title, target_value=value, unit=unit, target_year=year
        )
        for title, value, unit, year in ORDER_GOALS
    )
    templates = demo_templates()
    statuses, weights = zip(*ORDER_STATUS_WEIGHTS.items(), strict=True)
    free = [pk for pk, _ref, _department, _past in procurements]
    rng.shuffle(free)
    columns = [field.column for field in Order._meta.concrete_fields]
    next_id = _next_id(Order._meta.db_table)
    base = datetime(2026, 2, 1, 8, 0, tzinfo=UTC)
    orders, events, links = [], [], []
    for number in range(BIG_ORDERS):
        template = templates[rng.randrange(len(templates))]
        status = rng.choices(statuses, weights)[0]
        placed = base + timedelta(minutes=rng.randrange(119 * 24 * 60))
        handled = placed + timedelta(days=1 + rng.randrange(20))
        officer = officers[rng.randrange(len(officers))]
        procurement = None
        if status == "accepted":
            procurement = free.pop()
        elif status == "merged":
            procurement = procurements[rng.randrange(len(procurements))][0]
        ends = date(2027, 1 + rng.randrange(12), 1 + rng.randrange(28)) if rng.random() < 0.6 else None
        row = {
            "id": next_id + number, "plan_id": plan.pk,
            "department_id": departments[rng.randrange(len(departments))].pk,
            "title": f"{template['title']} ({number + 1})",
            "need": template["description"] or template["title"],
            "category": template["category"], "cpv": template["cpv"],
            "estimated_value_sek": int(round(math.exp(rng.gauss(math.log(1_500_000), 1.2)), -3)),
            "estimation_basis": "Årets kostnader.", "desired_start": date(2027, 1 + rng.randrange(12), 1),
            "current_contract_ends": ends, "new_need": ends is None,
            "duration_months": template["duration_months"], "options": "", "budget_status": "within_frame",
            "employment_requirement": template["employment_requirement"],
            "reserved_contract": template["reserved_contract"],
            "labour_conditions": template["labour_conditions"], "lots": template["lots"],
            "environmental_level": template["environmental_level"],
            "expert_name": f"Sakkunnig {number + 1}" if rng.random() < 0.8 else "",
            "expert_email": "", "confidential": rng.random() < 0.05, "status": status,
            "question": "Hur har värdet uppskattats?" if status in ("question", "answered") else "",
            "answer": "Utifrån årets fakturor." if status == "answered" else "",
            "reason": "Ryms i befintligt ramavtal." if status == "declined" else "",
            "procurement_id": procurement, "ordered_by_id": representative.pk,
            "handled_by_id": officer.pk if status != "submitted" else None,
            "handled_at": handled if status != "submitted" else None,
            "version": 1 + (status != "submitted") + (status == "answered"),
            "created_at": placed, "updated_at": handled if status != "submitted" else placed,
        }  # fmt: skip
        if row["expert_name"]:
            row["expert_email"] = f"sakkunnig{number + 1}@storholm.example"
        orders.append(tuple(row[column] for column in columns))
        events.append((row["id"], "submitted", representative.pk, "", placed))
        if status in ("question", "answered"):
            events.append((row["id"], "asked", officer.pk, row["question"], handled))
        if status == "answered":
            events.append(
                (row["id"], "answered", representative.pk, row["answer"], handled + timedelta(days=2))
            )
        elif status in ("accepted", "merged", "declined"):
            events.append((row["id"], status, officer.pk, row["reason"], handled))
        if rng.random() < 1 / 3:
            for goal in rng.sample(goals, 1 + rng.randrange(2)):
                links.append((row["id"], goal.pk))
    _copy(Order._meta.db_table, columns, orders)
    _reset_sequence(Order._meta.db_table)
    _copy(OrderEvent._meta.db_table, ["order_id", "action", "user_id", "text", "created_at"], events)
    through = Order.goals.through._meta
    _copy(through.db_table, [through.get_field("order").column, through.get_field("goal").column], links)
    return len(orders)


TEMPLATE_FIELDS = (
    "title", "description", "category", "cpv", "duration_months", "procedure", "possible_suppliers",
    "business_critical", "high_switching_cost", "employment_requirement", "reserved_contract",
    "labour_conditions", "lots", "climate_impact", "environmental_level", "innovation",
)  # fmt: skip


def demo_templates() -> list[dict]:
    """The demo's 99 orders of Falun 2017 (loaded first), in ref order: what the data set's procurements
    and the import file are made from."""
    from plans.models import Procurement

    rows = Procurement.objects.filter(plan__municipality__slug="falun", plan__year=2017).order_by("ref")
    return list(rows.values(*TEMPLATE_FIELDS))
