"""
A confidential procurement's estimated value and description reach no one outside the procurement
centre, on any page, fragment, download or mail, however the site writes them.

The walk: for each role that is not the centre's (Falun's politician, Falun's department
representative, Borlänge's politician, an anonymous visitor), in Swedish and in English, a client
starts at the start page, the calendar link page and the plans' pages (and the exports with outcome
columns, ?outcomes=1, documented but not linked) and follows every same-site address it is given
(href, src, hx-get (asked with the HX-Request header, as htmx asks) and redirects), GET only, instead
of a hand-written list. The admin, static files, the language switch and logout are left alone; a path
is asked with at most VARIANTS query strings, page numbers above 3 are skipped, and a walk that would
need more than MAX_PAGES answers fails. Each answer is read as a person would read it: HTML, CSV, JSON
and iCal as text, XLSX as its XML parts and its cells (openpyxl), PDF as the text pypdf extracts.

Forbidden: a confidential value, and every total and mean (rounded, or truncated) over a set of a
plan's procurements that includes one, with the values as they stand now and as they stood before an
officer edited them (the history could show the old ones); each number in any way the site writes one
(plain digits, grouped in threes by a space, a no-break space U+00A0, a narrow no-break space U+202F or
a comma); and each word of a confidential description, old or new. A body's numbers are read whole (a
run of digits, or digits grouped in threes), so a forbidden number inside a longer one is no match, and
a test asserts that no forbidden number is one a page may rightly show (a public value or total, an
awarded value, the CPV code, a rubric limit, a date written as digits).

The walk must get somewhere: each role must reach its downloads (the exports, the board brief's PDF,
the remiss summary workbook, the iCal feed) and the pages of the confidential procurements it may see,
so a link that disappears cannot make the test pass by walking less; and the reader must find the
public values in each format, where the confidential ones would stand.

Kommande upphandlingar (issue 17): Falun publishes its 2027 draft during the remiss, with the officers'
e-mail, so everyone (the outsider and the anonymous visitor too) reads it, its confidential procurements'
pages and the public pipeline, which the walk reaches from the header with its CSV, OCDS and Atom files
and starts at in each value band. The confirmation and alert mails are read as the other mails are; a
search for a confidential description's word finds nothing, and a value band holds no confidential value.
"""

import html
import io
import itertools
import json
import re
import zipfile
from collections import Counter, deque
from datetime import date, timedelta
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import openpyxl
import pypdf
import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from plans.centre import coordination
from plans.models import CalendarToken, LabourReserve, Order, Outcome, Plan, Procurement, Subscription
from plans.notify import tasks
from plans.notify.outbox import drain
from plans.pipeline import alerts
from plans.pipeline.search import BANDS
from plans.register import services
from plans.remiss import review
from plans.scoring.rules import RubricValues
from tests.factories import PlanFactory, ProcurementFactory, SocialEnterpriseFactory

pytestmark = pytest.mark.usefixtures("in_remiss")

ROLES = ("politician", "department_rep", "outsider", "anonymous", "coordinator")
MAX_PAGES = 400
VARIANTS = 15
CPV = "98310000"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# ref: (estimated value, (description, value before the officer's edit, description before) when
# confidential, other fields, outcome). Values odd and distinct; descriptions words found nowhere else.
PLANS = {
    ("falun", 2027): {  # in its remiss
        "W27-01": (7_351_913, None, {"possible_suppliers": 1, "business_critical": True}, "advertised"),
        "W27-02": (4_268_317, ("Kvastfenixavtal", 0, ""), {"employment_requirement": True, "lots": True}, ""),
        "W27-03": (
            13_507_919,
            ("Snigelharpaplan", 11_742_683, "Gurkmolnplan"),
            {"possible_suppliers": 2},
            "",
        ),
        "W27-04": (2_913_467, None, {}, ""),
        "W27-05": (1_154_829, None, {"reserved_contract": True}, ""),
        "W27-06": (52_716_043, None, {}, ""),
    },
    ("falun", 2017): {  # adopted
        "A17-01": (6_482_153, None, {}, "awarded"),
        "A17-02": (
            9_276_541,
            ("Tofsvipemanifest", 8_615_379, "Pelargonkrypta"),
            {"possible_suppliers": 1},
            "advertised",
        ),
        "A17-03": (31_864_207, ("Rabarberkomet", 0, ""), {}, "appealed"),
        "A17-04": (3_517_389, None, {}, "awarded"),
        "A17-05": (1_873_251, None, {}, ""),
        "A17-06": (24_609_733, None, {}, "cancelled"),
    },
    ("borlange", 2027): {  # the outsider's own draft
        "B27-01": (6_740_129, None, {}, ""),
        "B27-02": (17_293_651, ("Myrslokstunnel", 0, ""), {"possible_suppliers": 2}, ""),
    },
}
AWARDED = {"A17-01": 5_930_411, "A17-04": 3_402_617}


