"""
The benchmark of Kommande upphandlingar (issue 17): the public page over the national data set, and the
weekly alert run for 10 000 subscribers.

The data set's 2027 plans are on remiss; two in three municipalities publish theirs as drafts here (the
plan setting, written by this step, as bench/run.py's pages() writes the remiss windows it needs), so the
pipeline holds about two thirds of 2027's procurements on PIPELINE_DAY, searched among all 200 000.
The pages are measured as an anonymous visitor on PIPELINE_DAY (time_machine, ticking), the alert run
inside a transaction that is rolled back: the data set is left as it was found, apart from the drafts'
setting.
"""

import random
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

PIPELINE_DAY = datetime(2026, 11, 16, 9, 0, tzinfo=ZoneInfo("Europe/Stockholm"))
YEAR = 2027
SUBSCRIBERS = 10_000
# Searches people save: a word of a title, a CPV group, a municipality, or two of them; many share one.
DISTINCT_SEARCHES = 1_500
NEW_IN_THE_WEEK = 2_000
TARGET_PAGE_MS = 100
TARGET_QUERIES = 10
TARGET_ALERT_SECONDS = 60


class Rollback(Exception):
    pass


def publish_drafts() -> int:
    """Two in three municipalities publish their 2027 draft (by municipality id: the same ones every run)."""
    from django.db.models import F

    from plans.models import Plan

    plans = Plan.objects.filter(year=YEAR, adopted_on__isnull=True)
    plans.update(publish_draft=False)
    return plans.annotate(rest=F("municipality_id") % 3).exclude(rest=0).update(publish_draft=True)


def pages_to_measure() -> dict[str, tuple[str, str]]:
    """{key: (title, address)}: a word search, a CPV-group filter and the unfiltered first page."""
    return {
        "pipeline_first": ("/kommande/ unfiltered, first page", "/kommande/"),
        "pipeline_words": ("/kommande/ word search (livsmedel)", "/kommande/?q=livsmedel"),
        "pipeline_cpv": ("/kommande/ CPV group 909 (cleaning services)", "/kommande/?cpv_group=909"),
    }


def measure_pages(requests: int, *, prepare_page, time_rounds, get_ok) -> tuple[dict, dict]:
    import time_machine
    from django.test import Client

    from plans.pipeline.search import coming

    published = publish_drafts()
    client = Client()
    results = {}
    with time_machine.travel(PIPELINE_DAY, tick=True):
        listed = coming().count()
        measurements = {}
        for key, (title, url) in pages_to_measure().items():
            result, _captured = prepare_page(client, url)
            result["title"] = title
            results[key] = result
            measurements[key] = lambda url=url: get_ok(client, url)
        for key, timing in time_rounds(measurements, requests=requests).items():
            results[key].update(timing)
    context = {"published_plans": published, "coming": listed, "day": PIPELINE_DAY.date().isoformat()}
    return results, context


def _searches(rng: random.Random, words: list[str], groups: list[str], slugs: list[str]) -> list[str]:
    from urllib.parse import urlencode

    searches = set()
    while len(searches) < DISTINCT_SEARCHES:
        kind = rng.random()
        if kind < 0.4:
            pairs = [("q", rng.choice(words))]
        elif kind < 0.7:
            pairs = [("cpv_group", rng.choice(groups))]
        elif kind < 0.85:
            pairs = [("q", rng.choice(words)), ("municipality", rng.choice(slugs))]
        else:
            pairs = [("cpv_group", rng.choice(groups)), ("municipality", rng.choice(slugs))]
        searches.add(urlencode(pairs))
    return sorted(searches)


