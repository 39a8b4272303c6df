"""The centre's year (issue 16): who sees it, its filters, its sums, its exports, its queries."""

import csv
import io
import re
from datetime import date

import openpyxl
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from plans.centre.coordination import suggestion_ids
from plans.centre.filters import CentreYearFilter
from plans.centre.sums import year_sums
from plans.models import Category, CoordinationGroup, Procurement
from plans.register.disclosure import CENTRE, PUBLIC
from tests.factories import (
    CentreFactory,
    DepartmentFactory,
    MunicipalityFactory,
    PlanFactory,
    ProcurementFactory,
    UserFactory,
    member,
)

YEAR = 2027
MAX_QUERIES = 15


def year_url(centre="uhc", year=YEAR, **query):
    url = reverse("centre:year", args=[centre, year])
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def export_url(extension, centre="uhc", year=YEAR, **query):
    url = reverse("centre:year_export", args=[centre, year, extension])
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


@pytest.fixture
def mora(centre):
    return MunicipalityFactory(slug="mora", name="Mora kommun", centre=centre)


@pytest.fixture
def second_officer(centre):
    user = UserFactory(username="olle", first_name="Olle", last_name="Ek")
    return member(user, Role.OFFICER, centre=centre)


@pytest.fixture
def world(falun, borlange, mora, officer, second_officer, serv):
    """Three municipalities' 2027 plans: cars in Falun and Borlänge (a suggestion, Borlänge's value
    confidential), food coordinated by Falun (lead) and Borlänge, laundry, a bus and parks."""
    plans = {m.slug: PlanFactory(municipality=m, year=YEAR) for m in (falun, borlange, mora)}

    def make(slug, ref, **fields):
        department = serv if slug == "falun" else DepartmentFactory(municipality=plans[slug].municipality)
        return ProcurementFactory(plan=plans[slug], ref=ref, department=department, **fields)

    rows = {
        "F-BIL": make(
            "falun",
            "F-BIL",
            title="Personbilar",
            cpv="34110000-1",
            category=Category.GOODS,
            estimated_value_sek=2_000_000,
            planned_advertisement=date(YEAR, 4, 15),
            officer=officer,
        ),
        "F-MAT": make(
            "falun",
            "F-MAT",
            title="Livsmedel",
            cpv="15800000",
            category=Category.GOODS,
            estimated_value_sek=30_000_000,
            planned_advertisement=date(YEAR, 2, 1),
        ),
        "F-TVATT": make(
            "falun",
            "F-TVATT",
            title="Tvätt",
            cpv="98310000",
            estimated_value_sek=1_500_000,
            planned_advertisement=date(YEAR, 8, 20),
            officer=second_officer,
        ),
        "B-BIL": make(
            "borlange",
            "B-BIL",
            title="Personbilar",
            cpv="34110000",
            category=Category.GOODS,
            estimated_value_sek=2_100_000,
            planned_advertisement=date(YEAR, 5, 10),
            confidential=True,
            officer=officer,
        ),
        "B-MAT": make(
            "borlange",
            "B-MAT",
            title="Livsmedel",
            cpv="15800000",
            category=Category.GOODS,
            estimated_value_sek=20_000_000,
            planned_advertisement=date(YEAR, 3, 1),
        ),
        "M-PARK": make(
            "mora",
            "M-PARK",
            title="Parkskötsel",
            cpv="77310000",
            estimated_value_sek=900_000,
            planned_advertisement=date(YEAR, 11, 1),
        ),
    }
    group = CoordinationGroup.objects.create(
        centre=falun.centre, year=YEAR, title="Livsmedel", lead=rows["F-MAT"], created_by=officer
    )
    Procurement.objects.filter(pk__in=[rows["F-MAT"].pk, rows["B-MAT"].pk]).update(
        coordination=group, coordinated_value_sek=50_000_000, coordinated_with=1
    )
    # Another year, and another centre's municipality: never on this page.
    ProcurementFactory(plan=PlanFactory(municipality=falun, year=YEAR + 1), ref="F-2028", title="Nästa år")
    elsewhere = MunicipalityFactory(slug="leksand", centre=CentreFactory(slug="annat", name="Annat center"))
    ProcurementFactory(plan=PlanFactory(municipality=elsewhere, year=YEAR), ref="L-BIL", title="Personbilar")
    return rows