def sums_and_means(rows: list[tuple[list[int], bool]]) -> tuple[set[int], set[int]]:
    """Totals and means of every non-empty set of rows, each row with one of its values: those of sets
    with a confidential row, and those of the others."""
    secret, public = set(), set()
    for size in range(1, len(rows) + 1):
        for chosen in itertools.combinations(rows, size):
            for values in itertools.product(*(options for options, _confidential in chosen)):
                total = sum(values)
                numbers = {total, total // size, (2 * total + size) // (2 * size)}
                (secret if any(confidential for _options, confidential in chosen) else public).update(numbers)
    return secret, public


def forbidden_and_allowed() -> tuple[set[int], set[int], set[str]]:
    forbidden, allowed, words = set(), set(), set()
    for rows in PLANS.values():
        options = []
        for value, secret, _fields, _outcome in rows.values():
            description, old_value, old_description = secret or ("", 0, "")
            options.append(([value, old_value] if old_value else [value], bool(secret)))
            words |= {word for word in (description, old_description) if word}
        secret, public = sums_and_means(options)
        forbidden, allowed = forbidden | secret, allowed | public
    allowed |= set().union(*sums_and_means([([value], False) for value in AWARDED.values()]))
    rubric = RubricValues()
    allowed |= {int(CPV), rubric.direct_award_limit, rubric.eu_threshold, rubric.economic_limit_3}
    return forbidden, allowed | {rubric.economic_limit_4, rubric.economic_limit_5}, words


FORBIDDEN, ALLOWED, SECRET_WORDS = forbidden_and_allowed()
# A confidential order of Omvårdnadsförvaltningen in Falun's 2027 plan (issue 14): its value and need
# are for the centre and that department only, so for none of the roles walked here (the department
# representative is Serviceförvaltningen's). An order's value is in no plan total.
ORDER_VALUE, ORDER_NEED, PUBLIC_ORDER_VALUE = 5_382_719, "Tranbärsorakel", 1_946_283
FORBIDDEN, SECRET_WORDS = FORBIDDEN | {ORDER_VALUE}, SECRET_WORDS | {ORDER_NEED}
# A coordinated procurement (issue 16): Falun's confidential W27-03 leads Borlänge's B27-01. The group's
# combined value holds the secret one, now and before the officer's edit, so it is forbidden too, in
# digits and as the reasons write a group's value in millions ("20,2 Mkr", "20.2 MSEK").
GROUP = ("W27-03", "B27-01")
GROUP_TOTALS = {13_507_919 + 6_740_129, 11_742_683 + 6_740_129}
FORBIDDEN |= GROUP_TOTALS
MILLIONS = re.compile(
    "|".join(
        rf"{whole}[,.]{tenth}[ \u00a0]?(?:Mkr|MSEK)"
        for whole, tenth in (divmod(round(total / 100_000), 10) for total in GROUP_TOTALS)
    )
)
# A run of digits, or digits grouped in threes by one of the separators the site might write.
NUMBER = re.compile(r"\d{1,3}([ \u00a0\u202f,])\d{3}(?:\1\d{3})*(?!\d)|\d+")
WORDS = re.compile("|".join(map(re.escape, sorted(SECRET_WORDS))), re.IGNORECASE)


def numbers(text: str):
    """(match, value) of every number written in the text."""
    for match in NUMBER.finditer(text):
        separator = match.group(1)
        yield match, int(match.group().replace(separator, "") if separator else match.group())


def leaks(text: str) -> list[str]:
    """What of the forbidden the text shows, each with some 60 characters around it."""
    found = [
        *WORDS.finditer(text),
        *MILLIONS.finditer(text),
        *(match for match, value in numbers(text) if value in FORBIDDEN),
    ]
    return [
        f"{m.group()!r} in …{text[max(0, m.start() - 60) : m.end() + 60]}…".replace("\n", " ") for m in found
    ]


def looks_like_a_date(number: int) -> bool:
    """Eight digits that read as a date, as iCal writes one (20270301)."""
    year, month, day = number // 10_000, number // 100 % 100, number % 100
    try:
        return 1990 <= year < 2100 and bool(date(year, month, day))
    except ValueError:
        return False


def test_no_forbidden_number_is_one_a_page_may_rightly_show():
    assert len(FORBIDDEN) > 300 and len(SECRET_WORDS) == 8
    assert not FORBIDDEN & ALLOWED
    assert not [number for number in FORBIDDEN if looks_like_a_date(number) or number < 1_000_000]
    for number in FORBIDDEN:
        grouped = f"{number:,}"
        for text in {str(number)} | {grouped.replace(",", separator) for separator in " \u00a0\u202f,"}:
            assert [value for _match, value in numbers(f"x {text} kr;48;2027")] == [number, 48, 2027]


# --- The world ------------------------------------------------------------------------------------


@pytest.fixture
def world(users, falun, borlange, serv, omv, officer, politician, department_rep, coordinator):
    """The plans above; an officer's edit of each edited confidential procurement; in Falun's remiss,
    guidance on the strategic ones, a comment and its answer, early involvement and a flag; outcomes;
    a calendar token for everyone. Returns the addresses of the confidential procurements per plan."""
    secret_pages = {}
    for (slug, year), rows in PLANS.items():
        municipality = falun if slug == "falun" else borlange
        adopted = {"adopted_on": date(2016, 12, 14), "adoption_minute_ref": "UN § 87"} if year == 2017 else {}
        plan = PlanFactory(municipality=municipality, year=year, **adopted)
        review.ensure_snapshot(plan)  # the plan as its remiss opened: the edits below are changes since
        for index, (ref, (value, secret, fields, outcome)) in enumerate(rows.items()):
            description, old_value, old_description = secret or (f"Beskrivning av {ref}.", 0, "")
            procurement = ProcurementFactory(
                plan=plan,
                ref=ref,
                title=f"Upphandling {ref}",
                cpv=CPV,
                confidential=bool(secret),
                description=old_description or description,
                estimated_value_sek=old_value or value,
                officer=officer,
                **({"department": (serv, omv)[index % 2]} if slug == "falun" else {}),
                **({"business_critical": True} if secret else {}),  # strategic: in the queue and the brief
                **fields,
            )
            if old_value:  # an officer edits it: the history holds the old and the new
                procurement = services.procurement_update(
                    procurement=procurement,
                    data={"estimated_value_sek": value, "description": description},
                    expected_version=procurement.version,
                    user=officer,
                )
            if outcome:
                awarded = AWARDED.get(ref)
                Outcome.objects.create(
                    procurement=procurement, status=outcome, bids=3, awarded_value_sek=awarded
                )
            if secret:
                secret_pages.setdefault((slug, year), []).append(procurement.get_absolute_url())
                assert procurement.strategic, ref
            if (slug, year) == ("falun", 2027) and procurement.strategic:
                review.review_give_guidance(
                    procurement=procurement, kind="within_frame", text="Ok.", user=politician
                )
    secret_one = Procurement.objects.get(ref="W27-02")
    comment = review.comment_add(
        procurement=secret_one, text="Stämmer det?", user=department_rep, department=serv
    )
    review.comment_answer(comment=comment, response="Ja.", handled=True, user=officer)
    review.review_request_involvement(procurement=secret_one, text="Dialog, tack.", user=politician)
    flagged = Procurement.objects.get(ref="W27-04")
    services.procurement_flag(procurement=flagged, flagged=True, reason="Viktig.", user=politician)
    coordination.group_create(
        centre=secret_one.plan.municipality.centre,
        year=2027,
        procurements=list(Procurement.objects.filter(ref__in=GROUP)),
        lead=Procurement.objects.get(ref=GROUP[0]),
        user=officer,
    )
    for user in filter(None, [*users.values(), coordinator]):
        CalendarToken.objects.create(user=user, token=f"calendar-token-of-{user.username}")
    # Two orders: a confidential one of another department, and a public one of the representative's.
    plan_2027 = Procurement.objects.get(ref="W27-01").plan
    order_fields = {"category": "goods", "duration_months": 48, "status": "submitted"}
    secret_order = Order.objects.create(
        plan=plan_2027, department=omv, title="Beställning sekretess", need=ORDER_NEED,
        estimated_value_sek=ORDER_VALUE, confidential=True, **order_fields,
    )  # fmt: skip
    public_order = Order.objects.create(
        plan=plan_2027, department=serv, title="Beställning öppen", need="Öppet behov.",
        estimated_value_sek=PUBLIC_ORDER_VALUE, ordered_by=department_rep, **order_fields,
    )  # fmt: skip
    # Issue 17: Falun publishes its draft during the remiss, and names the officers for suppliers.
    review.plan_set_publication(plan=plan_2027, publish_draft=True, show_officer_email=True, user=officer)
    # Issue 18: a social enterprise offering what every procurement here buys (the match shows on each,
    # confidential ones included, and on the coordinator's page of coming matches), and the labour reserve.
    SocialEnterpriseFactory(municipality=falun, cpv_codes=[CPV], name="Tvättkooperativet", capacity=5)
    LabourReserve.objects.create(municipality=falun, year=2017, outside=2547, reached=800)
    orders = "/plans/falun/2027/orders/"
    secret_pages["orders"] = {
        "politician": [orders, f"{orders}{secret_order.pk}/", f"{orders}{public_order.pk}/"],
        "department_rep": [orders, f"{orders}{public_order.pk}/"],
    }
    return secret_pages


# --- The walk -------------------------------------------------------------------------------------


LINKS = ("href", "src", "hx-get", "data-hx-get")
SITE = ("testserver", urlsplit(settings.SITE_URL).netloc)  # the client's host; the feed link's


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []  # (address, asked by htmx)

    def handle_starttag(self, tag, attrs):
        self.found += [(value, name.endswith("hx-get")) for name, value in attrs if value and name in LINKS]


def readable(response) -> str:
    """What a person could read in the response: the text of HTML, CSV, JSON, iCal, XLSX and PDF."""
    # Not response.close(): its request_finished would close the database connection mid-test.
    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "").split(";")[0]
    if kind == XLSX or content.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = [
                html.unescape(archive.read(name).decode("utf-8", "replace")) for name in archive.namelist()
            ]
        for sheet in openpyxl.load_workbook(io.BytesIO(content), data_only=True).worksheets:
            parts += ["\t".join(map(str, filter(None, row))) for row in sheet.iter_rows(values_only=True)]
        return "\n".join(parts)
    if kind == "application/pdf" or content.startswith(b"%PDF"):
        return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)
    text = content.decode("utf-8-sig", "replace")
    if kind == "text/calendar":  # unfold the lines, unescape the text
        return re.sub(r"\\([,;\\])", r"\1", re.sub(r"\r\n[ \t]", "", text)).replace("\\n", "\n")
    if kind == "application/json":
        return json.dumps(json.loads(text), ensure_ascii=False)
    return html.unescape(text) if kind == "text/html" else text


