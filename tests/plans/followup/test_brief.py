"""The board brief for KSL (styrelsebrief): the printable page and the PDF, per role."""

import io
import re
import tomllib
from datetime import date
from fnmatch import fnmatch
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics

from accounts.models import User
from plans.followup.brief import parse_quarter, quarter_bounds
from plans.formatting import format_sek
from plans.models import Guidance, Outcome
from plans.remiss import review
from tests.conftest import REMISS_DAY
from tests.factories import ProcurementFactory

CARS = "Fossilfria personbilar – Falu kommun"
ROADS = "Vägunderhåll, beläggning"
PENS = "Pennor och kontorsmaterial"
SECRET_VALUE = 123_456_789


def brief_url(plan, name="brief", **params):
    from urllib.parse import urlencode

    url = reverse(f"plans:{name}", kwargs={"municipality": plan.municipality.slug, "year": plan.year})
    return f"{url}?{urlencode(params)}" if params else url


def pdf_text(content: bytes) -> str:
    """The PDF's text, with every run of white space (line breaks, no-break spaces) as one space."""
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return " ".join(text.replace("\u00a0", " ").split())


def sek(value: int) -> str:
    return format_sek(value, "sv")


@pytest.fixture
def strategic(falun_plan, serv, politician):
    """Two strategic procurements (Q1 and Q2, one of them confidential) and one that is not."""
    with time_machine.travel(REMISS_DAY, tick=False):
        cars = ProcurementFactory(
            plan=falun_plan,
            department=serv,
            ref="2027-001",
            title=CARS,
            estimated_value_sek=150_000_000,
            planned_advertisement=date(2027, 2, 1),
            employment_requirement=True,
            climate_impact="high",
            environmental_level="spjutspets",
        )
        roads = ProcurementFactory(
            plan=falun_plan,
            department=serv,
            ref="2027-002",
            title=ROADS,
            estimated_value_sek=SECRET_VALUE,
            planned_advertisement=date(2027, 5, 10),
            confidential=True,
        )
        pens = ProcurementFactory(
            plan=falun_plan,
            department=serv,
            ref="2027-003",
            title=PENS,
            estimated_value_sek=300_000,
            planned_advertisement=date(2027, 3, 1),
        )
        review.review_give_guidance(
            procurement=cars,
            kind=Guidance.Kind.POLITICAL_DECISION,
            text="Endast el- och laddhybridbilar <inga fossila> & inga undantag.",
            user=politician,
        )
        Outcome.objects.create(procurement=roads, status=Outcome.Status.ADVERTISED)
    assert cars.strategic and roads.strategic and not pens.strategic
    return {"cars": cars, "roads": roads, "pens": pens}


# --- Who may read it ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("officer", 200),
        ("plan_admin", 200),
        ("politician", 200),
        ("department_rep", 200),
        ("outsider", 404),
        ("anonymous", 302),
    ],
)
@pytest.mark.parametrize("name", ["brief", "brief_pdf"])
def test_the_brief_is_for_the_municipality_and_the_centre(
    client_for, users, falun_plan, strategic, role, expected, name
):
    with time_machine.travel(REMISS_DAY):
        response = client_for(users[role]).get(brief_url(falun_plan, name))
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(reverse("login"))


def test_the_public_may_not_read_the_brief_of_an_adopted_plan(client_for, adopted_plan, serv):
    ProcurementFactory(plan=adopted_plan, department=serv, estimated_value_sek=150_000_000)
    response = client_for(None).get(brief_url(adopted_plan))
    assert response.status_code == 403


def test_a_borlange_politician_gets_404_for_a_plan_that_does_not_exist_too(client_for, outsider, falun):
    response = client_for(outsider).get(
        reverse("plans:brief", kwargs={"municipality": "falun", "year": 2031})
    )
    assert response.status_code == 404


# --- The page ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["officer", "plan_admin", "politician", "department_rep"])
def test_the_page_shows_every_strategic_procurement_and_no_other(
    client_for, users, falun_plan, strategic, role
):
    with time_machine.travel(REMISS_DAY):
        body = client_for(users[role]).get(brief_url(falun_plan)).content.decode()
    assert CARS in body
    assert ROADS in body
    assert PENS not in body
    assert 'href="/static/css/brief.css"' in body or "css/brief.css" in body


