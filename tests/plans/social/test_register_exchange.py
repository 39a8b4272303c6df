"""The register as a spreadsheet (issue 18): imported all or nothing, every bad row named with its line;
a row of a known organisation number updates that enterprise; an export imports back unchanged; formulas
neither imported nor written."""

import csv
import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from accounts.models import Role
from plans.exchange.reading import ImportRefused
from plans.models import SocialEnterprise
from plans.social import register_exchange
from plans.social.register_services import centre_enterprises
from tests.factories import SocialEnterpriseFactory, UserFactory, member, valid_org_number

HEADER = [column.sv for column in register_exchange.COLUMNS]
ENGLISH = [column.key for column in register_exchange.COLUMNS]


def english(client):
    """The client asking for the pages in English (a logout clears the cookie: set it after logging in)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def row(n, municipality="Falu kommun", **cells):
    values = {
        "name": f"Företag {n}",
        "org_number": valid_org_number(n),
        "municipality": municipality,
        "contact_name": "Kim",
        "contact_email": f"kim{n}@example.se",
        "contact_phone": "023-100 00",
        "cpv_codes": "98310000; 3220000",
        "categories": "Tjänster",
        "services": "Tvätt",
        "capacity": "4",
        "reserved_qualified": "Ja",
    } | cells
    return [values[column.key] for column in register_exchange.COLUMNS]


def csv_file(rows, header=HEADER, delimiter=";") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def xlsx_file(rows, header=HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def keeper(centre):
    return member(UserFactory(username="keeper"), Role.OFFICER, centre=centre)


def run(centre, content, *, keeper=None, filename="register.csv"):
    with translation.override("en"):
        return register_exchange.enterprises_import(
            centre=centre, filename=filename, content=content, user=keeper
        )


def test_a_good_file_adds_every_row(centre, falun, borlange, keeper):
    result = run(centre, csv_file([row(1), row(2, municipality="borlange", categories="")]), keeper=keeper)
    assert result.ok, result.errors
    assert (result.added, result.updated) == (2, 0)
    first, second = centre_enterprises(centre)
    assert first.cpv_codes == ["98310000", "03220000"]
    assert first.categories == ["services"]
    assert first.municipality == falun and second.municipality == borlange
    assert first.capacity == 4 and first.reserved_qualified is True
    assert first.updated_by == keeper


def test_english_headers_and_values(centre, falun):
    rows = [row(1, categories="goods; services", reserved_qualified="no")]
    result = run(centre, csv_file(rows, header=ENGLISH, delimiter=","))
    assert result.ok, result.errors
    enterprise = SocialEnterprise.objects.get()
    assert enterprise.categories == ["goods", "services"]
    assert enterprise.reserved_qualified is False


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ({"org_number": "802456-123"}, "Organisationsnummer"),
        (
            {"org_number": valid_org_number(1)[:-1] + str((int(valid_org_number(1)[-1]) + 1) % 10)},
            "last digit",
        ),
        ({"municipality": "Mora"}, "“Mora” is not a municipality the centre serves"),
        ({"cpv_codes": "98310000; 9831000x"}, "“9831000x”"),
        ({"cpv_codes": "98310001"}, "not in the CPV vocabulary"),
        ({"cpv_codes": "", "categories": ""}, "at least one CPV code or one category"),
        ({"categories": "Tjänster; Bageri"}, "“Bageri”"),
        ({"capacity": "many"}, "Kapacitet"),
        ({"reserved_qualified": "kanske"}, "neither Ja nor Nej"),
        ({"contact_email": "kim@"}, "not an e-mail address"),
        ({"name": ""}, "Namn is missing"),
        ({"name": "x" * 201}, "longer than 200"),
        ({"name": '=HYPERLINK("http://evil")'}, "formulas are not accepted"),
        ({"contact_phone": "@SUM(A1)"}, "formulas are not accepted"),
    ],
)
def test_one_bad_row_imports_nothing_and_is_named_with_its_line(cells, expected, centre, falun):
    result = run(centre, csv_file([row(1), row(2, **cells), row(3)]))
    assert not result.ok
    assert [error.line for error in result.errors] == [3]
    assert expected in result.errors[0].message
    assert not SocialEnterprise.objects.exists()


def test_the_same_org_number_twice_in_the_file_is_an_error(centre, falun):
    result = run(centre, csv_file([row(1), row(2), row(3, org_number=valid_org_number(1))]))
    assert [error.line for error in result.errors] == [4]
    assert "also on row 2" in result.errors[0].message
    assert not SocialEnterprise.objects.exists()


def test_a_formula_cell_in_an_xlsx_is_refused(centre, falun):
    result = run(centre, xlsx_file([row(1, services="=1+2")]), filename="register.xlsx")
    assert [error.line for error in result.errors] == [2]
    assert "formulas are not accepted" in result.errors[0].message


def test_a_known_org_number_updates_that_enterprise(centre, falun, keeper):
    known = SocialEnterpriseFactory(municipality=falun, org_number=valid_org_number(1), name="Gamla namnet")
    result = run(centre, csv_file([row(1, name="Nya namnet", capacity=""), row(2)]), keeper=keeper)
    assert result.ok, result.errors
    assert (result.added, result.updated) == (1, 1)
    known.refresh_from_db()
    assert known.name == "Nya namnet"
    assert known.capacity is None
    assert known.version == 2 and known.updated_by == keeper
    assert SocialEnterprise.objects.count() == 2


def test_missing_required_columns_refuse_the_file(centre, falun):
    with pytest.raises(ImportRefused, match=r"Columns are missing: .*municipality"):
        run(centre, csv_file([row(1)[:2]], header=HEADER[:2]))


def test_more_than_a_thousand_rows_are_refused(centre, falun):
    rows = [row(n) for n in range(1, register_exchange.MAX_ROWS + 2)]
    with pytest.raises(ImportRefused, match="at most 1000"):
        run(centre, csv_file(rows))
    assert not SocialEnterprise.objects.exists()


def test_unknown_columns_are_ignored_and_named(centre, falun):
    result = run(centre, csv_file([[*row(1), "x"]], header=[*HEADER, "Anteckning"]))
    assert result.ok and result.unknown == ["Anteckning"]


# --- Export and round trip -------------------------------------------------------------------------


@pytest.fixture
def register(falun, borlange):
    return [
        SocialEnterpriseFactory(
            municipality=falun,
            name="Kvarnen",
            cpv_codes=["03220000", "98310000"],
            categories=["services", "goods"],
            services="Tvätt; lagning\noch strykning",
            capacity=12,
            contact_name="Anna",
            contact_email="anna@kvarnen.example",
            contact_phone="+46 23 100 00",
        ),
        SocialEnterpriseFactory(
            municipality=borlange,
            name="=Parkgruppen",  # a name that a spreadsheet would run as a formula
            cpv_codes=["03220000"],
            categories=[],
            contact_phone="0243-100 00",
            reserved_qualified=False,
            capacity=None,
        ),
    ]


SNAPSHOT = (
    "name",
    "org_number",
    "municipality_id",
    "contact_name",
    "contact_email",
    "contact_phone",
    "cpv_codes",
    "categories",
    "services",
    "capacity",
    "reserved_qualified",
    "version",
)


def snapshot(centre):
    return [tuple(getattr(e, name) for name in SNAPSHOT) for e in centre_enterprises(centre)]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_imports_back_unchanged(fmt, centre, register, keeper):
    before = snapshot(centre)
    content = register_exchange.export_file(centre_enterprises(centre), fmt=fmt)
    result = run(centre, content, filename=f"register.{fmt}", keeper=keeper)
    assert result.ok, result.errors
    assert (result.added, result.updated) == (0, 0)
    assert snapshot(centre) == before
    # Into an empty register, the same file adds the same enterprises.
    SocialEnterprise.objects.all().delete()
    result = run(centre, content, filename=f"register.{fmt}", keeper=keeper)
    assert result.added == 2
    assert [entry[:-1] for entry in snapshot(centre)] == [entry[:-1] for entry in before]


def test_an_edited_export_changes_what_was_edited(centre, register):
    content = register_exchange.export_file(centre_enterprises(centre), fmt="xlsx")
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.active
    sheet.cell(row=3, column=HEADER.index("Kapacitet (personer per år)") + 1, value=30)
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = run(centre, buffer.getvalue(), filename="register.xlsx")
    assert result.ok and result.updated == 1
    kvarnen = SocialEnterprise.objects.get(name="Kvarnen")
    assert kvarnen.capacity == 30 and kvarnen.version == 2


def test_the_csv_keeps_leading_zeros_and_guards_formulas(centre, register):
    text = register_exchange.export_file(centre_enterprises(centre), fmt="csv").decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].split(";") == HEADER
    assert '="03220000"' in text  # a code alone: a text formula, which a spreadsheet shows as the text
    assert "'=Parkgruppen" in text  # a name a spreadsheet would run: a leading apostrophe
    assert '"03220000; 98310000"' in text


def test_the_xlsx_keeps_formula_text_as_text(centre, register):
    content = register_exchange.export_file(centre_enterprises(centre), fmt="xlsx")
    sheet = load_workbook(io.BytesIO(content)).active
    assert [cell.value for cell in sheet[1]] == HEADER
    rows = {sheet.cell(row=r, column=1).value: r for r in (2, 3)}
    assert sheet.cell(row=rows["=Parkgruppen"], column=1).data_type == "s"
    assert sheet.cell(row=rows["=Parkgruppen"], column=HEADER.index("CPV-koder") + 1).value == "03220000"


# --- The pages -------------------------------------------------------------------------------------


def import_url():
    return reverse("social:enterprise_import", args=["uhc"])


def test_the_import_page_lists_every_error_and_saves_nothing(client_for, keeper, falun):
    upload = SimpleUploadedFile(
        "register.csv", csv_file([row(1), row(2, municipality="Mora"), row(3, name="")])
    )
    response = english(client_for(keeper)).post(import_url(), {"file": upload})
    assert response.status_code == 400
    page = response.content.decode()
    assert "No enterprise was imported" in page
    assert "2 errors" in page
    assert "“Mora”" in page and "Namn is missing" in page
    assert not SocialEnterprise.objects.exists()


def test_the_import_page_imports_a_good_file(client_for, keeper, falun):
    upload = SimpleUploadedFile("register.xlsx", xlsx_file([row(1), row(2)]))
    response = client_for(keeper).post(import_url(), {"file": upload})
    assert response.status_code == 302
    assert SocialEnterprise.objects.count() == 2


def test_the_import_page_refuses_a_file_that_is_no_spreadsheet(client_for, keeper, falun):
    upload = SimpleUploadedFile("register.csv", b"%PDF-1.4 ...")
    response = client_for(keeper).post(import_url(), {"file": upload})
    assert response.status_code == 400
    assert 'id="id_file_error"' in response.content.decode()


def test_the_template_downloads(client_for, keeper, falun, borlange):
    response = client_for(keeper).get(import_url(), {"template": "xlsx"})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert [cell.value for cell in workbook.worksheets[0][1]] == HEADER
    accepted = " ".join(str(cell.value) for line in workbook.worksheets[1].iter_rows() for cell in line)
    assert "Falu kommun" in accepted and "Borlänge kommun" in accepted


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_reader_downloads_the_register(fmt, client_for, politician, register):
    response = client_for(politician).get(reverse("social:enterprises_export", args=["uhc", fmt]))
    assert response.status_code == 200
    assert f"sociala-foretag-uhc.{fmt}" in response["Content-Disposition"]


def test_an_unknown_export_format_is_404(client_for, politician, register):
    assert (
        client_for(politician).get(reverse("social:enterprises_export", args=["uhc", "pdf"])).status_code
        == 404
    )
