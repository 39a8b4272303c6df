"""
The national-scale benchmark (`make bench`): on PostgreSQL, build the national data set unless it is
there (bench/dataset.py), then measure what users feel and write bench/latest.json and bench/latest.md.

- Pages through Django's test client (server time: the whole request through middleware, view and
  template; no network), each a median and a 95th percentile over --requests requests after a
  warm-up, and the number of SQL queries of one request; every page also for Falun's 99, whose query
  count must be the same.
- Two baselines on the same rows: the Django admin's changelist filtered the same way, and the plan
  page's main SQL query run raw (the floor).
- The centre's desk (issue 16): its year, coordination and capacity pages for two centres' 2027 (UhC:
  12 municipalities, Storholm's 1 000 procurements among their 1 591; uc-02: 10 municipalities, 1 207),
  each as one of the centre's officers, in rounds of their own after the plan's pages; and the
  coordination suggestions of all 29 centres' 2027 computed one centre after another.
- Kommande upphandlingar (issue 17, bench/pipeline.py): the public page over the national data set (a word
  search, a CPV-group filter, the unfiltered first page) as an anonymous visitor, and the weekly alert run
  for 10 000 subscribers.
- Social enterprises (issue 18, bench/social.py): the coordinator's matches page of UhC with a register
  of 200 enterprises over the centre's 2027 plans.
- Import of a 10 000-row XLSX (`import_plan` in a subprocess: seconds and its peak memory), rescoring
  all 200 000 procurements (`plan_rescore` plan by plan), the OCDS export of 1 000.
- A load test on loopback: gunicorn with 2 workers, a bounded run of plan pages, the review queue and
  procurement pages as logged-in users, from wrk (or a small Python load generator without it).

Nothing here is asserted: a missed target is reported, not raised. The database is a separate one
(upphandlingsplan_bench on the server of DATABASE_URL, or BENCH_DATABASE_URL); the app's own is not
touched.
"""

import argparse
import functools
import json
import math
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
DATA = BENCH / "data"
sys.path.insert(0, str(ROOT))

from bench import pipeline as bench_pipeline  # noqa: E402  (bench/ is found through the line above)
from bench import social as bench_social  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/upphandlingsplan_bench"
TARGET_MS = 100
TARGET_QUERIES = 15
IMPORT_ROWS = 10_000
IMPORT_YEAR = 2030
TARGETS = {
    "import_seconds": 10,
    "import_peak_mb": 300,
    "rescore_seconds": 30,
    "ocds_seconds": 2,
    "suggestions_seconds": 5,
}
# The desk's bench centres, each with the officer it is measured as: UhC, the demo's centre (Storholm's
# 1 000-procurement plan, Falun and Borlänge among its 12 municipalities), and uc-02 (10 municipalities).
DESK_CENTRES = (("uhc", "upphandlare"), ("uc-02", "officer-uc-02-1"))
DESK_PAGES = (
    ("year", "the centre's year", ""),
    ("coordination", "coordination: groups and suggestions", "coordination/"),
    ("capacity", "capacity: officer × quarter", "capacity/"),
)


def database_url() -> str:
    """BENCH_DATABASE_URL, else upphandlingsplan_bench on DATABASE_URL's PostgreSQL, else the local one."""
    explicit = os.environ.get("BENCH_DATABASE_URL")
    if explicit:
        return explicit
    base = os.environ.get("DATABASE_URL", "")
    if base.startswith(("postgres://", "postgresql://")):
        return urlunsplit(urlsplit(base)._replace(path="/upphandlingsplan_bench"))
    return DEFAULT_URL


def log(message: str):
    print(message, flush=True)


# --- The database ---------------------------------------------------------------------------------


def prepare_database(url: str, *, rebuild: bool) -> None:
    """Create the bench database if it is missing; drop and create it again when it holds no complete
    data set of this version (an interrupted build) or when --rebuild asks for it."""
    import psycopg

    from bench.dataset import DATASET_VERSION

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        complete = False
        if exists:
            with psycopg.connect(url) as bench:
                has_meta = bench.execute("SELECT to_regclass('bench_meta') IS NOT NULL").fetchone()[0]
                if has_meta:
                    row = bench.execute("SELECT value FROM bench_meta WHERE key = 'version'").fetchone()
                    complete = bool(row and row[0] == DATASET_VERSION)
        if exists and (rebuild or not complete):
            log(f"Dropping the database {name} (no complete data set of version {DATASET_VERSION} in it)")
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = False
        if not exists:
            log(f"Creating the database {name}")
            admin.execute(f'CREATE DATABASE "{name}"')


def setup_django(url: str):
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "procurement.settings")
    # As in production: no debug bookkeeping; tasks in-process and the local-memory cache.
    os.environ["DEBUG"] = "false"
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    import logging

    # django-axes logs every force_login of the test client.
    logging.getLogger("axes").setLevel(logging.WARNING)
    # As procurement/wsgi.py does in every worker: what start-up loaded stays out of full collections.
    import procurement.wsgi  # noqa: F401


# --- Statistics -----------------------------------------------------------------------------------