def test_the_page_orders_by_the_requirements_freeze_and_shows_what_the_board_reads(
    client_for, officer, falun_plan, strategic
):
    with time_machine.travel(REMISS_DAY):
        body = client_for(officer).get(brief_url(falun_plan)).content.decode()
    assert body.index(CARS) < body.index(ROADS)
    assert "Serviceförvaltningen" in body
    assert sek(150_000_000) in body
    assert "2026-12-07" in body  # 2027-02-01 minus 8 weeks
    assert "Endast el- och laddhybridbilar &lt;inga fossila&gt; &amp; inga undantag." in body
    assert str(strategic["cars"].assessment().economic.reasons[0]) in body
    assert "q-strategic" in body or "q-leverage" in body
    assert "<style" not in body and " style=" not in body  # the Content Security Policy forbids them


def test_the_quarter_filter_keeps_the_procurements_advertised_in_it(
    client_for, officer, falun_plan, strategic
):
    client = client_for(officer)
    with time_machine.travel(REMISS_DAY):
        first = client.get(brief_url(falun_plan, quarter=1)).content.decode()
        second = client.get(brief_url(falun_plan, quarter=2)).content.decode()
        third = client.get(brief_url(falun_plan, quarter=3))
    assert CARS in first and ROADS not in first
    assert ROADS in second and CARS not in second
    assert third.status_code == 200
    assert CARS not in third.content.decode() and ROADS not in third.content.decode()
    assert f"{brief_url(falun_plan, 'brief_pdf')}?quarter=2" in second


@pytest.mark.parametrize("quarter", ["9", "x", "0", "-1", "1.5"])
def test_a_bad_quarter_gives_the_whole_plan(client_for, politician, falun_plan, strategic, quarter):
    with time_machine.travel(REMISS_DAY):
        response = client_for(politician).get(brief_url(falun_plan, quarter=quarter))
    assert response.status_code == 200
    body = response.content.decode()
    assert CARS in body and ROADS in body
    assert 'class="message warning"' in body


def test_confidential_values_are_hidden_from_politicians(
    client_for, politician, officer, falun_plan, strategic
):
    with time_machine.travel(REMISS_DAY):
        hidden = client_for(politician).get(brief_url(falun_plan)).content.decode()
        shown = client_for(officer).get(brief_url(falun_plan)).content.decode()
    assert sek(SECRET_VALUE) not in hidden
    assert sek(150_000_000) in hidden  # the one that is not confidential
    assert sek(SECRET_VALUE) in shown


# --- The PDF ---------------------------------------------------------------------------------------------