def refs(response) -> set[str]:
    return {procurement.ref for procurement in response.context["filter"].qs}


def shown_refs(response) -> list[str]:
    return [row.record.ref for row in response.context["table"].paginated_rows]


def warnings(response) -> list[str]:
    return [str(message) for message in response.context["messages"] if message.level_tag == "warning"]


# --- Who sees it ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["officer", "plan_admin"])
def test_the_centre_s_staff_see_every_municipality_s_procurements_of_the_year(role, users, client_for, world):
    response = client_for(users[role]).get(year_url())
    assert response.status_code == 200
    assert refs(response) == {"F-BIL", "F-MAT", "F-TVATT", "B-BIL", "B-MAT", "M-PARK"}
    body = response.content.decode()
    assert "Personbilar" in body and "Parkskötsel" in body
    assert "Nästa år" not in body and "L-BIL" not in body


@pytest.mark.parametrize("role", ["politician", "department_rep", "outsider"])
def test_a_municipality_s_people_get_404(role, users, client_for, world):
    client = client_for(users[role])
    assert client.get(year_url()).status_code == 404
    assert client.get(export_url("csv")).status_code == 404


def test_an_officer_of_another_centre_gets_404(client_for, world):
    stranger = member(UserFactory(username="stranger"), Role.OFFICER, centre=CentreFactory(slug="annat"))
    client = client_for(stranger)
    assert client.get(year_url()).status_code == 404
    assert client.get(export_url("xlsx")).status_code == 404
    # Their own centre's year is theirs.
    assert client.get(year_url(centre="annat")).status_code == 200


def test_an_anonymous_visitor_is_sent_to_log_in(client, world):
    for url in (year_url(), export_url("csv")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=/centre/uhc/2027/")


def test_an_unknown_centre_or_an_impossible_year_is_404(client_for, officer, world):
    client = client_for(officer)
    assert client.get(year_url(centre="nowhere")).status_code == 404
    assert client.get(year_url(year=1999)).status_code == 404


def test_the_page_has_the_desk_nav_and_breadcrumbs(client_for, officer, world):
    body = client_for(officer).get(year_url()).content.decode()
    assert 'class="tabs desk-nav"' in body
    assert f'href="{year_url()}" aria-current="page"' in body
    assert 'class="breadcrumbs wrap"' in body
    assert reverse("centre:coordination", args=["uhc", YEAR]) in body


def test_each_row_links_to_the_procurement_s_own_page(client_for, officer, world):
    body = client_for(officer).get(year_url()).content.decode()
    for procurement in world.values():
        assert f'href="{procurement.get_absolute_url()}"' in body


# --- Filters ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"municipality": "borlange"}, {"B-BIL", "B-MAT"}),
        ({"cpv_division": "34"}, {"F-BIL", "B-BIL"}),
        ({"cpv_group": "158"}, {"F-MAT", "B-MAT"}),
        ({"cpv_group": "773"}, {"M-PARK"}),
        ({"quarter": "1"}, {"F-MAT", "B-MAT"}),
        ({"quarter": "2"}, {"F-BIL", "B-BIL"}),
        ({"quarter": "4"}, {"M-PARK"}),
        ({"officer": "none"}, {"F-MAT", "B-MAT", "M-PARK"}),
        ({"coordination": "coordinated"}, {"F-MAT", "B-MAT"}),
        ({"coordination": "suggested"}, {"F-BIL", "B-BIL"}),
        ({"municipality": "falun", "quarter": "2"}, {"F-BIL"}),
        ({"q": "bil", "municipality": "borlange"}, {"B-BIL"}),
        ({"category": "goods", "officer": "none"}, {"F-MAT", "B-MAT"}),
    ],
)
def test_the_filters(query, expected, client_for, officer, world):
    response = client_for(officer).get(year_url(**query))
    assert response.status_code == 200
    assert not warnings(response)
    assert refs(response) == expected


