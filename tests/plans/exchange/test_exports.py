"""The plan's downloads per role, honouring the filters and confidentiality; the XLSX cell by cell."""

import csv
import io
import json
from datetime import date, datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from plans.exchange.tabular import guard_formula, text_formula, write_csv
from tests.factories import ProcurementFactory
from tests.plans.exchange.test_ocds import assert_valid


def export_url(plan, extension):
    return reverse(
        "plans:export",
        kwargs={"municipality": plan.municipality.slug, "year": plan.year, "extension": extension},
    )


@pytest.fixture
def rows(falun_plan, serv, officer):
    return [
        ProcurementFactory(
            plan=falun_plan,
            department=serv,
            ref="2027-001",
            title="Personbilar",
            estimated_value_sek=38_000_000,
            current_contract_ends=date(2027, 5, 14),
            possible_suppliers=3,
            business_critical=True,
            high_switching_cost=True,
            lots=True,
            climate_impact="high",
            environmental_level="spjutspets",
            officer=officer,
            expert_name="Karin Fordonsdotter",
            expert_email="karin.f@falun.se",
        ),
        ProcurementFactory(
            plan=falun_plan,
            department=serv,
            ref="2027-002",
            title='=HYPERLINK("http://x")',
            estimated_value_sek=7_654_321,
            confidential=True,
            category="works",
            procedure="below_threshold",
        ),
    ]


def open_xlsx(content):
    return load_workbook(io.BytesIO(content))


def test_the_xlsx_cell_by_cell(client_for, officer, rows):
    response = client_for(officer).get(export_url(rows[0].plan, "xlsx"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="upphandlingsplan-falun-2027.xlsx"'
    workbook = open_xlsx(response.content)
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert header[:5] == ["Ref", "Benämning", "Förvaltning", "Kategori", "CPV"]
    assert header[-7:] == [
        "Ekonomisk vikt",
        "Social vikt",
        "Miljövikt",
        "Leveransrisk",
        "Kraljic",
        "Strategisk",
        "Prioritet",
    ]
    assert len(header) == 30
    cars = {title: cell.value for title, cell in zip(header, sheet[2], strict=True)}
    assert cars == {
        "Ref": "2027-001",
        "Benämning": "Personbilar",
        "Förvaltning": "SERV",
        "Kategori": "Vara" if rows[0].category == "goods" else "Tjänst",
        "CPV": "98310000",
        "Uppskattat värde SEK": 38_000_000,
        "Avtalstid mån": 48,
        "Planerad annonsering": datetime(2027, 3, 1),
        "Nuvarande avtal löper ut": datetime(2027, 5, 14),
        "Förfarande": "Öppet förfarande",
        "Antal möjliga leverantörer": 3,
        "Verksamhetskritisk": "Ja",
        "Hög bytskostnad": "Ja",
        "Sysselsättningskrav": "Nej",
        "Reserverat kontrakt": "Nej",
        "Arbetsrättsliga villkor": "Nej",
        "Delas i lotter": "Ja",
        "Klimatpåverkan": "Hög",
        "Miljökravnivå": "Spjutspets",
        "Innovationsupphandling": "Nej",
        "Ansvarig upphandlare": officer.email,
        "Sakkunnig": "Karin Fordonsdotter",
        "Sakkunnigs e-post": "karin.f@falun.se",
        "Ekonomisk vikt": 4,
        "Social vikt": 1,
        "Miljövikt": 5,
        "Leveransrisk": 4,
        "Kraljic": "Strategisk",
        "Strategisk": "Ja",
        "Prioritet": 72,
    }
    assert sheet["F2"].number_format == '#,##0 "kr"'
    assert sheet["H2"].number_format == "yyyy-mm-dd"
    assert sheet.freeze_panes == "C2"
    assert sheet.column_dimensions["B"].width >= 12
    # A title that looks like a formula stays text.
    assert sheet["B3"].data_type == "s" and sheet["B3"].value.startswith("=HYPERLINK")
    rubric = workbook.worksheets[1]
    assert rubric.title == "Värderingsmodell"
    settings_rows = {row[0]: row[1] for row in rubric.iter_rows(min_row=5, values_only=True)}
    assert settings_rows["Direktupphandlingsgräns (kr)"] == 700_000
    assert settings_rows["Vikt för E"] == pytest.approx(0.4)


def test_the_english_xlsx_has_english_headers_and_values(client_for, officer, rows):
    response = client_for(officer).get(export_url(rows[0].plan, "xlsx"), {"lang": "en"})
    sheet = open_xlsx(response.content).worksheets[0]
    assert [cell.value for cell in sheet[1]][:4] == ["ref", "title", "department", "category"]
    assert sheet["J2"].value == "open" and sheet["L2"].value == "yes" and sheet["AC2"].value == "yes"
    assert sheet["AB2"].value == "strategic"
    assert [cell.value for cell in sheet[1]][21:23] == ["expert_name", "expert_email"]


def test_the_csv_is_swedish_excel_csv(client_for, officer, rows):
    content = client_for(officer).get(export_url(rows[0].plan, "csv")).content
    assert content.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert table[0][0] == "Ref" and len(table[0]) == 30
    assert table[1][5] == "38000000" and table[1][7] == "2027-03-01" and table[1][29] == "72,0"
    assert (table[1][0], table[1][4]) == ('="2027-001"', '="98310000"')  # text when a spreadsheet opens it
    assert table[1][21:23] == ["Karin Fordonsdotter", "karin.f@falun.se"]
    # A formula is neutralised with an apostrophe.
    assert table[2][1] == '\'=HYPERLINK("http://x")'


@pytest.mark.parametrize("text", ["=1+1", "+46", "-5", "@SUM(A1)", "\tx", "\rx"])
def test_formula_starts_are_neutralised(text):
    assert guard_formula(text) == "'" + text


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("03220000", '="03220000"'),  # a CPV code: a spreadsheet would drop its leading zero
        ("34110000", '="34110000"'),  # every code alike
        ("001", '="001"'),
        ("1E5", '="1E5"'),  # would read as 100000
        ("2027-001", '="2027-001"'),  # a ref a spreadsheet may read as a date
        ("2027-03-01", '="2027-03-01"'),
        ("12,5", '="12,5"'),
        ("1 000", '="1 000"'),
        ("Personbilar", "Personbilar"),  # text: as it is
        ("E-arkiv", "E-arkiv"),
        ("2027 bilar", "2027 bilar"),
        ("", ""),
        ("-5", "'-5"),  # a formula start: the apostrophe, as before
        ("=1+1", "'=1+1"),
    ],
)
def test_number_like_text_is_written_as_a_text_formula(text, written):
    assert text_formula(text) == written