def percentile(values, fraction):
    """The nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def summary(seconds: list[float]) -> dict:
    ms = [s * 1000 for s in seconds]
    return {
        "n": len(ms),
        "median_ms": round(statistics.median(ms), 1),
        "p95_ms": round(percentile(ms, 0.95), 1),
        "min_ms": round(min(ms), 1),
        "max_ms": round(max(ms), 1),
    }


# --- Pages ----------------------------------------------------------------------------------------


def prepare_page(client, url: str, *, warmup: int = 5) -> tuple[dict, list]:
    """Warm a page up, and capture the queries of one request of it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        get_ok(client, url)
    with CaptureQueriesContext(connection) as context:
        response = get_ok(client, url)
    # Copied now: every request starts by emptying the connection's query log.
    captured = list(context.captured_queries)
    return {"url": url, "queries": len(captured), "bytes": len(response.content)}, captured


def get_ok(client, url):
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return response


def time_rounds(measurements: dict, *, requests: int) -> dict[str, dict]:
    """Each measurement (a callable) run `requests` times, in rounds over all of them, so that whatever
    else the machine does at some moment weighs on every measurement alike, not on one."""
    seconds = {key: [] for key in measurements}
    for _ in range(requests):
        for key, run in measurements.items():
            started = time.perf_counter()
            run()
            seconds[key].append(time.perf_counter() - started)
    return {key: summary(values) for key, values in seconds.items()}


def time_page(client, url: str, *, requests: int, warmup: int = 5) -> tuple[dict, list]:
    """Median and p95 server time of one page, and the queries of one request."""
    result, captured = prepare_page(client, url, warmup=warmup)
    result.update(time_rounds({url: lambda: get_ok(client, url)}, requests=requests)[url])
    return result, captured


def main_query(captured) -> str:
    """The plan page's main query: the page of rows (LIMIT 50)."""
    candidates = [q["sql"] for q in captured if "LIMIT 50" in q["sql"]]
    return candidates[-1] if candidates else None


def run_sql(sql: str) -> list:
    """Run a query as it stands and fetch its rows."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def pages(requests: int) -> tuple[dict, dict]:
    """Every page for the 1 000-procurement plan and for Falun's 99, and the two baselines."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.test import Client
    from django.utils import timezone

    from accounts.models import Department
    from bench.dataset import BENCH_TODAY, BIG_SLUG, BIG_YEAR, REF_WITH_COMMENTS
    from plans.models import Comment, Order, Plan, Procurement

    User = get_user_model()
    today = timezone.localdate()
    big = Plan.objects.get(municipality__slug=BIG_SLUG, year=BIG_YEAR)
    falun = Plan.objects.get(municipality__slug="falun", year=2017)
    # Both plans on remiss today, so that every page shows its remiss state (guidance, comments) and
    # the two are measured in the same phase whatever the day the benchmark runs.
    Plan.objects.filter(pk__in=[big.pk, falun.pk]).update(
        remiss_starts=today - timedelta(days=45), remiss_ends=today + timedelta(days=75)
    )
    officer = User.objects.get(username="upphandlare")
    politicians = {
        big.pk: User.objects.get(username="bench-politiker"),
        falun.pk: User.objects.get(username="politiker"),
    }
    admin, _created = User.objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )

    # The procurement with the most comments in each plan (50 in the large one).
    def busiest(plan):
        ref = (
            Comment.objects.filter(procurement__plan=plan)
            .values("procurement__ref")
            .annotate(n=Count("pk"))
            .order_by("-n", "procurement__ref")
            .values_list("procurement__ref", flat=True)
            .first()
        )
        return ref or Procurement.objects.filter(plan=plan).order_by("ref").values_list("ref", flat=True)[0]

    refs = {big.pk: REF_WITH_COMMENTS, falun.pk: busiest(falun)}
    # The orders queue: Falun 2017 was ordered before there were orders, so its twin is Falun's coming
    # year's plan, with the demo's orders in every status.
    orders_plans = {
        big.pk: big,
        falun.pk: Plan.objects.get(municipality__slug="falun", year=BENCH_TODAY.year + 1),
    }
    departments = {big.pk: "KLK", falun.pk: "SERV"}

    officer_client, politician_clients = Client(), {}
    officer_client.force_login(officer)
    for pk, user in politicians.items():
        politician_clients[pk] = Client()
        politician_clients[pk].force_login(user)
    admin_client = Client()
    admin_client.force_login(admin)

    results, extra, runs = {}, {}, {}
    for label, plan in (("1000", big), ("falun99", falun)):
        base = plan.get_absolute_url()
        size = plan.procurements.count()
        filters = f"department={departments[plan.pk]}&sort=-shown_value&page=3"
        filtered = plan.procurements.filter(department__code=departments[plan.pk]).count()
        politician = politician_clients[plan.pk]
        comments = Comment.objects.filter(procurement__plan=plan, procurement__ref=refs[plan.pk]).count()
        specs = [
            ("plan", f"plan page, filtered and sorted, page 3 ({filtered} of {size} rows)", officer_client,
             f"{base}?{filters}"),
            ("matrix", f"Kraljic matrix ({size} procurements)", officer_client, f"{base}?view=matrix"),
            ("review", "review queue (politician)", politician, f"{base}review/"),
            ("procurement", f"procurement page, {comments} comments and its history", officer_client,
             f"{base}{refs[plan.pk]}/"),
            ("followup", "follow-up, figures over the years (officer)", officer_client, f"{base}followup/"),
            ("brief", "board brief, HTML (politician)", politician, f"{base}brief/"),
        ]  # fmt: skip
        ordered = orders_plans[plan.pk]
        specs.append(
            ("orders", f"orders queue (officer), {Order.objects.filter(plan=ordered).count()} orders",
             officer_client, f"{ordered.get_absolute_url()}orders/")
        )  # fmt: skip
        for key, title, client, url in specs:
            log(f"  {key} {label}: {url}")
            result, captured = prepare_page(client, url)
            result["title"] = title
            if key == "orders" and ordered != plan:
                result["plan"] = f"{ordered.municipality.slug} {ordered.year}"
            results[f"{key}_{label}"] = result
            runs[f"{key}_{label}"] = functools.partial(get_ok, client, url)
            if key == "plan":
                extra[f"main_query_{label}"] = main_query(captured)

    # The desk's pages in rounds of their own, after these: their garbage (a table of 1 500 procurements)
    # would otherwise set off the interpreter's full collections during the plan's pages, whose figures
    # stay comparable with the runs before the desk.
    desk_context, desk_runs = {}, {}
    for key, title, client, url in desk_specs(desk_context):
        log(f"  {key}: {url}")
        result, _captured = prepare_page(client, url)
        result["title"] = title
        results[key] = result
        desk_runs[key] = functools.partial(get_ok, client, url)

    # Baseline 1: the Django admin's changelist for the same plan, filtered and sorted the same way.
    klk = Department.objects.get(municipality=big.municipality, code="KLK")
    admin_url = f"/admin/plans/procurement/?plan={big.pk}&department__id__exact={klk.pk}&o=-5&p=3"
    log(f"  admin changelist: {admin_url}")
    result, _captured = prepare_page(admin_client, admin_url)
    result["title"] = "baseline: Django admin changelist, same plan, filter, sort and page"
    results["admin_1000"] = result
    runs["admin_1000"] = functools.partial(get_ok, admin_client, admin_url)
    # Baseline 2: the plan page's main query, raw (the floor).
    log("  raw SQL of the plan page's main query")
    sql = extra["main_query_1000"]
    results["sql_1000"] = {
        "sql": sql,
        "rows": len(run_sql(sql)),
        "queries": 1,
        "title": "baseline: the plan page's main SQL query, raw (the floor)",
    }
    for _ in range(5):
        run_sql(sql)
    runs["sql_1000"] = functools.partial(run_sql, sql)
    log(f"  {requests} rounds over the {len(runs)} measurements")
    for key, timing in time_rounds(runs, requests=requests).items():
        results[key].update(timing)
    log(f"  {requests} rounds over the desk's {len(desk_runs)} pages")
    for key, timing in time_rounds(desk_runs, requests=requests).items():
        results[key].update(timing)
    context = {
        "big_plan": f"{BIG_SLUG} {BIG_YEAR}",
        "falun_plan": "falun 2017",
        "today": today.isoformat(),
        "procurement_refs": {"1000": refs[big.pk], "falun99": refs[falun.pk]},
        "desk": desk_context,
    }
    return results, context