def test_the_officer_filter_offers_the_centre_s_officers_and_finds_theirs(
    client_for, officer, second_officer, world
):
    response = client_for(officer).get(year_url(officer=officer.pk))
    assert refs(response) == {"F-BIL", "B-BIL"}
    choices = dict(response.context["filter"].form.fields["officer"].choices)
    assert {str(officer.pk), str(second_officer.pk), "none"} <= set(choices)
    assert choices[str(second_officer.pk)] == "Olle Ek"
    assert refs(client_for(officer).get(year_url(officer=second_officer.pk))) == {"F-TVATT"}


def test_the_department_filter_names_each_department_with_its_municipality(client_for, officer, world, serv):
    response = client_for(officer).get(year_url(department=serv.pk))
    assert refs(response) == {"F-BIL", "F-MAT", "F-TVATT"}
    choices = dict(response.context["filter"].form.fields["department"].choices)
    assert choices[str(serv.pk)] == "Serviceförvaltningen (Falu kommun)"


def test_neither_coordinated_nor_suggested(client_for, officer, world):
    response = client_for(officer).get(year_url(coordination="alone"))
    suggested = suggestion_ids(world["F-BIL"].plan.municipality.centre, YEAR)
    assert refs(response) == {"F-TVATT", "M-PARK"} - {p.ref for p in world.values() if p.pk in suggested}


def test_the_suggested_filter_is_the_coordination_page_s_suggestions(client_for, officer, world):
    centre = world["F-BIL"].plan.municipality.centre
    response = client_for(officer).get(year_url(coordination="suggested"))
    assert {p.pk for p in response.context["filter"].qs} == suggestion_ids(centre, YEAR)


def test_cpv_selects_show_code_and_label(client_for, officer, world):
    form = client_for(officer).get(year_url()).context["filter"].form
    assert dict(form.fields["cpv_group"].choices)["341"] == "341 Motor vehicles"
    assert dict(form.fields["cpv_division"].choices)["15"].startswith("15 Food, beverages")
    # A label longer than a select should be is shortened.
    assert max(len(label) for _code, label in form.fields["cpv_group"].choices) <= 64


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("municipality", "nowhere"),
        ("municipality", "leksand"),  # another centre's municipality
        ("quarter", "5"),
        ("quarter", "x"),
        ("officer", "abc"),
        ("officer", "999999"),
        ("cpv_group", "34"),
        ("cpv_division", "<script>"),
        ("coordination", "maybe"),
        ("value_min", "lots"),
        ("department", "-1"),
        ("kraljic", "everything"),
    ],
)
def test_a_bad_filter_value_is_ignored_with_a_message_and_the_others_apply(
    name, value, client_for, officer, world
):
    # A good filter beside the bad one still applies.
    other, expected = (
        ({"quarter": "2"}, {"F-BIL", "B-BIL"})
        if name == "municipality"
        else (
            {"municipality": "falun"},
            {"F-BIL", "F-MAT", "F-TVATT"},
        )
    )
    response = client_for(officer).get(year_url(**{name: value}, **other))
    assert response.status_code == 200
    with translation.override("sv"):
        label = str(CentreYearFilter.base_filters[name].label)
    (message,) = warnings(response)
    assert label in message
    assert refs(response) == expected


def test_an_ignored_filter_is_not_counted_as_in_use(client_for, officer, world):
    response = client_for(officer).get(year_url(quarter="9", municipality="mora", sort="ref"))
    assert response.context["active_filters"] == 1
    assert response.context["filtered_count"] == 1
    assert response.context["total_count"] == 6
    alone = client_for(officer).get(year_url(quarter="9"))
    assert (alone.context["active_filters"], alone.context["filtered"]) == (0, False)


def test_the_table_sorts_and_pages_with_its_state_in_the_query_string(client_for, officer, world):
    client = client_for(officer)
    by_value = shown_refs(client.get(year_url(sort="-shown_value")))
    assert by_value[0] == "F-MAT"
    assert shown_refs(client.get(year_url(sort="municipality")))[0].startswith("B-")
    assert shown_refs(client.get(year_url(sort="-municipality")))[0].startswith("M-")
    body = client.get(year_url(sort="cpv", municipality="falun")).content.decode()
    assert "sort=cpv" in body and "municipality=falun" in body