def normalised(base: str, link: str) -> str | None:
    """The link as a same-site address to ask (path and sorted query), or None to leave it."""
    link = link.strip()
    parts = urlsplit(urljoin(base, "http://" + link[9:] if link.startswith("webcal://") else link))
    if parts.scheme not in ("http", "https") or parts.netloc not in SITE:
        return None
    if parts.path.startswith(("/admin/", "/static/", "/i18n/", reverse("logout"))):
        return None
    query = sorted(
        (key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True) if key != "next"
    )
    if any(key == "page" and not (value.isdigit() and int(value) <= 3) for key, value in query):
        return None
    return parts.path + (f"?{urlencode(query)}" if query else "")


def walk(client, label: str, seeds) -> tuple[dict, list[str]]:
    """{address: (status, content type)} of every answer, and the leaks found in them."""
    answers, found_leaks, queue, seen, per_path = {}, [], deque((s, False) for s in seeds), set(), Counter()
    while queue and len(answers) < MAX_PAGES:
        address, htmx = queue.popleft()
        path = address.split("?")[0]
        if (address, htmx) in seen or per_path[path] >= VARIANTS:
            continue
        seen.add((address, htmx))
        per_path[path] += 1
        response = client.get(address, **({"HTTP_HX_REQUEST": "true"} if htmx else {}))
        kind = response.get("Content-Type", "").split(";")[0]
        answers[address] = (response.status_code, kind)
        where = f"{label} GET {address}{' (htmx)' if htmx else ''} [{response.status_code} {kind}]"
        found_leaks += [f"{where}: {leak}" for leak in leaks(readable(response))]
        links = [(response["Location"], False)] if response.has_header("Location") else []
        if kind == "text/html":
            parser = Links()
            parser.feed(response.content.decode())
            links += parser.found
        base = f"http://testserver{address}"
        queue.extend((link, hx) for raw, hx in links if (link := normalised(base, raw)) is not None)
    return answers, found_leaks