def test_a_text_formula_is_written_unquoted_and_the_english_csv_stays_plain():
    header = ["Ref", "Benämning", "CPV"]
    rows = [["2027-001", 'Bilar; "el"', "03220000"]]
    assert write_csv(header, rows, language="sv").decode("utf-8-sig").splitlines() == [
        "Ref;Benämning;CPV",
        '="2027-001";"Bilar; ""el""";="03220000"',
    ]
    assert write_csv(header, rows, language="en").decode("utf-8-sig").splitlines() == [
        "Ref,Benämning,CPV",
        '2027-001,"Bilar; ""el""",03220000',
    ]


def test_the_xlsx_keeps_a_cpv_code_as_text(client_for, officer, rows):
    rows[0].cpv = "03220000"
    rows[0].save()
    sheet = open_xlsx(client_for(officer).get(export_url(rows[0].plan, "xlsx")).content).worksheets[0]
    assert sheet["E1"].value == "CPV"
    assert (sheet["E2"].value, sheet["E2"].data_type, sheet["E2"].number_format) == ("03220000", "s", "@")


@pytest.mark.parametrize(
    ("role", "sees_secret"), [("officer", True), ("politician", False), ("department_rep", False)]
)
@pytest.mark.parametrize("extension", ["xlsx", "csv", "json"])
def test_confidential_values_are_left_out_for_those_who_may_not_see_them(
    role, sees_secret, extension, users, client_for, rows
):
    response = client_for(users[role]).get(export_url(rows[0].plan, extension))
    assert response.status_code == 200
    if extension == "xlsx":
        text = " ".join(
            str(c.value) for row in open_xlsx(response.content).worksheets[0].iter_rows() for c in row
        )
    else:
        text = response.content.decode("utf-8-sig")
    assert ("7654321" in text) is sees_secret
    assert "38000000" in text