def desk_specs(context: dict) -> list[tuple]:
    """(key, title, client, url) of the desk's pages of BIG_YEAR for each of DESK_CENTRES, as one of the
    centre's officers; context gets what each centre holds."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from accounts.models import ProcurementCentre
    from bench.dataset import BIG_YEAR
    from plans.models import CoordinationGroup, Procurement

    specs = []
    for slug, username in DESK_CENTRES:
        centre = ProcurementCentre.objects.get(slug=slug)
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        context[slug] = {
            "officer": username,
            "municipalities": centre.municipalities.count(),
            "procurements": Procurement.objects.filter(
                plan__municipality__centre=centre, plan__year=BIG_YEAR
            ).count(),
            "coordinated": CoordinationGroup.objects.filter(
                centre=centre, year=BIG_YEAR, dissolved_at__isnull=True
            ).count(),
        }
        for page, title, below in DESK_PAGES:
            url = f"/centre/{slug}/{BIG_YEAR}/{below}"
            specs.append((f"desk_{page}_{slug}", f"{title} ({username})", client, url))
    return specs


def measure_suggestions(runs: int = 5) -> dict:
    """The coordination suggestions of every centre's BIG_YEAR, one centre after another as the
    coordination page computes them (plans.centre.coordination.suggestions: the centre's settings, its
    candidates in one query, then the rule): `runs` timed runs of all of them after one warm-up."""
    from accounts.models import ProcurementCentre
    from bench.dataset import BIG_YEAR
    from plans.centre.coordination import candidates, suggestions

    centres = list(ProcurementCentre.objects.order_by("pk"))

    def all_centres():
        return sum(len(suggestions(centre, BIG_YEAR)) for centre in centres)

    found = all_centres()
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        all_centres()
        seconds.append(time.perf_counter() - started)
    return {
        "centres": len(centres),
        "candidates": sum(len(candidates(centre, BIG_YEAR)) for centre in centres),
        "suggestions": found,
        "runs": runs,
        "median_seconds": round(statistics.median(seconds), 3),
        "max_seconds": round(max(seconds), 3),
        "note": "plans.centre.coordination.suggestions for each centre in turn, in this process "
        "(the centres' settings, their candidates, the rule); median and max of the runs",
    }


# --- Import, rescoring, export --------------------------------------------------------------------


def write_import_file(path: Path, rows: int) -> None:
    """A 10 000-row XLSX in the import's Swedish columns, for the largest municipality (deterministic)."""
    import random

    from openpyxl import Workbook

    from accounts.models import Department, Role, User
    from bench.dataset import BIG_SLUG, demo_templates
    from plans.exchange.columns import COLUMNS, format_value

    rng = random.Random(IMPORT_YEAR)
    codes = list(Department.objects.filter(municipality__slug=BIG_SLUG).values_list("code", flat=True))
    officers = list(
        User.objects.filter(
            memberships__role=Role.OFFICER, memberships__centre__municipalities__slug=BIG_SLUG
        )
        .exclude(email="")
        .values_list("email", flat=True)
    )
    # A normal workbook, as the plan's own export writes it: dimensions first (openpyxl's write-only
    # mode leaves them out, which makes every reader scan the sheet twice) and, as openpyxl writes
    # them, every text cell an inline string. Reading those costs more than Excel's shared strings.
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Upphandlingsplan"
    sheet.append([column.sv for column in COLUMNS])
    templates = demo_templates()
    for number in range(1, rows + 1):
        template = templates[rng.randrange(len(templates))]
        values = dict(template)
        values.update(
            ref=f"{IMPORT_YEAR}-{number:05d}",
            department=rng.choice(codes),
            estimated_value_sek=rng.randrange(50, 50_000) * 1000,
            planned_advertisement=date(IMPORT_YEAR, 1 + rng.randrange(12), 1 + rng.randrange(28)),
            current_contract_ends=None,
            officer=rng.choice(officers) if rng.random() < 0.5 else None,
        )
        sheet.append([format_value(column, values.get(column.key), "sv") for column in COLUMNS])
    workbook.save(path)