DOWNLOADS = {
    "export.xlsx": XLSX,
    "export.csv": "text/csv",
    "export.json": "application/json",
    "brief.pdf": "application/pdf",
    "review/summary.xlsx": XLSX,
    ".ics": "text/calendar",
    # The public pipeline's files (issue 17), for everyone.
    "kommande/export.csv": "text/csv",
    "kommande/export.json": "application/json",
    "kommande/feed.atom": "application/atom+xml",
}
PIPELINE_DOWNLOADS = [suffix for suffix in DOWNLOADS if suffix.startswith("kommande/")]
REACHES = {  # each role's walk must reach these downloads, and the confidential pages of these plans
    "politician": (DOWNLOADS, [("falun", 2027), ("falun", 2017)]),
    "department_rep": (DOWNLOADS, [("falun", 2027), ("falun", 2017)]),
    # Borlänge's own draft, and Falun's published one.
    "outsider": (DOWNLOADS, [("borlange", 2027), ("falun", 2027), ("falun", 2017)]),
    # Adopted plans and the published draft; no calendar, no brief.
    "anonymous": (
        [*list(DOWNLOADS)[:3], *PIPELINE_DOWNLOADS],
        [("falun", 2027), ("falun", 2017)],
    ),
    # Falun's labour-market coordinator (issue 18): a member of Falun, not of the centre's staff.
    "coordinator": (DOWNLOADS, [("falun", 2027), ("falun", 2017)]),
}
# The social enterprises' pages each role must reach from the start page (issue 18).
SOCIAL = {
    "politician": ["/social/uhc/enterprises/", "/social/uhc/labour-reserve/"],
    "department_rep": ["/social/uhc/enterprises/"],
    "outsider": ["/social/uhc/enterprises/"],
    "anonymous": [],
    "coordinator": [
        "/social/uhc/enterprises/",
        "/social/uhc/matches/",
        "/social/uhc/matches/?format=csv",
        "/social/uhc/labour-reserve/",
    ],
}
# The pipeline in each value band and filtered (issue 17), beside the header's link to it unfiltered.
PIPELINE_SEEDS = [
    *(f"/kommande/?value={band.key}" for band in BANDS),
    *(f"/kommande/export.{ext}?value={band.key}" for band in BANDS for ext in ("csv", "json")),
    "/kommande/?municipality=falun&category=services",
    "/kommande/feed.atom?municipality=falun",
]