def test_fifty_a_page(client_for, officer, world, falun):
    plan = world["F-BIL"].plan
    for number in range(settings.PLAN_PAGE_SIZE):
        ProcurementFactory(plan=plan, ref=f"X-{number:03d}", department=world["F-BIL"].department)
    client = client_for(officer)
    first = client.get(year_url())
    assert len(shown_refs(first)) == settings.PLAN_PAGE_SIZE
    assert len(shown_refs(client.get(year_url(page=2)))) == 6


def row_of(body: str, ref: str) -> str:
    (row,) = [row for row in body.split("<tr") if f">{ref}</a>" in row]
    return row


def test_the_coordination_column_in_words(client_for, officer, world):
    client = client_for(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(year_url()).content.decode()
    coordination = reverse("centre:coordination", args=["uhc", YEAR])
    lead, participant = row_of(body, "F-MAT"), row_of(body, "B-MAT")
    assert ">Coordinated with 1 other municipality (lead)</a>" in lead
    assert ">Coordinated with 1 other municipality</a>" in participant
    group = CoordinationGroup.objects.get(lead=world["F-MAT"])
    assert f'href="{coordination}#group-{group.pk}"' in participant
    assert f'<a href="{coordination}">Could be coordinated</a>' in row_of(body, "F-BIL")
    assert "oordinated" not in row_of(body, "M-PARK")


def test_the_cpv_label_and_the_quarter_stand_beside_code_and_date(client_for, officer, world):
    client = client_for(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    row = row_of(client.get(year_url()).content.decode(), "F-BIL")
    assert '34110000-1</span> <span class="cpv-label" lang="en">Passenger cars</span>' in row
    assert '2027-04-15 <span class="muted">Q2</span>' in row


@pytest.mark.parametrize(
    ("advertised", "shown"),
    [
        (date(YEAR - 1, 12, 31), '2026-12-31 <span class="muted">Q4 2026</span>'),
        (date(YEAR, 1, 1), '2027-01-01 <span class="muted">Q1</span>'),
        (date(YEAR, 12, 31), '2027-12-31 <span class="muted">Q4</span>'),
        (date(YEAR + 1, 1, 1), '2028-01-01 <span class="muted">Q1 2028</span>'),
    ],
)
def test_a_quarter_of_another_calendar_year_says_its_year(advertised, shown, client_for, officer, world):
    """A 2027 plan's procurement advertised in the autumn of 2026 is not in the page's "Q4"."""
    Procurement.objects.filter(pk=world["F-BIL"].pk).update(planned_advertisement=advertised)
    client = client_for(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert shown in row_of(client.get(year_url()).content.decode(), "F-BIL")


def test_the_coordination_column_counts_the_others_in_the_plural(client_for, officer, world):
    Procurement.objects.filter(pk__in=[world["F-MAT"].pk, world["B-MAT"].pk]).update(coordinated_with=2)
    client = client_for(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(year_url()).content.decode()
    assert ">Coordinated with 2 other municipalities (lead)</a>" in row_of(body, "F-MAT")
    assert ">Coordinated with 2 other municipalities</a>" in row_of(body, "B-MAT")


# --- Sums ----------------------------------------------------------------------------------------------


def test_the_sums_per_municipality_and_quadrant_count_the_filtered_rows(client_for, officer, world):
    sums = client_for(officer).get(year_url()).context["sums"]
    by_name = {m.slug: m for m in sums.municipalities}
    # The centre's staff see Borlänge's confidential value, and it is counted.
    assert by_name["borlange"].count == 2
    assert by_name["borlange"].value == 2_100_000 + 20_000_000
    assert by_name["borlange"].left_out == 0
    assert by_name["falun"].value == 2_000_000 + 30_000_000 + 1_500_000
    assert by_name["mora"].count == 1
    assert sums.total.count == 6
    assert sums.total.value == sum(p.estimated_value_sek for p in world.values())
    assert sum(q.count for q in sums.quadrants) == 6
    assert sum(q.value for q in sums.quadrants) == sums.total.value
    strategic = Procurement.objects.filter(pk__in=[p.pk for p in world.values()], strategic=True)
    assert sums.total.strategic == strategic.count()

    filtered = client_for(officer).get(year_url(cpv_division="34")).context["sums"]
    by_name = {m.slug: m for m in filtered.municipalities}
    assert (by_name["falun"].count, by_name["borlange"].count, by_name["mora"].count) == (1, 1, 0)
    assert filtered.total.value == 4_100_000


@pytest.mark.parametrize(
    ("disclosure", "value", "left_out"), [(CENTRE, 22_100_000, 0), (PUBLIC, 20_000_000, 1)]
)
def test_the_sums_ask_the_disclosure(disclosure, value, left_out, world, borlange):
    """Only the centre's staff see the desk, but the sums are the disclosure's: one who may not see
    Borlänge's confidential value would get it left out, and counted as such."""
    queryset = Procurement.objects.filter(plan__municipality=borlange, plan__year=YEAR)
    sums = year_sums(queryset, disclosure=disclosure, municipalities=[(borlange.pk, "borlange", "Borlänge")])
    (municipality,) = sums.municipalities
    assert (municipality.count, municipality.value, municipality.left_out) == (2, value, left_out)
    assert (sums.total.value, sums.total.left_out) == (value, left_out)


def test_the_sums_are_tables_with_headers(client_for, officer, world):
    body = client_for(officer).get(year_url()).content.decode()
    assert body.count('<th scope="col" class="num">') >= 5
    assert "<caption" in body
    assert "22\u00a0100\u00a0000\u00a0kr" in body  # Borlänge, its confidential value included


@pytest.mark.parametrize(
    ("query", "heading"),
    [
        ({}, "6 procurements"),
        ({"municipality": "mora"}, "1 of 6 procurements"),  # the noun agrees with the total
        ({"municipality": "borlange"}, "2 of 6 procurements"),
    ],
)
def test_the_table_s_heading_counts_what_it_shows_of_the_year(query, heading, client_for, officer, world):
    client = client_for(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(year_url(**query)).content.decode()
    shown = re.search(r'id="table-heading"[^>]*>(.*?)</h2>', body, re.S).group(1)
    assert " ".join(shown.split()) == heading


def test_the_sums_name_their_columns_as_the_table_does(client_for, officer, world):
    """The flag is "strategic for review", not the Kraljic quadrant "Strategic" in the table beside it;
    the values are the estimated values the table shows."""
    client = client_for(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(year_url()).content.decode()
    sums = body[body.index('class="year-sums"') : body.index('class="plan-layout"')]
    by_municipality, by_quadrant = sums.split("sums-quadrant-heading", 1)
    headers = [
        header.split("</th>")[0] for header in by_municipality.split('<th scope="col" class="num">')[1:]
    ]
    assert headers == ["Count", "Estimated value", "Strategic for review"]
    assert '<th scope="col" class="num">Estimated value</th>' in by_quadrant
    assert "Planned value" not in body
    assert ">Estimated value<" in body[body.index('id="year-table"') :]


# --- Exports -------------------------------------------------------------------------------------------


def csv_rows(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))


def test_the_csv_has_the_plan_s_columns_the_municipality_and_the_coordination(client_for, officer, world):
    response = client_for(officer).get(export_url("csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="upphandlingar-uhc-2027.csv"' in response["Content-Disposition"]
    header, *rows = csv_rows(response)
    assert header[:4] == ["Kommun", "Ref", "Benämning", "Förvaltning"]
    assert header[-3:] == ["Samordning", "Samordnad upphandling", "Samordnad med antal kommuner"]
    by_ref = {row[1]: dict(zip(header, row, strict=True)) for row in rows}
    assert set(by_ref) == {"F-BIL", "F-MAT", "F-TVATT", "B-BIL", "B-MAT", "M-PARK"}
    assert by_ref["B-BIL"]["Kommun"] == "Borlänge kommun"
    assert by_ref["B-BIL"]["Uppskattat värde SEK"] == "2100000"  # confidential: the centre sees it
    assert by_ref["F-MAT"]["Samordning"] == "Samordnad, ledande"
    assert by_ref["B-MAT"]["Samordning"] == "Samordnad, deltagande"
    assert by_ref["B-MAT"]["Samordnad upphandling"] == "Livsmedel"
    assert by_ref["B-MAT"]["Samordnad med antal kommuner"] == "1"
    assert by_ref["F-BIL"]["Samordning"] == "Kan samordnas"
    assert by_ref["M-PARK"]["Samordning"] == ""


def test_the_exports_apply_the_page_s_filters(client_for, officer, world):
    client = client_for(officer)
    _header, *rows = csv_rows(client.get(export_url("csv", municipality="falun", quarter="2")))
    assert [row[1] for row in rows] == ["F-BIL"]
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(export_url("xlsx", cpv_group="158")).content))
    sheet = workbook.active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["B-MAT", "F-MAT"]


def test_the_xlsx_keeps_numbers_and_names_its_columns(client_for, officer, world):
    response = client_for(officer).get(export_url("xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["Kommun", "Ref", "Benämning"]
    rows = {
        row[1]: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)
    }
    assert rows["B-BIL"]["Uppskattat värde SEK"] == 2_100_000
    assert sheet.cell(row=2, column=header.index("Uppskattat värde SEK") + 1).number_format == '#,##0 "kr"'
    assert sheet.freeze_panes == "D2"  # municipality, ref and title stay in view


def test_the_english_export(client_for, officer, world):
    response = client_for(officer).get(export_url("csv", lang="en"))
    text = response.content.decode("utf-8").removeprefix("\ufeff")
    header, *rows = list(csv.reader(io.StringIO(text)))
    assert header[:3] == ["municipality", "ref", "title"]
    assert "coordinated, lead" in {row[-3] for row in rows}


def test_a_bad_filter_in_an_export_is_ignored_and_leaves_no_message(client_for, officer, world):
    client = client_for(officer)
    _header, *rows = csv_rows(client.get(export_url("csv", quarter="9", municipality="mora")))
    assert [row[1] for row in rows] == ["M-PARK"]
    assert not warnings(client.get(year_url()))


def test_an_unknown_format_is_404(client_for, officer, world):
    assert client_for(officer).get(export_url("json")).status_code == 404
    assert client_for(officer).get(export_url("pdf")).status_code == 404


# --- Queries -------------------------------------------------------------------------------------------


def build(centre, municipalities: range, per_municipality: int, officer):
    """Municipalities of the centre (numbered), each with a 2027 plan of per_municipality procurements."""
    for number in municipalities:
        municipality = MunicipalityFactory(slug=f"q{number}", name=f"Kvarn {number}", centre=centre)
        plan = PlanFactory(municipality=municipality, year=YEAR)
        department = DepartmentFactory(municipality=municipality)
        Procurement.objects.bulk_create(
            Procurement(
                plan=plan,
                ref=f"Q{number}-{index:03d}",
                title=f"Bilar {index}",
                department=department,
                category=Category.GOODS,
                cpv=("34110000", "15800000", "98310000")[index % 3],
                estimated_value_sek=1_000_000 + index,
                duration_months=48,
                planned_advertisement=date(YEAR, 1 + index % 12, 1),
                procedure="open",
                confidential=index % 5 == 0,
                officer=officer if index % 2 else None,
            )
            for index in range(per_municipality)
        )


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "query", [{}, {"municipality": "q1", "coordination": "suggested", "sort": "-shown_value"}]
)
def test_the_page_runs_a_fixed_number_of_queries(
    query, client_for, officer, centre, django_assert_max_num_queries
):
    client = client_for(officer)
    build(centre, range(3), 4, officer)
    client.get(year_url())  # the centre's settings are made on the first visit
    small = queries_for(client, year_url(**query))
    build(centre, range(3, 6), 40, officer)  # three more municipalities, ten times the rows
    with django_assert_max_num_queries(MAX_QUERIES):
        large = queries_for(client, year_url(**query))
    assert large == small


def test_the_export_runs_a_fixed_number_of_queries(client_for, officer, centre):
    client = client_for(officer)
    build(centre, range(2), 3, officer)
    client.get(export_url("csv"))  # the centre's settings are made on the first visit
    small = queries_for(client, export_url("csv"))
    build(centre, range(2, 4), 30, officer)
    assert queries_for(client, export_url("csv")) == small