@pytest.mark.parametrize("extension", ["xlsx", "csv", "json"])
def test_exports_are_404_for_another_municipality(extension, client_for, outsider, rows):
    assert client_for(outsider).get(export_url(rows[0].plan, extension)).status_code == 404


def test_an_anonymous_visitor_is_asked_to_log_in_for_a_draft_export(client, rows):
    assert client.get(export_url(rows[0].plan, "csv")).status_code == 302


def test_adopted_plans_export_publicly_without_confidential_values(client, adopted_plan, serv):
    ProcurementFactory(
        plan=adopted_plan, department=serv, ref="2017-009", estimated_value_sek=5_555_555, confidential=True
    )
    ProcurementFactory(plan=adopted_plan, department=serv, ref="2017-010", estimated_value_sek=4_444_444)
    package = json.loads(client.get(export_url(adopted_plan, "json")).content)
    assert_valid(package)
    amounts = [r["tender"].get("value", {}).get("amount") for r in package["releases"]]
    assert sorted(amounts, key=str) == [4_444_444, None]


def test_an_unknown_format_is_404(client_for, officer, rows):
    assert client_for(officer).get("/plans/falun/2027/export.pdf").status_code == 404


def test_exports_honour_the_filters(client_for, officer, rows):
    content = (
        client_for(officer).get(export_url(rows[0].plan, "csv"), {"category": "works", "bogus": "x"}).content
    )
    table = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert [line[0] for line in table[1:]] == ['="2027-002"']
    package = json.loads(
        client_for(officer).get(export_url(rows[0].plan, "json"), {"kraljic": "strategic"}).content
    )
    assert [release["tender"]["id"] for release in package["releases"]] == ["2027-001"]


def test_a_bad_filter_value_does_not_break_an_export(client_for, officer, rows):
    response = client_for(officer).get(export_url(rows[0].plan, "csv"), {"value_min": "lots"})
    assert response.status_code == 200
    assert response.content.decode("utf-8-sig").count("\r\n") == 3


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "ocds"])
def test_the_command_exports_the_demo(fmt, tmp_path, db):
    call_command("load_demo", verbosity=0)
    path = tmp_path / f"plan.{fmt}"
    call_command("export_plan", "--municipality", "falun", "--year", "2017", "--format", fmt, "-o", str(path))
    content = path.read_bytes()
    if fmt == "ocds":
        package = json.loads(content)
        assert_valid(package)
        assert len(package["releases"]) == 99
    elif fmt == "xlsx":
        assert open_xlsx(content).worksheets[0].max_row == 100
    else:
        assert content.decode("utf-8-sig").count("\r\n") == 100


def test_the_command_exports_english(tmp_path, db):
    call_command("load_demo", verbosity=0)
    path = tmp_path / "plan.csv"
    call_command(
        "export_plan",
        "--municipality",
        "falun",
        "--year",
        "2017",
        "--format",
        "csv",
        "-o",
        str(path),
        "--lang",
        "en",
    )
    header = path.read_bytes().decode("utf-8-sig").splitlines()[0]
    assert header.startswith("ref,title,department,category,cpv,estimated_value_sek")


def test_the_import_template_has_the_headers(client_for, officer, falun_plan, serv):
    response = client_for(officer).get(reverse("plans:import_template", args=["falun", 2027]))
    workbook = open_xlsx(response.content)
    header = [cell.value for cell in workbook.worksheets[0][1]]
    assert header[0] == "Ref" and header[-1] == "Sakkunnigs e-post" and len(header) == 23
    values = {row[0]: row[1] for row in workbook.worksheets[1].iter_rows(min_row=2, values_only=True)}
    assert "SERV (Serviceförvaltningen)" in values["Förvaltning"]
    assert values["Sakkunnigs e-post"]  # what an e-mail cell accepts


def test_the_template_in_docs_is_the_one_the_app_serves():
    from pathlib import Path

    from plans.exchange.columns import COLUMNS

    template = Path(__file__).resolve().parents[3] / "docs" / "upphandlingsplan-mall.xlsx"
    workbook = open_xlsx(template.read_bytes())
    assert [cell.value for cell in workbook.worksheets[0][1]] == [column.sv for column in COLUMNS]