def reached(address: str, suffix: str) -> bool:
    """The address is the download `suffix` names: a plan's export is not the pipeline's."""
    path = address.split("?")[0]
    return path.endswith(suffix) and (suffix.startswith("kommande/") or not path.startswith("/kommande/"))


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("role", ROLES)
def test_no_page_fragment_or_download_shows_a_confidential_value(
    role, language, world, users, coordinator, client
):
    users = {**users, "coordinator": coordinator}
    if users[role] is not None:
        client.force_login(users[role])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    seeds = ["/", reverse("plans:calendar_link"), *(f"/plans/{slug}/{year}/" for slug, year in PLANS)]
    seeds += [
        f"/plans/{slug}/{year}/export.{ext}?outcomes=1" for slug, year in PLANS for ext in ("csv", "xlsx")
    ]
    seeds += PIPELINE_SEEDS
    answers, found_leaks = walk(client, f"{role} ({language})", seeds)
    downloads, plans = REACHES[role]
    missing = [
        f"no {suffix} answered 200 as {DOWNLOADS[suffix]}"
        for suffix in downloads
        if (200, DOWNLOADS[suffix]) not in {answer for a, answer in answers.items() if reached(a, suffix)}
    ]
    missing += [
        f"{page} did not answer 200"
        for plan in plans
        for page in world[plan]
        if answers.get(page, [0])[0] != 200
    ]
    missing += [
        f"{page} did not answer 200"
        for page in [*world["orders"].get(role, []), *SOCIAL[role]]
        if answers.get(page, [0])[0] != 200
    ]
    assert len(answers) < MAX_PAGES, "the walk was cut short: raise MAX_PAGES"
    assert not missing, f"The walk as {role} did not get everywhere:\n" + "\n".join(missing)
    if found_leaks:
        pytest.fail(f"{len(found_leaks)} leaks in {len(answers)} answers:\n" + "\n".join(found_leaks))


