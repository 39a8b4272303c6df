"""
The benchmark of the coordinator's matches page (issue 18): /social/<centre>/matches/ for the demo's
centre (UhC: 12 municipalities, 1 591 procurements in its 2027 plans) with a register of
ENTERPRISES social enterprises, as Falun's labour-market coordinator on PIPELINE_DAY.

The register is written by this step and left in place for the next run, which writes it again (the
same random.Random, the same rows): half of each enterprise's codes are taken from the CPV codes the
centre's 2027 plans buy, the rest from the vocabulary, so that many procurements match and most
enterprises match something, as a real register would.
"""

import random

from bench.pipeline import PIPELINE_DAY, YEAR

ENTERPRISES = 200
TARGET_PAGE_MS = 100
TARGET_QUERIES = 15
COORDINATOR = "bench-matchare"


def _org_number(n: int) -> str:
    nine = f"76{n:07d}"
    total = 0
    for index, digit in enumerate(int(c) for c in nine):
        doubled = digit * 2 if index % 2 == 0 else digit
        total += doubled - 9 if doubled > 9 else doubled
    return f"{nine[:6]}-{nine[6:]}{(10 - total % 10) % 10}"


def write_register() -> dict:
    """The register of ENTERPRISES enterprises and the coordinator who reads it; returns the context."""
    from accounts.models import Membership, Municipality, ProcurementCentre, Role, User
    from plans.centre import cpv
    from plans.models import Procurement, SocialEnterprise

    rng = random.Random(20261129)
    falun = Municipality.objects.get(slug="falun")
    centre = ProcurementCentre.objects.get(pk=falun.centre_id)
    municipalities = list(centre.municipalities.order_by("pk"))
    bought = sorted(
        set(
            Procurement.objects.filter(plan__municipality__centre=centre, plan__year=YEAR)
            .exclude(cpv="")
            .values_list("cpv", flat=True)
        )
    )
    vocabulary = sorted(cpv.known())
    SocialEnterprise.objects.filter(centre=centre).delete()
    enterprises = []
    for number in range(ENTERPRISES):
        codes = {rng.choice(bought) for _ in range(rng.randint(1, 3))} | {
            rng.choice(vocabulary) for _ in range(rng.randint(0, 2))
        }
        enterprises.append(
            SocialEnterprise(
                centre=centre,
                name=f"Bänkföretaget {number:03d}",
                org_number=_org_number(number),
                municipality=rng.choice(municipalities),
                cpv_codes=sorted(codes),
                categories=["services"] if rng.random() < 0.2 else [],
                capacity=rng.randint(2, 20),
                reserved_qualified=rng.random() < 0.6,
            )
        )
    SocialEnterprise.objects.bulk_create(enterprises)
    user, _ = User.objects.get_or_create(username=COORDINATOR, defaults={"first_name": "Bänk"})
    Membership.objects.get_or_create(user=user, role=Role.COORDINATOR, municipality=falun)
    procurements = Procurement.objects.filter(plan__municipality__centre=centre, plan__year=YEAR).count()
    return {"centre": centre.slug, "enterprises": ENTERPRISES, "procurements": procurements, "user": user}


def measure_pages(requests: int, *, prepare_page, time_rounds, get_ok) -> tuple[dict, dict]:
    import time_machine
    from django.test import Client
    from django.urls import reverse

    context = write_register()
    client = Client()
    client.force_login(context.pop("user"))
    base = reverse("social:matches", args=[context["centre"]])
    pages = {
        "social_matches": (f"{base} as Falun's coordinator, first page", base),
        "social_matches_undecided": (f"{base}?decided=no", f"{base}?decided=no"),
    }
    results = {}
    with time_machine.travel(PIPELINE_DAY, tick=True):
        measurements = {}
        for key, (title, url) in pages.items():
            result, _captured = prepare_page(client, url)
            result["title"] = title
            results[key] = result
            measurements[key] = lambda url=url: get_ok(client, url)
        for key, timing in time_rounds(measurements, requests=requests).items():
            results[key].update(timing)
    return results, context


def verdicts(pages: dict) -> list[dict]:
    return [
        {
            "key": key,
            "measurement": result["title"],
            "median_ms": result["median_ms"],
            "p95_ms": result["p95_ms"],
            "queries": result["queries"],
            "target": f"p95 ≤ {TARGET_PAGE_MS} ms, ≤ {TARGET_QUERIES} queries",
            "met": result["p95_ms"] <= TARGET_PAGE_MS and result["queries"] <= TARGET_QUERIES,
        }
        for key, result in pages.items()
    ]


def markdown(results: dict) -> list[str]:
    held = results["context"].get("social", {})
    lines = [
        "",
        "## Social enterprises: the coordinator's matches",
        "",
        f"The centre {held.get('centre')} with a register of {held.get('enterprises')} social enterprises "
        f"and {held.get('procurements')} procurements in its {YEAR} plans, as Falun's labour-market "
        f"coordinator on {PIPELINE_DAY.date().isoformat()}.",
        "",
        "| measurement | median ms | p95 ms | queries | target | met? |",
        "|---|---:|---:|---:|---|---|",
    ]
    for row in results.get("social_verdicts", []):
        lines.append(
            f"| {row['measurement']} | {row['median_ms']} | {row['p95_ms']} | {row['queries']} | "
            f"{row['target']} | {'yes' if row['met'] else '**no**'} |"
        )
    return lines