def measure_alerts() -> dict:
    """The weekly run for SUBSCRIBERS confirmed subscribers, NEW_IN_THE_WEEK procurements new since their
    last mail; mails into Django's local-memory outbox (the mail server's time is not ours)."""
    from django.conf import settings
    from django.core import mail
    from django.db import connection, transaction

    from accounts.models import Municipality
    from plans.centre import cpv
    from plans.models import Procurement, Subscription
    from plans.pipeline import alerts
    from plans.pipeline.search import coming

    rng = random.Random(20261116)
    now = PIPELINE_DAY
    week_ago = now - timedelta(days=7)
    backend = settings.EMAIL_BACKEND
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    result = {}
    try:
        with transaction.atomic():
            ids = list(coming(now.date()).values_list("pk", flat=True))
            Procurement.objects.filter(pk__in=ids).update(public_since=week_ago)
            new = rng.sample(ids, min(NEW_IN_THE_WEEK, len(ids)))
            Procurement.objects.filter(pk__in=new).update(public_since=None)
            titles = Procurement.objects.filter(pk__in=ids).values_list("title", flat=True).distinct()
            words = sorted({title.split()[0].strip(",").lower() for title in titles if title.split()})
            codes = Procurement.objects.filter(pk__in=ids).values_list("cpv", flat=True).distinct()
            groups = sorted({cpv.group(code) for code in codes})
            slugs = list(Municipality.objects.values_list("slug", flat=True))
            searches = _searches(rng, words, groups, slugs)
            Subscription.objects.bulk_create(
                Subscription(
                    email=f"leverantor{number}@bench.example",
                    query=searches[number % len(searches)],
                    confirmed_at=week_ago,
                    sent_until=week_ago,
                )
                for number in range(SUBSCRIBERS)
            )
            started = time.perf_counter()
            run = alerts.run_alerts(now=now)
            seconds = time.perf_counter() - started
            result = {
                "seconds": round(seconds, 2),
                "subscribers": run.subscriptions,
                "searches": run.searches,
                "mails": run.mails,
                "failed": run.failed,
                "new_procurements": len(new),
                "coming": len(ids),
                "title": f"weekly alert run: {SUBSCRIBERS:,} subscribers, {len(searches):,} distinct "
                f"searches, {len(new):,} procurements new in the week".replace(",", " "),
            }
            raise Rollback
    except Rollback:
        pass
    finally:
        settings.EMAIL_BACKEND = backend
        mail.outbox = []
    # The rolled-back updates left dead rows behind: gone before anything else is measured on the table.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE plans_procurement")
    return result


def verdicts(pages: dict, alert_run: dict) -> list[dict]:
    rows = []
    for key, result in pages.items():
        rows.append(
            {
                "key": key,
                "measurement": result["title"],
                "median_ms": result["median_ms"],
                "p95_ms": result["p95_ms"],
                "queries": result["queries"],
                "target": f"p95 ≤ {TARGET_PAGE_MS} ms, ≤ {TARGET_QUERIES} queries",
                "met": result["p95_ms"] <= TARGET_PAGE_MS and result["queries"] <= TARGET_QUERIES,
            }
        )
    if alert_run:
        rows.append(
            {
                "key": "pipeline_alerts",
                "measurement": alert_run["title"],
                "median_ms": None,
                "p95_ms": None,
                "queries": None,
                "seconds": alert_run["seconds"],
                "target": f"≤ {TARGET_ALERT_SECONDS} s",
                "met": alert_run["seconds"] <= TARGET_ALERT_SECONDS and alert_run["failed"] == 0,
            }
        )
    return rows


def markdown(results: dict) -> list[str]:
    held = results["context"].get("pipeline", {})
    lines = [
        "",
        "## Kommande upphandlingar (the public pipeline)",
        "",
        f"As an anonymous visitor on {held.get('day')}: {held.get('published_plans')} municipalities publish "
        f"their 2027 draft, so {held.get('coming', 0):,} of the data set's procurements are coming; the "
        "search runs over all of them (PostgreSQL full text, Swedish, GIN index). The alert run mails into "
        "Django's local-memory outbox, in a transaction rolled back afterwards.".replace(",", " ", 1),
        "",
        "| measurement | median ms | p95 ms | queries | target | met? |",
        "|---|---:|---:|---:|---|---|",
    ]
    for row in results.get("pipeline_verdicts", []):
        if row["key"] == "pipeline_alerts":
            lines.append(
                f"| {row['measurement']} ({results['pipeline_alerts']['mails']} mails) | – | "
                f"{row['seconds']} s | – | {row['target']} | {'yes' if row['met'] else '**no**'} |"
            )
        else:
            lines.append(
                f"| {row['measurement']} | {row['median_ms']} | {row['p95_ms']} | {row['queries']} | "
                f"{row['target']} | {'yes' if row['met'] else '**no**'} |"
            )
    return lines