def test_the_reader_finds_public_values_where_confidential_ones_would_stand(world, users, client):
    client.force_login(users["politician"])
    public, strategic = 2_913_467, 7_351_913  # W27-04 (flagged) and W27-01: both in the brief
    for address, value in [
        ("/plans/falun/2027/W27-04/", public),
        ("/plans/falun/2027/export.csv", public),
        ("/plans/falun/2027/export.xlsx", public),
        ("/plans/falun/2027/export.json", public),
        ("/plans/falun/2027/brief.pdf", strategic),
    ]:
        assert value in {value for _match, value in numbers(readable(client.get(address)))}, address
    feed = readable(
        client.get(reverse("plans:calendar_feed", args=[f"calendar-token-of-{users['politician'].username}"]))
    )
    assert "W27-02" in feed


def test_a_coordinated_procurements_combined_value_is_the_centres_alone(world, users, client):
    """The centre reads the group's combined value in millions, the form the walk forbids; Borlänge's
    politician reads that their procurement is coordinated with Falun, and the band instead."""
    client.force_login(users["officer"])
    assert MILLIONS.search(readable(client.get("/plans/borlange/2027/B27-01/")))
    client.force_login(users["outsider"])
    page = readable(client.get("/plans/borlange/2027/B27-01/"))
    assert "Falu kommun" in page and "sammanlagt värde" in page
    assert not MILLIONS.search(page)
    # Falun's draft is published (issue 17): its title is public. Unpublished, Borlänge does not read it.
    assert "Upphandling W27-03" in page
    Plan.objects.filter(municipality__slug="falun", year=2027).update(publish_draft=False)
    page = readable(client.get("/plans/borlange/2027/B27-01/"))
    assert not MILLIONS.search(page) and "Upphandling W27-03" not in page


# --- The mails ------------------------------------------------------------------------------------