# Runs manage.py and reports the process's own peak resident set on the way out. Not the rusage that
# wait4() gives the parent: Linux folds the memory of the process that spawned it (this benchmark,
# a few hundred MB by then) into a child's ru_maxrss at exec, whereas VmHWM starts afresh with exec.
PEAK_REPORTING_MAIN = """
import atexit, runpy, sys
def report():
    try:
        with open("/proc/self/status") as status:
            peak = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        import resource
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print("PEAK_KB", peak, flush=True)
atexit.register(report)
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def measure_import(url: str) -> dict:
    from bench.dataset import BIG_SLUG
    from plans.models import Plan

    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"import-{IMPORT_ROWS}-v2.xlsx"
    if not path.exists():
        log(f"  writing {path.relative_to(ROOT)}")
        write_import_file(path, IMPORT_ROWS)
    Plan.objects.filter(municipality__slug=BIG_SLUG, year=IMPORT_YEAR).delete()
    command = [
        sys.executable,
        "-c",
        PEAK_REPORTING_MAIN,
        str(ROOT / "manage.py"),
        "import_plan",
        str(path),
        "--municipality",
        BIG_SLUG,
        "--year",
        str(IMPORT_YEAR),
    ]
    env = {**os.environ, "DATABASE_URL": url}
    log(f"  import_plan {path.name} (a subprocess)")
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"import_plan failed:\n{output.decode()[-3000:]}")
    reported = [line for line in output.decode().splitlines() if line.startswith("PEAK_KB ")]
    peak_kb = int(reported[-1].split()[1]) if reported else usage.ru_maxrss
    imported = Plan.objects.get(municipality__slug=BIG_SLUG, year=IMPORT_YEAR).procurements.count()
    Plan.objects.filter(municipality__slug=BIG_SLUG, year=IMPORT_YEAR).delete()
    return {
        "rows": IMPORT_ROWS,
        "imported": imported,
        "seconds": round(seconds, 2),
        "peak_mb": round(peak_kb / 1024, 1),
        "file_mb": round(path.stat().st_size / 1_048_576, 2),
        "note": "wall-clock of `manage.py import_plan` in a subprocess, Django's start-up included; "
        "peak memory is the subprocess's own high-water resident set (VmHWM)",
    }


def measure_rescore() -> dict:
    """Every plan rescored with its rubric (adopted ones too), as `manage.py rescore` does for open
    plans (services.plans_rescore): once when nothing changes, and once when every procurement's
    scores change (they are zeroed first, unmeasured), which writes all 200 000 rows."""
    from django.db import connection

    from plans.models import Plan, Procurement
    from plans.scoring.services import plans_rescore

    plans = list(Plan.objects.order_by("pk"))
    started = time.perf_counter()
    scored = sum(plans_rescore(plans=plans).values())
    unchanged = time.perf_counter() - started
    Procurement.objects.update(
        economic_score=0, social_score=0, environmental_score=0, supply_risk_score=0, kraljic="routine",
        strategic=False, priority=0,
    )  # fmt: skip
    started = time.perf_counter()
    plans_rescore(plans=plans)
    every = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE plans_procurement")
    return {
        "procurements": scored,
        "plans": len(plans),
        "total_in_database": Procurement.objects.count(),
        "seconds": round(every, 2),
        "seconds_nothing_changes": round(unchanged, 2),
        "note": "services.plans_rescore over every plan: one UPDATE per distinct rubric, writing only "
        "the rows whose results change; 'seconds' is the run where every row's scores change",
    }


def measure_ocds(requests: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from bench.dataset import BIG_SLUG, BIG_YEAR
    from plans.models import Plan

    plan = Plan.objects.get(municipality__slug=BIG_SLUG, year=BIG_YEAR)
    client = Client()
    client.force_login(get_user_model().objects.get(username="upphandlare"))
    result, _captured = time_page(
        client, f"{plan.get_absolute_url()}export.json", requests=requests, warmup=2
    )
    package = json.loads(client.get(f"{plan.get_absolute_url()}export.json").content)
    result["releases"] = len(package["releases"])
    result["title"] = "OCDS export of a 1 000-procurement plan (the download, through the test client)"
    return result


# --- Load -----------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def load_mix() -> list[tuple[str, str]]:
    """(path, session cookie) of the load test's requests: plan pages, the queue and procurement pages."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from bench.dataset import BIG_SLUG, BIG_YEAR
    from plans.models import Plan

    User = get_user_model()

    def cookie(username):
        client = Client()
        client.force_login(User.objects.get(username=username))
        return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"

    officer, politician, falun_politician = (
        cookie("upphandlare"),
        cookie("bench-politiker"),
        cookie("politiker"),
    )
    big = Plan.objects.get(municipality__slug=BIG_SLUG, year=BIG_YEAR)
    refs = list(big.procurements.order_by("ref").values_list("ref", flat=True)[:: max(1, 1000 // 40)])
    base = big.get_absolute_url()
    mix = []
    for page in range(1, 6):
        mix.append((f"{base}?page={page}", officer))
        mix.append((f"{base}?department=KLK&sort=-shown_value&page={page}", officer))
        mix.append((f"{base}?strategic=true&sort=-priority&page={page}", politician))
    mix.append((f"{base}?view=ranking", politician))
    mix.append(("/plans/falun/2017/?sort=title", officer))
    mix.append(("/plans/falun/2017/", falun_politician))
    for _ in range(5):
        mix.append((f"{base}review/", politician))
    mix.append(("/plans/falun/2017/review/", falun_politician))
    for ref in refs:
        mix.append((f"{base}{ref}/", officer if len(mix) % 2 else politician))
    return mix


def run_wrk(port: int, mix, *, seconds: int, connections: int) -> dict:
    script = Path(tempfile.mkdtemp()) / "mix.lua"
    entries = ",\n".join(f"  {{{json.dumps(path)}, {json.dumps(cookie)}}}" for path, cookie in mix)
    script.write_text(
        f"""
local mix = {{
{entries}
}}
local counter = 0
local failures = 0
request = function()
  counter = counter + 1
  local item = mix[(counter % #mix) + 1]
  return wrk.format("GET", item[1], {{["Cookie"] = item[2], ["Host"] = "127.0.0.1"}})
end
response = function(status, headers, body)
  if status ~= 200 then failures = failures + 1 end
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{{"requests": %d, "duration_us": %d, "non_200": %d, "connect": %d, "read": %d, "write": %d, '
    .. '"timeout": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d}}\\n',
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""
    )
    command = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
        f"http://127.0.0.1:{port}/",
    ]
    output = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    data = json.loads(output.strip().splitlines()[-1])
    errors = data["non_200"] + data["connect"] + data["read"] + data["write"] + data["timeout"]
    return {
        "tool": "wrk 1 thread",
        "connections": connections,
        "seconds": round(data["duration_us"] / 1e6, 1),
        "requests": data["requests"],
        "rps": round(data["requests"] / (data["duration_us"] / 1e6), 1),
        "p50_ms": round(data["p50_us"] / 1000, 1),
        "p95_ms": round(data["p95_us"] / 1000, 1),
        "p99_ms": round(data["p99_us"] / 1000, 1),
        "max_ms": round(data["max_us"] / 1000, 1),
        "errors": errors,
        "error_detail": {key: data[key] for key in ("non_200", "connect", "read", "write", "timeout")},
    }


def run_python_load(port: int, mix, *, seconds: int, connections: int) -> dict:
    """A small bounded load generator: threads with keep-alive http.client connections to 127.0.0.1."""
    import http.client

    deadline = time.monotonic() + seconds
    latencies, errors, lock = [], [], threading.Lock()
    counter = iter(range(10**9))

    def worker():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.monotonic() < deadline:
            with lock:
                path, cookie = mix[next(counter) % len(mix)]
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if not ok:
                    errors.append(path)
        connection.close()

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    duration = time.monotonic() - started
    ms = [s * 1000 for s in latencies]
    return {
        "tool": "python http.client threads",
        "connections": connections,
        "seconds": round(duration, 1),
        "requests": len(ms),
        "rps": round(len(ms) / duration, 1),
        "p50_ms": round(statistics.median(ms), 1),
        "p95_ms": round(percentile(ms, 0.95), 1),
        "p99_ms": round(percentile(ms, 0.99), 1),
        "max_ms": round(max(ms), 1),
        "errors": len(errors),
    }


def load_test(url: str, *, seconds: int, connections: int) -> dict:
    """gunicorn with 2 workers on 127.0.0.1, then a bounded run of the mix."""
    mix = load_mix()
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    env.pop("REDIS_URL", None)
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    command = [gunicorn, "procurement.wsgi:application", "--workers", "2", "--bind", f"127.0.0.1:{port}"]
    command += ["--log-level", "warning", "--timeout", "30"]
    log(f"  gunicorn, 2 workers, on 127.0.0.1:{port}; {len(mix)} addresses in the mix")
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        import http.client

        for _ in range(100):
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", mix[0][0], headers={"Cookie": mix[0][1]})
                status = connection.getresponse().status
                connection.close()
                if status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not answer")
        # Warm both workers on every address.
        run_python_load(port, mix, seconds=5, connections=2)
        if shutil.which("wrk"):
            log(f"  wrk: {seconds} s, {connections} connections")
            result = run_wrk(port, mix, seconds=seconds, connections=connections)
        else:
            log(f"  no wrk: the Python load generator, {seconds} s, {connections} connections")
            result = run_python_load(port, mix, seconds=seconds, connections=connections)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    result["mix"] = (
        f"{len(mix)} addresses: plan pages (filters, sorts, pages), review queues, procurement pages"
    )
    result["server"] = (
        "gunicorn, 2 sync workers, DEBUG off, on this machine with PostgreSQL and the load tool"
    )
    return result


# --- Reports --------------------------------------------------------------------------------------


def calibration_ms() -> float:
    """The median time of a fixed piece of pure Python: how fast this machine runs right now. On a
    shared or virtual machine it varies from hour to hour, and every page's time varies with it."""
    import hashlib

    def work():
        data = json.dumps([{"ref": f"2027-{n:04d}", "value": n * 7919 % 10**7} for n in range(2000)])
        return hashlib.sha256(data.encode()).hexdigest(), sorted(range(50_000), key=lambda n: -n)[0]

    times = []
    for _ in range(15):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 2)


def environment() -> dict:
    import django
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = bool(
            subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout.strip()
        )  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        commit, dirty = "unknown", False
    return {
        "loadavg_before": " ".join(f"{value:.2f}" for value in os.getloadavg()),
        "calibration_ms_before": calibration_ms(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": pg,
        "commit": commit + ("+changes" if dirty else ""),
        "machine": platform.machine(),
    }


def verdicts(results: dict) -> list[dict]:
    rows = []
    for key, result in results["pages"].items():
        if key.startswith(("admin_", "sql_", "desk_")):
            continue
        page, size = key.rsplit("_", 1)
        twin = results["pages"].get(f"{page}_{'falun99' if size == '1000' else '1000'}")
        same = twin is not None and twin["queries"] == result["queries"]
        met = result["p95_ms"] <= TARGET_MS and result["queries"] <= TARGET_QUERIES and same
        rows.append(
            {
                "key": key,
                "measurement": f"{result['title']} – "
                + (result.get("plan") or ("1 000" if size == "1000" else "Falun 99")),
                "median_ms": result["median_ms"],
                "p95_ms": result["p95_ms"],
                "queries": result["queries"],
                "target": f"p95 ≤ {TARGET_MS} ms, ≤ {TARGET_QUERIES} queries, same count for 99 and 1 000",
                "met": met,
            }
        )
    return rows


def desk_verdicts(results: dict) -> list[dict]:
    """The desk's pages: each within the targets, with the same number of queries for both centres."""
    pages, context = results["pages"], results["context"]["desk"]
    target = f"p95 ≤ {TARGET_MS} ms, ≤ {TARGET_QUERIES} queries, same count for both centres"
    rows = []
    for page, _title, _below in DESK_PAGES:
        counts = {pages[f"desk_{page}_{slug}"]["queries"] for slug, _username in DESK_CENTRES}
        for slug, _username in DESK_CENTRES:
            key = f"desk_{page}_{slug}"
            result, held = pages[key], context[slug]
            rows.append(
                {
                    "key": key,
                    "measurement": f"{result['title']} – {slug} {held['municipalities']} municipalities, "
                    f"{thousands(held['procurements'])} procurements, {held['coordinated']} coordinated",
                    "median_ms": result["median_ms"],
                    "p95_ms": result["p95_ms"],
                    "queries": result["queries"],
                    "target": target,
                    "met": result["p95_ms"] <= TARGET_MS
                    and result["queries"] <= TARGET_QUERIES
                    and len(counts) == 1,
                }
            )
    return rows


def ratios(results: dict) -> dict:
    pages = results["pages"]
    plan, admin, sql = pages["plan_1000"], pages["admin_1000"], pages["sql_1000"]
    return {
        "plan_vs_admin_median": round(plan["median_ms"] / admin["median_ms"], 2),
        "plan_vs_admin_p95": round(plan["p95_ms"] / admin["p95_ms"], 2),
        "plan_vs_sql_median": round(plan["median_ms"] / sql["median_ms"], 1),
        "plan_vs_sql_p95": round(plan["p95_ms"] / sql["p95_ms"], 1),
        "met_admin": plan["p95_ms"] <= admin["p95_ms"] and plan["median_ms"] <= admin["median_ms"],
        "met_sql": plan["median_ms"] <= 5 * sql["median_ms"],
    }


def yes(flag) -> str:
    return "yes" if flag else "**no**"


def thousands(number) -> str:
    """12345 → "12 345", as Swedish (and the issue) write it."""
    return f"{int(number):,}".replace(",", " ")


def markdown(results: dict) -> str:
    env, data, pages, context = (
        results["environment"],
        results["dataset"],
        results["pages"],
        results["context"],
    )
    load_before, load_after = env.get("loadavg_before"), results.get("loadavg_after")
    lines = [
        "# Benchmark: national scale",
        "",
        f"Run {results['finished']} on {env['cpus']} CPUs, PostgreSQL {env['postgresql']}, "
        f"Python {env['python']}, Django {env['django']}, commit {env['commit']}; load average "
        f"{load_before} before and {load_after} after the run (whatever else the machine was doing); "
        f"a fixed piece of Python took {env.get('calibration_ms_before')} ms before and "
        f"{results.get('calibration_ms_after')} ms after (the machine's speed at the time: the lower, "
        "the faster; compare runs by it). Written by `make bench` (bench/run.py); every figure of the "
        "run is in bench/latest.json.",
        "",
        f"Data set: {thousands(data['procurements'])} procurements in {thousands(data['plans'])} plans of "
        f"290 municipalities (2018–2027; Falun also 2014–2017), {thousands(data['comments'])} comments, "
        f"{thousands(data['guidance'])} guidance records, {thousands(data['history'])} history entries, "
        f"{thousands(data.get('orders', 0))} orders of the 1 000-procurement plan, "
        f"outcomes for nine in ten procurements of past years, "
        f"{thousands(data.get('coordination_groups', 0))} coordinated procurements of 2027 (20 per centre, "
        f"2–3 municipalities each) and {thousands(data.get('capacities', 0))} officer capacities of its "
        f"quarters. The 1 000-procurement plan is "
        f"{context['big_plan']}; Falun's 99 is {context['falun_plan']} (both on remiss for the run).",
        "",
        "Pages: server time through Django's test client (middleware, view, template; no network), "
        f"{results['requests']} requests each after 5 warm-up requests, DEBUG off, taken in rounds over "
        "all the pages and both baselines (one request of each per round, so that whatever else the "
        "machine does weighs on all alike); the queries of one request. Officers see the plan, matrix, "
        "procurement and follow-up pages and the orders queue, politicians the review queue and the brief.",
        "",
        "| measurement | median ms | p95 ms | queries | target | met? |",
        "|---|---:|---:|---:|---|---|",
    ]
    for row in results["verdicts"]:
        lines.append(
            f"| {row['measurement']} | {row['median_ms']} | {row['p95_ms']} | {row['queries']} | "
            f"{row['target']} | {yes(row['met'])} |"
        )
    r = results["ratios"]
    admin, sql, plan = pages["admin_1000"], pages["sql_1000"], pages["plan_1000"]
    lines += [
        "",
        "## Baselines (the same plan, filter, sort and page)",
        "",
        "| measurement | median ms | p95 ms | queries |",
        "|---|---:|---:|---:|",
        f"| plan page (`{plan['url']}`) | {plan['median_ms']} | {plan['p95_ms']} | {plan['queries']} |",
        f"| Django admin changelist (`{admin['url']}`) | {admin['median_ms']} | {admin['p95_ms']} | "
        f"{admin['queries']} |",
        f"| the plan page's main query as raw SQL ({sql['rows']} rows fetched) | {sql['median_ms']} | "
        f"{sql['p95_ms']} | 1 |",
        "",
        "| ratio | median | p95 | target | met? |",
        "|---|---:|---:|---|---|",
        f"| plan page / admin changelist | {r['plan_vs_admin_median']} | {r['plan_vs_admin_p95']} | ≤ 1 | "
        f"{yes(r['met_admin'])} |",
        f"| plan page / raw SQL floor | {r['plan_vs_sql_median']} | {r['plan_vs_sql_p95']} | ≤ 5 | "
        f"{yes(r['met_sql'])} |",
    ]
    desk = results["context"]["desk"]
    lines += [
        "",
        "## The centre's desk",
        "",
        "The desk's pages of 2027 (`/centre/<centre>/2027/`, `coordination/`, `capacity/`, as they open) "
        "for two centres, each as one of its officers ("
        + ", ".join(f"{slug}: {held['officer']}" for slug, held in desk.items())
        + "), in rounds of their own after the pages above: UhC, the demo's centre, with Storholm's "
        "1 000-procurement plan, and uc-02, the largest centre of 10 municipalities (the issue's bench "
        "centre: 10 municipalities, 1 000+ procurements that year).",
        "",
        "| measurement | median ms | p95 ms | queries | target | met? |",
        "|---|---:|---:|---:|---|---|",
    ]
    for row in results["desk_verdicts"]:
        lines.append(
            f"| {row['measurement']} | {row['median_ms']} | {row['p95_ms']} | {row['queries']} | "
            f"{row['target']} | {yes(row['met'])} |"
        )
    found = results.get("suggestions")
    if found:
        limit = TARGETS["suggestions_seconds"]
        lines += [
            "",
            "| measurement | figure | target | met? |",
            "|---|---:|---|---|",
            f"| coordination suggestions of all {found['centres']} centres' 2027 "
            f"({thousands(found['candidates'])} candidates, {thousands(found['suggestions'])} suggestions; "
            f"`plans.centre.coordination.suggestions` per centre), median / max of {found['runs']} runs | "
            f"{found['median_seconds']} / {found['max_seconds']} s | ≤ {limit} s in all | "
            f"{yes(found['max_seconds'] <= limit)} |",
        ]
    lines += bench_pipeline.markdown(results)
    lines += bench_social.markdown(results)
    imp, rescore, ocds = results["import"], results["rescore"], results["ocds"]
    lines += [
        "",
        "## Import, rescoring, export",
        "",
        "| measurement | figure | target | met? |",
        "|---|---:|---|---|",
        f"| import of a {thousands(imp['rows'])}-row XLSX (`import_plan` in a subprocess, Django's start-up "
        f"included) | {imp['seconds']} s | ≤ {TARGETS['import_seconds']} s | "
        f"{yes(imp['seconds'] <= TARGETS['import_seconds'])} |",
        f"| its peak memory (the process's own peak resident set, VmHWM) | {imp['peak_mb']} MB | "
        f"≤ {TARGETS['import_peak_mb']} MB | {yes(imp['peak_mb'] <= TARGETS['import_peak_mb'])} |",
        f"| rescoring all {thousands(rescore['procurements'])} procurements of {thousands(rescore['plans'])} "
        f"plans (`plans_rescore`), every row's scores changing | {rescore['seconds']} s | "
        f"≤ {TARGETS['rescore_seconds']} s | {yes(rescore['seconds'] <= TARGETS['rescore_seconds'])} |",
        f"| the same when no score changes (what a `rescore` after a deploy does) | "
        f"{rescore['seconds_nothing_changes']} s | – | – |",
        f"| OCDS export of {thousands(ocds['releases'])} procurements, the download (median / p95 of "
        f"{ocds['n']}) | {ocds['median_ms'] / 1000:.2f} / {ocds['p95_ms'] / 1000:.2f} s | "
        f"≤ {TARGETS['ocds_seconds']} s | {yes(ocds['p95_ms'] / 1000 <= TARGETS['ocds_seconds'])} |",
    ]
    load = results.get("load")
    if load:
        lines += [
            "",
            "## Load on loopback",
            "",
            f"{load['server']}; {load['tool']}, {load['connections']} connections, {load['seconds']} s; "
            f"{load['mix']}; logged-in officers and politicians.",
            "",
            "| requests | requests/s | p50 ms | p95 ms | p99 ms | errors | target | met? |",
            "|---:|---:|---:|---:|---:|---:|---|---|",
            f"| {load['requests']} | {load['rps']} | {load['p50_ms']} | {load['p95_ms']} | "
            f"{load['p99_ms']} | {load['errors']} | 0 errors | {yes(load['errors'] == 0)} |",
        ]
    return "\n".join(lines) + "\n"


# --- Main -----------------------------------------------------------------------------------------


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=40, help="requests per page (at least 30)")
    parser.add_argument("--load-seconds", type=int, default=60, help="length of the load test")
    parser.add_argument("--connections", type=int, default=4, help="concurrent connections of the load test")
    parser.add_argument("--no-load", action="store_true", help="skip the load test")
    parser.add_argument("--only-pages", action="store_true", help="measure the pages only (for development)")
    parser.add_argument("--rebuild", action="store_true", help="build the data set again")
    parser.add_argument(
        "--output",
        help="where to write .json and .md (default bench/latest; with --only-pages bench/data/pages)",
    )
    args = parser.parse_args(argv)
    if args.requests < 30:
        parser.error("--requests must be at least 30")

    url = database_url()
    log(f"Benchmark database: {urlsplit(url)._replace(netloc=urlsplit(url).hostname or '').geturl()}")
    prepare_database(url, rebuild=args.rebuild)
    setup_django(url)
    from django.core.management import call_command

    from bench import dataset

    call_command("migrate", verbosity=0)
    if not dataset.present():
        log("Building the national data set")
        dataset.build(log=log)
    else:
        log("The national data set is there: reused")

    results = {"requests": args.requests, "environment": environment(), "dataset": dataset.meta()}
    log("Pages")
    results["pages"], results["context"] = pages(args.requests)
    results["verdicts"] = verdicts(results)
    results["desk_verdicts"] = desk_verdicts(results)
    results["ratios"] = ratios(results)
    log("Kommande upphandlingar")
    results["pipeline_pages"], results["context"]["pipeline"] = bench_pipeline.measure_pages(
        args.requests, prepare_page=prepare_page, time_rounds=time_rounds, get_ok=get_ok
    )
    if not args.only_pages:
        log("The weekly alert run")
        results["pipeline_alerts"] = bench_pipeline.measure_alerts()
    results["pipeline_verdicts"] = bench_pipeline.verdicts(
        results["pipeline_pages"], results.get("pipeline_alerts")
    )
    log("Social enterprises: the coordinator's matches")
    results["social_pages"], results["context"]["social"] = bench_social.measure_pages(
        args.requests, prepare_page=prepare_page, time_rounds=time_rounds, get_ok=get_ok
    )
    results["social_verdicts"] = bench_social.verdicts(results["social_pages"])
    if not args.only_pages:
        log("Import")
        results["import"] = measure_import(url)
        log("Rescoring")
        results["rescore"] = measure_rescore()
        log("OCDS export")
        results["ocds"] = measure_ocds(args.requests)
        log("Coordination suggestions of every centre")
        results["suggestions"] = measure_suggestions()
        if not args.no_load:
            log("Load")
            results["load"] = load_test(url, seconds=args.load_seconds, connections=args.connections)
    results["finished"] = time.strftime("%Y-%m-%d %H:%M %Z")
    results["loadavg_after"] = " ".join(f"{value:.2f}" for value in os.getloadavg())
    results["calibration_ms_after"] = calibration_ms()
    # A partial run never replaces the report of a whole one.
    output = Path(args.output or (DATA / "pages" if args.only_pages else BENCH / "latest"))
    output.parent.mkdir(parents=True, exist_ok=True)
    output.with_suffix(".json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    if not args.only_pages:
        output.with_suffix(".md").write_text(markdown(results))
    rows = results["verdicts"] + results["desk_verdicts"] + results["pipeline_verdicts"]
    for row in rows + results["social_verdicts"]:
        if row.get("seconds") is not None:
            log(f"  {row['key']:<22} {row['seconds']} s {'ok' if row['met'] else 'MISSED'}")
            continue
        log(f"  {row['key']:<22} median {row['median_ms']:>7} p95 {row['p95_ms']:>7} q {row['queries']:>3}"
            f" {'ok' if row['met'] else 'MISSED'}")  # fmt: skip
    log(f"  ratios: {results['ratios']}")
    log(
        f"Wrote {output.with_suffix('.json')}"
        + ("" if args.only_pages else f" and {output.with_suffix('.md')}")
    )


if __name__ == "__main__":
    main()