def test_the_pdf_renders_with_every_strategic_title_and_the_municipality(
    client_for, officer, falun_plan, strategic
):
    with time_machine.travel(REMISS_DAY):
        response = client_for(officer).get(brief_url(falun_plan, "brief_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="styrelsebrief-falun-2027.pdf"'
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert CARS in text
    assert ROADS in text
    assert PENS not in text
    assert "Falu kommun" in text
    assert "2026-09-15" in text  # the date printed, in the header
    assert "Endast el- och laddhybridbilar <inga fossila> & inga undantag." in text
    # A cover page, then one page per procurement.
    assert len(PdfReader(io.BytesIO(response.content)).pages) >= 3


def test_the_pdf_of_a_quarter_is_named_for_it(client_for, politician, falun_plan, strategic):
    with time_machine.travel(REMISS_DAY):
        response = client_for(politician).get(brief_url(falun_plan, "brief_pdf", quarter=2))
    assert response["Content-Disposition"] == 'inline; filename="styrelsebrief-falun-2027-q2.pdf"'
    text = pdf_text(response.content)
    assert ROADS in text and CARS not in text


def test_a_bad_quarter_gives_the_pdf_of_the_whole_plan(client_for, politician, falun_plan, strategic):
    with time_machine.travel(REMISS_DAY):
        response = client_for(politician).get(brief_url(falun_plan, "brief_pdf", quarter="x"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'inline; filename="styrelsebrief-falun-2027.pdf"'
    text = pdf_text(response.content)
    assert CARS in text and ROADS in text


def test_the_pdf_hides_confidential_values_from_politicians(
    client_for, politician, officer, falun_plan, strategic
):
    with time_machine.travel(REMISS_DAY):
        hidden = pdf_text(client_for(politician).get(brief_url(falun_plan, "brief_pdf")).content)
        shown = pdf_text(client_for(officer).get(brief_url(falun_plan, "brief_pdf")).content)
    secret = sek(SECRET_VALUE).replace("\u00a0", " ")
    assert secret in shown
    assert secret not in hidden
    assert sek(150_000_000).replace("\u00a0", " ") in hidden


def pdf_fonts(content: bytes) -> list[tuple[int, str, bool]]:
    """(page number, font name, embedded) for every font in every page's resources, forms included.
    A font is embedded when its descriptor (a composite font's: its descendant's) holds a font file."""
    found = []

    def walk(number, resources):
        resources = resources.get_object() if resources else {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            described = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = described.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            found.append((number, str(font["/BaseFont"]), embedded))
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form":
                walk(number, xobject.get("/Resources"))

    for number, page in enumerate(PdfReader(io.BytesIO(content)).pages, start=1):
        walk(number, page.get("/Resources"))
    return found


def test_the_pdf_says_its_language_title_and_author(client_for, officer, falun_plan, strategic):
    with time_machine.travel(REMISS_DAY):
        response = client_for(officer).get(brief_url(falun_plan, "brief_pdf"))
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.trailer["/Root"]["/Lang"] == "sv-SE"
    assert "2027" in reader.metadata.title and "Falu kommun" in reader.metadata.title
    assert reader.metadata.author == "Upphandlingsplan"
    assert "Falu kommun" in reader.metadata.subject
    # A reader's title bar shows the title, not the file name.
    assert bool(reader.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"])


def test_the_pdf_in_english_says_so(client_for, officer, falun_plan, strategic):
    client = client_for(officer)
    client.cookies["django_language"] = "en"
    with time_machine.travel(REMISS_DAY):
        response = client.get(brief_url(falun_plan, "brief_pdf"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Board brief" in pdf_text(response.content)
    assert PdfReader(io.BytesIO(response.content)).trailer["/Root"]["/Lang"] == "en-GB"


def test_every_font_in_the_pdf_is_embedded_and_none_is_helvetica(client_for, officer, falun_plan, strategic):
    with time_machine.travel(REMISS_DAY):
        response = client_for(officer).get(brief_url(falun_plan, "brief_pdf"))
    fonts = pdf_fonts(response.content)
    assert {page for page, _name, _embedded in fonts} == set(
        range(1, len(PdfReader(io.BytesIO(response.content)).pages) + 1)
    )
    assert [(page, name) for page, name, embedded in fonts if not embedded] == []
    assert not [name for _page, name, _embedded in fonts if "Helvetica" in name]
    assert {name.split("+")[-1] for _page, name, _embedded in fonts} <= {"DejaVuSans", "DejaVuSans-Bold"}


def test_the_pdf_draws_the_same_without_dejavu_on_the_system(
    monkeypatch, client_for, officer, falun_plan, strategic
):
    """The fonts come with the application: a system without fonts-dejavu-core prints the same PDF."""
    from plans.followup import brief_pdf

    system_fonts = "/usr/share/fonts"
    is_file = Path.is_file
    monkeypatch.setattr(
        Path, "is_file", lambda path: not str(path).startswith(system_fonts) and is_file(path)
    )
    brief_pdf.fonts.cache_clear()
    monkeypatch.setattr(brief_pdf, "fonts", brief_pdf.fonts.__wrapped__)
    with time_machine.travel(REMISS_DAY):
        response = client_for(officer).get(brief_url(falun_plan, "brief_pdf"))
    fonts = pdf_fonts(response.content)
    assert fonts and all(embedded and "DejaVuSans" in name for _page, name, embedded in fonts)
    assert "Vägunderhåll" in pdf_text(response.content)
    assert "≥" in pdf_text(response.content) or "→" in pdf_text(response.content)
    shipped = Path(brief_pdf.__file__).resolve().parent.parent / "fonts"
    assert Path(pdfmetrics.getFont("DejaVuSans").face.filename).parent == shipped
    assert {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "LICENSE"} <= {path.name for path in shipped.iterdir()}


def test_the_font_travels_with_every_install_and_the_image_has_it_too():
    """A non-editable install (the Docker image's pip install .) carries plans/fonts; the image also
    installs Debian's fonts-dejavu-core."""
    root = Path(__file__).resolve().parents[3]
    package_data = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    shipped = [path.relative_to(root / "plans").as_posix() for path in (root / "plans" / "fonts").iterdir()]
    assert shipped and all(
        any(fnmatch(name, pattern) for pattern in package_data["plans"]) for name in shipped
    )
    assert re.search(r"apt-get install .*fonts-dejavu-core", (root / "Dockerfile").read_text())


def test_an_empty_brief_still_prints(client_for, officer, falun_plan):
    with time_machine.travel(REMISS_DAY):
        response = client_for(officer).get(brief_url(falun_plan, "brief_pdf"))
    assert response.content.startswith(b"%PDF")
    assert "Falu kommun" in pdf_text(response.content)


# --- Queries ---------------------------------------------------------------------------------------------


def make_strategic(plan, department, politician, count, start=0):
    for number in range(start, start + count):
        procurement = ProcurementFactory(
            plan=plan,
            department=department,
            ref=f"2027-{number + 100:03d}",
            estimated_value_sek=150_000_000,
            planned_advertisement=date(2027, 1 + number % 12, 1),
        )
        review.review_give_guidance(
            procurement=procurement, kind=Guidance.Kind.WITHIN_FRAME, text="Inom ramen.", user=politician
        )
        if number % 2:
            Outcome.objects.create(procurement=procurement, status=Outcome.Status.AWARDED)


@pytest.mark.parametrize("name", ["brief", "brief_pdf"])
def test_the_number_of_queries_does_not_grow_with_the_procurements(
    client_for, officer, politician, falun_plan, serv, django_assert_max_num_queries, name
):
    client = client_for(officer)
    with time_machine.travel(REMISS_DAY):
        make_strategic(falun_plan, serv, politician, 2)
        with CaptureQueriesContext(connection) as two:
            assert client.get(brief_url(falun_plan, name)).status_code == 200
        make_strategic(falun_plan, serv, politician, 6, start=2)
        with django_assert_max_num_queries(len(two)):
            assert client.get(brief_url(falun_plan, name)).status_code == 200


# --- The demo --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_demo_brief_of_falun_2017_prints_the_cars_and_the_goods_distribution(client):
    with time_machine.travel(date(2026, 11, 26)):
        call_command("load_demo", verbosity=0)
        client.force_login(User.objects.get(username="upphandlare"))
        response = client.get(reverse("plans:brief_pdf", kwargs={"municipality": "falun", "year": 2017}))
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "Personbilar och servicebilar, leasing" in text
    assert "Samdistribution av varor" in text
    assert {(name.split("+")[-1], embedded) for _page, name, embedded in pdf_fonts(response.content)} == {
        ("DejaVuSans", True),
        ("DejaVuSans-Bold", True),
    }


# --- The rules -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, (None, True)),
        ("", (None, True)),
        ("1", (1, True)),
        (" 4 ", (4, True)),
        ("0", (None, False)),
        ("5", (None, False)),
        ("9", (None, False)),
        ("x", (None, False)),
        ("²", (None, False)),
        ("1.0", (None, False)),
    ],
)
def test_parse_quarter(raw, expected):
    assert parse_quarter(raw) == expected


@pytest.mark.parametrize(
    ("quarter", "bounds"),
    [
        (1, (date(2027, 1, 1), date(2027, 4, 1))),
        (2, (date(2027, 4, 1), date(2027, 7, 1))),
        (3, (date(2027, 7, 1), date(2027, 10, 1))),
        (4, (date(2027, 10, 1), date(2028, 1, 1))),
    ],
)
def test_quarter_bounds(quarter, bounds):
    assert quarter_bounds(2027, quarter) == bounds