def test_no_mail_to_a_non_staff_role_shows_a_confidential_value(world, users, coordinator, run_on_commit):
    """The remiss opening, the weekly digest, the reminder and early involvement, through the outbox."""
    users = {**users, "coordinator": coordinator}
    run_on_commit(tasks.daily_remiss_jobs)  # the opening
    run_on_commit(tasks.weekly_digests)  # the week's history: the edits, guidance, comments, flags
    with time_machine.travel(date(2026, 11, 20), tick=False):
        run_on_commit(tasks.daily_remiss_jobs)  # the reminder, 14 days before the close
    drain()  # and whatever waits in the outbox, such as the request for early involvement
    roles = {users[role].email: role for role in ROLES if users[role] is not None}
    problems, received = [], Counter()
    for message in mail.outbox:
        text = "\n".join(
            [message.subject, message.body, *(c for c, _type in getattr(message, "alternatives", []))]
        )
        for address in set(message.to) & set(roles):
            received[roles[address]] += 1
            problems += [f"mail {message.subject!r} to {roles[address]}: {leak}" for leak in leaks(text)]
    # Each had the opening, the digest and the reminder.
    assert received["politician"] >= 3 and received["department_rep"] >= 3, received
    if problems:
        pytest.fail("\n".join(problems))


# --- Kommande upphandlingar (issue 17) ----------------------------------------------------------------

# The coming procurements of Falun's published draft (W27-01 is advertised already), and the confidential
# ones among them.
COMING = {"W27-02", "W27-03", "W27-04", "W27-05", "W27-06"}
CONFIDENTIAL_COMING = {"W27-02", "W27-03"}


def listed(client, **query) -> set[str]:
    """The refs the pipeline page lists for the query (every one: the world has fewer than a page)."""
    response = client.get(reverse("pipeline:coming"), query)
    assert response.status_code == 200
    return {row["ref"] for row in response.context["rows"]}


def test_a_value_band_holds_no_confidential_value(world, client):
    """A band would tell the confidential value within a few million: each public value is in exactly one
    band, a confidential one in none, on the page and in the files of the band."""
    assert listed(client) == COMING
    bands = {band.key: listed(client, value=band.key) for band in BANDS}
    assert sorted(ref for refs in bands.values() for ref in refs) == sorted(COMING - CONFIDENTIAL_COMING)
    for band in BANDS:
        for extension in ("csv", "json"):
            text = readable(client.get(reverse("pipeline:export", args=[extension]), {"value": band.key}))
            assert not {f"Upphandling {ref}" for ref in CONFIDENTIAL_COMING if f"Upphandling {ref}" in text}
            assert {ref for ref in bands[band.key] if f"Upphandling {ref}" not in text} == set(), band.key


def test_a_search_for_a_confidential_description_finds_nothing(world, client):
    for word in sorted(SECRET_WORDS):
        assert listed(client, q=word) == set(), word
        assert "Upphandling W27" not in readable(
            client.get(reverse("pipeline:export", args=["csv"]), {"q": word})
        )
    # The public descriptions are searched ("Beskrivning av W27-04."), the confidential ones are not.
    assert listed(client, q="Beskrivning") == COMING - CONFIDENTIAL_COMING


def test_no_pipeline_mail_shows_a_confidential_value(world, users, run_on_commit):
    """The confirmation of a supplier's alert, and the alert when Falun's draft with its confidential
    procurements becomes public after the confirmation."""
    plan = Plan.objects.get(municipality__slug="falun", year=2027)
    review.plan_set_publication(
        plan=plan, publish_draft=False, show_officer_email=True, user=users["officer"]
    )
    searches = ["", "municipality=falun", "value=1-5", "q=Upphandling&category=services"]
    for number, query in enumerate(searches):
        run_on_commit(alerts.subscribe, email=f"leverantor{number}@example.se", query=query)
    assert len(mail.outbox) == len(searches)
    for subscription in Subscription.objects.all():
        assert alerts.confirm(alerts.confirm_token(subscription))[0] == alerts.LinkState.CONFIRMED
    review.plan_set_publication(plan=plan, publish_draft=True, show_officer_email=True, user=users["officer"])
    run = alerts.run_alerts(now=timezone.now() + timedelta(days=7))
    assert (run.mails, run.failed) == (len(searches), 0)
    problems, alerted = [], set()
    for message in mail.outbox:
        problems += [
            f"mail {message.subject!r}: {leak}" for leak in leaks(f"{message.subject}\n{message.body}")
        ]
        alerted |= {ref for ref in COMING if f"Upphandling {ref}" in message.body}
    assert alerted == COMING  # the confidential ones were mailed, by title
    if problems:
        pytest.fail("\n".join(problems))
