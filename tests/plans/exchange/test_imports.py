"""Importing a plan: every kind of bad value reported with its line, nothing half-imported, round trips."""

import io
import time
from datetime import date, datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from plans.exchange.exports import export_plan_file
from plans.exchange.imports import plan_import
from plans.exchange.reading import ImportRefused
from plans.models import Plan, Procurement
from plans.register.disclosure import CENTRE

SV_HEADER = [
    "Ref", "Benämning", "Förvaltning", "Kategori", "CPV", "Uppskattat värde SEK", "Avtalstid mån",
    "Planerad annonsering", "Nuvarande avtal löper ut", "Förfarande", "Antal möjliga leverantörer",
    "Verksamhetskritisk", "Hög bytskostnad", "Sysselsättningskrav", "Reserverat kontrakt",
    "Arbetsrättsliga villkor", "Delas i lotter", "Klimatpåverkan", "Miljökravnivå", "Innovationsupphandling",
    "Ansvarig upphandlare",
]  # fmt: skip
GOOD = [
    "2027-001", "Personbilar", "SERV", "Vara", "34110000", "38 000 000", "48", "2027-03-01", "2027-05-14",
    "Öppet förfarande", "3", "Ja", "Ja", "Nej", "Nej", "Nej", "Ja", "Hög", "Spjutspets", "Nej", "",
]  # fmt: skip


def csv_bytes(rows, header=SV_HEADER, delimiter=";", bom=True):
    text = "\r\n".join(delimiter.join(str(cell) for cell in row) for row in [header, *rows])
    return (("\ufeff" if bom else "") + text).encode("utf-8")


def row(**changes):
    values = dict(zip(SV_HEADER, GOOD, strict=True))
    values.update(changes)
    return [values[column] for column in SV_HEADER]


def xlsx_bytes(rows, header=SV_HEADER):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for cells in rows:
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def plan(falun_plan, serv, omv):
    return falun_plan


def run(plan, content, filename="plan.csv", **options):
    return plan_import(plan=plan, filename=filename, content=content, **options)


def test_a_good_csv_with_semicolons_and_a_bom_imports(plan):
    result = run(plan, csv_bytes([row(), row(Ref="2027-002", Benämning="Livsmedel")]))
    assert result.ok and result.applied
    assert sorted(result.created) == ["2027-001", "2027-002"]
    cars = Procurement.objects.get(plan=plan, ref="2027-001")
    assert cars.estimated_value_sek == 38_000_000
    assert cars.planned_advertisement == date(2027, 3, 1)
    assert cars.kraljic == "strategic"  # scored in the same transaction


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("34110000-1", "34110000"),
        ("3411 0000", "34110000"),
        ("3220000", "03220000"),  # a spreadsheet dropped the leading zero
        (3220000, "03220000"),  # the same, as a number in an XLSX cell
    ],
)
def test_the_import_keeps_a_cpv_code_as_eight_digits_however_it_is_written(plan, written, kept):
    cells = row()
    cells[SV_HEADER.index("CPV")] = written
    result = run(plan, xlsx_bytes([cells]), filename="plan.xlsx")
    assert result.ok, result.errors
    assert Procurement.objects.get(plan=plan).cpv == kept


def test_a_comma_csv_without_bom_and_english_headers_and_values_imports(plan):
    header = [
        "ref", "title", "department", "category", "cpv", "estimated_value_sek", "duration_months",
        "planned_advertisement", "current_contract_ends", "procedure", "possible_suppliers",
        "business_critical", "high_switching_cost", "employment_requirement", "reserved_contract",
        "labour_conditions", "lots",
        "climate_impact", "environmental_level", "innovation", "officer",
    ]  # fmt: skip
    english = [
        "E-1", "Cars", "Serviceförvaltningen", "goods", "34110000-1", "2500000", "24", "2026-11-01", "",
        "negotiated_with_notice", "", "yes", "no", "NO", " Yes ", "no", "no", "medium", "avancerad", "no", "",
    ]  # fmt: skip
    result = run(plan, csv_bytes([english], header=header, delimiter=",", bom=False))
    assert result.ok, result.errors
    cars = Procurement.objects.get(plan=plan, ref="E-1")
    assert cars.department.code == "SERV"  # by name
    assert cars.reserved_contract and not cars.employment_requirement
    assert cars.current_contract_ends is None and cars.possible_suppliers is None


def test_values_in_either_language_are_accepted_whatever_the_header_language(plan):
    result = run(plan, csv_bytes([row(Kategori="services", Förfarande="direct_award", Klimatpåverkan="LOW")]))
    assert result.ok, result.errors
    procurement = Procurement.objects.get(plan=plan)
    assert (procurement.category, procurement.procedure, procurement.climate_impact) == (
        "services",
        "direct_award",
        "low",
    )


def test_an_xlsx_with_real_excel_dates_and_numbers_imports(plan):
    cells = row()
    cells[5] = 38_000_000
    cells[6] = 48
    cells[7] = datetime(2027, 3, 1)
    cells[8] = datetime(2027, 5, 14)
    cells[10] = 3
    result = run(plan, xlsx_bytes([cells]), filename="plan.xlsx")
    assert result.ok, result.errors
    procurement = Procurement.objects.get(plan=plan)
    assert procurement.current_contract_ends == date(2027, 5, 14)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"Ref": ""}, "rad 2: Ref saknas"),
        ({"Benämning": ""}, "rad 2: Benämning saknas"),
        ({"Ref": "a/b"}, "rad 2: Ref: Referensen"),
        ({"Förvaltning": "NOPE"}, "rad 2: Förvaltning: kommunen har ingen förvaltning ”NOPE”"),
        ({"Kategori": "Frukt"}, "rad 2: Kategori: ”Frukt” är inte något av Vara, Tjänst, Byggentreprenad"),
        ({"CPV": "3411"}, "rad 2: CPV: Ange en CPV-kod"),
        ({"Uppskattat värde SEK": "tolv"}, "rad 2: Uppskattat värde SEK: ”tolv” är inte ett belopp i kronor"),
        (
            {"Uppskattat värde SEK": "-5"},
            "rad 2: Uppskattat värde SEK: Det uppskattade värdet kan inte vara negativt",
        ),
        ({"Avtalstid mån": "0"}, "rad 2: Avtalstid mån: Avtalstiden ska vara mellan 1 och 120 månader"),
        ({"Avtalstid mån": "fyra år"}, "rad 2: Avtalstid mån: ”fyra år” är inte ett heltal"),
        ({"Planerad annonsering": "1 mars"}, "rad 2: Planerad annonsering: ”1 mars” är inte ett datum"),
        (
            {"Planerad annonsering": "2027-02-30"},
            "rad 2: Planerad annonsering: ”2027-02-30” är inte ett datum",
        ),
        (
            {"Planerad annonsering": "2028-01-01"},
            "rad 2: Planerad annonsering: Planerad annonsering ska ligga 2027",
        ),
        ({"Nuvarande avtal löper ut": "snart"}, "rad 2: Nuvarande avtal löper ut: ”snart” är inte ett datum"),
        ({"Förfarande": "Auktion"}, "rad 2: Förfarande: ”Auktion” är inte något av"),
        ({"Antal möjliga leverantörer": "0"}, "rad 2: Antal möjliga leverantörer: Ange minst en"),
        ({"Verksamhetskritisk": "Kanske"}, "rad 2: Verksamhetskritisk: ”Kanske” är varken Ja eller Nej"),
        ({"Klimatpåverkan": "Enorm"}, "rad 2: Klimatpåverkan: ”Enorm” är inte något av Låg, Medel, Hög"),
        ({"Miljökravnivå": "Grön"}, "rad 2: Miljökravnivå: ”Grön” är inte något av Ingen, Bas"),
        ({"Ansvarig upphandlare": "okand@example.se"}, "rad 2: Ansvarig upphandlare: ingen upphandlare har"),
    ],
)
def test_every_kind_of_bad_value_is_reported_with_its_line_and_nothing_is_imported(changes, message, plan):
    result = run(plan, csv_bytes([row(Ref="OK-1"), row(**changes)]), dry_run=False)
    assert not result.ok and not result.applied
    errors = [str(error) for error in result.errors]
    assert any(error.startswith(message.replace("rad 2", "rad 3")) for error in errors), errors
    assert not Procurement.objects.filter(plan=plan).exists()


def test_every_bad_row_is_listed_not_only_the_first(plan):
    rows = [row(Ref="A"), row(Ref="B", Benämning=""), row(Ref="C"), row(Ref="D", CPV="x", Kategori="?")]
    result = run(plan, csv_bytes(rows))
    assert sorted({error.line for error in result.errors}) == [3, 5]
    assert len([error for error in result.errors if error.line == 5]) == 2
    assert not Procurement.objects.filter(plan=plan).exists()


def test_a_ref_twice_in_the_file_is_a_bad_row(plan):
    result = run(plan, csv_bytes([row(), row(Benämning="Igen")]))
    assert [str(error) for error in result.errors] == ["rad 3: Referensen 2027-001 finns också på rad 2"]


def test_empty_rows_are_skipped_but_counted_in_line_numbers(plan):
    content = csv_bytes([row(Ref="A"), [""] * len(SV_HEADER), row(Ref="B", Benämning="")])
    assert [error.line for error in run(plan, content).errors] == [4]


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("plan.pdf", b"%PDF-1.4", "Ladda upp en Excelfil"),
        ("plan.xlsx", b"not a zip at all", "inte en läsbar Excelarbetsbok"),
        ("plan.csv", "Ref;Benämning\n".encode("utf-16"), "NUL"),
        ("plan.csv", "Ref;Benämning;Förvaltning\nA;Bilar för 5 år\n".encode("latin-1"), "UTF-8"),
        ("plan.csv", b"", "tom"),
        ("plan.csv", "Ref;Benämning\nA;B\n".encode(), "Kolumner saknas"),
        ("plan.csv", csv_bytes([], header=[*SV_HEADER, "Ref"]), "förekommer två gånger"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_whole(filename, content, message, plan):
    with pytest.raises(ImportRefused) as refused:
        run(plan, content, filename=filename)
    assert message in str(refused.value)


def test_a_file_over_the_row_limit_is_refused(plan, settings):
    settings.IMPORT_MAX_ROWS = 3
    with pytest.raises(ImportRefused, match="fler än 3 rader"):
        run(plan, csv_bytes([row(Ref=f"R{n}") for n in range(4)]))


def test_unknown_columns_and_the_score_columns_are_ignored(plan):
    header = [*SV_HEADER, "Kommentar", "Ekonomisk vikt", "Prioritet"]
    result = run(plan, csv_bytes([[*row(), "valfri", "5", "99,0"]], header=header))
    assert result.ok
    assert Procurement.objects.get(plan=plan).economic_score == 4  # computed, not read


def test_dry_run_writes_nothing(plan):
    result = run(plan, csv_bytes([row()]), dry_run=True)
    assert result.ok and not result.applied and result.created == ["2027-001"]
    assert not Procurement.objects.exists()


def test_existing_refs_are_updated_and_equal_rows_are_unchanged(plan):
    run(plan, csv_bytes([row(), row(Ref="2027-002")]))
    before = Procurement.objects.get(plan=plan, ref="2027-002")
    result = run(plan, csv_bytes([row(Benämning="Elbilar"), row(Ref="2027-002"), row(Ref="2027-003")]))
    assert (result.created, result.updated, result.unchanged) == (["2027-003"], ["2027-001"], ["2027-002"])
    cars = Procurement.objects.get(plan=plan, ref="2027-001")
    assert cars.title == "Elbilar" and cars.version == 2
    assert Procurement.objects.get(pk=before.pk).updated_at == before.updated_at


def test_reimporting_the_same_file_changes_nothing(plan):
    content = csv_bytes([row(), row(Ref="2027-002", Benämning="Mat")])
    run(plan, content)
    snapshot = list(Procurement.objects.order_by("pk").values())
    result = run(plan, content)
    assert result.unchanged == ["2027-001", "2027-002"] and not result.created and not result.updated
    assert list(Procurement.objects.order_by("pk").values()) == snapshot


def test_create_departments_adds_what_the_file_names(plan):
    content = csv_bytes([row(Förvaltning="Räddningstjänsten Dala Mitt")])
    assert not run(plan, content).ok
    result = run(plan, content, create_departments=True)
    assert result.ok and result.new_departments == ["Räddningstjänsten Dala Mitt"]
    procurement = Procurement.objects.get(plan=plan)
    assert procurement.department.name == "Räddningstjänsten Dala Mitt"
    assert procurement.department.code == "RDM"


def test_the_officer_is_found_by_email(plan, officer):
    result = run(plan, csv_bytes([row(**{"Ansvarig upphandlare": officer.email.upper()})]))
    assert result.ok, result.errors
    assert Procurement.objects.get(plan=plan).officer == officer


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_imports_back_to_identical_rows(language, fmt, falun, centre, db):
    call_command("load_demo", verbosity=0)
    source = Plan.objects.get(municipality__slug="falun", year=2017)
    content, _type, extension = export_plan_file(
        plan=source,
        procurements=source.procurements.all(),
        fmt=fmt,
        language=language,
        disclosure=CENTRE,
        now=None,
    )
    target = Plan.objects.create(municipality=source.municipality, year=2017 + 20)
    result = run(target, content, filename=f"plan.{extension}")
    assert result.ok, result.errors[:5]
    assert len(result.created) == 99
    fields = [
        "ref", "title", "department_id", "category", "cpv", "estimated_value_sek",
        "duration_months", "planned_advertisement", "current_contract_ends", "procedure",
        "possible_suppliers", "business_critical", "high_switching_cost", "employment_requirement",
        "reserved_contract", "labour_conditions", "lots", "climate_impact", "environmental_level",
        "innovation", "officer_id", "economic_score", "social_score", "environmental_score",
        "supply_risk_score", "kraljic", "strategic", "priority",
    ]  # fmt: skip
    exported = list(source.procurements.order_by("ref").values_list(*fields))
    imported = list(target.procurements.order_by("ref").values_list(*fields))
    assert imported == exported
    again = run(target, content, filename=f"plan.{extension}")
    assert len(again.unchanged) == 99


def test_the_command_imports_and_reports(plan, tmp_path, capsys):
    path = tmp_path / "plan.csv"
    path.write_bytes(csv_bytes([row()]))
    call_command("import_plan", str(path), "--municipality", "falun", "--year", "2027")
    assert "1 skapade, 0 uppdaterade, 0 oförändrade" in capsys.readouterr().out


def test_the_command_creates_a_missing_plan(falun, serv, tmp_path):
    path = tmp_path / "plan.csv"
    path.write_bytes(csv_bytes([row(**{"Planerad annonsering": "2029-02-01"})]))
    call_command("import_plan", str(path), "--municipality", "falun", "--year", "2029")
    assert Plan.objects.get(municipality=falun, year=2029).procurements.count() == 1


def test_the_command_dry_run_creates_no_plan(falun, serv, tmp_path, capsys):
    path = tmp_path / "plan.csv"
    path.write_bytes(csv_bytes([row(**{"Planerad annonsering": "2029-02-01"})]))
    call_command("import_plan", str(path), "--municipality", "falun", "--year", "2029", "--dry-run")
    assert "inget skrevs" in capsys.readouterr().out
    assert not Plan.objects.filter(year=2029).exists()


def test_the_command_lists_every_bad_row_and_fails(plan, tmp_path, capsys):
    path = tmp_path / "plan.csv"
    path.write_bytes(csv_bytes([row(), row(Ref="X", Benämning=""), row(Ref="Y", CPV="1")]))
    with pytest.raises(CommandError, match="2 rader är felaktiga; inget importerades"):
        call_command("import_plan", str(path), "--municipality", "falun", "--year", "2027")
    errors = capsys.readouterr().err
    assert "rad 3: Benämning saknas" in errors and "rad 4: CPV" in errors
    assert not Procurement.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--municipality", "nowhere", "--year", "2027"], "ingen kommun"),
        (["--municipality", "falun", "--year", "2027", "--format"], None),
    ],
)
def test_the_command_refuses_an_unknown_municipality(args, message, plan, tmp_path):
    path = tmp_path / "plan.csv"
    path.write_bytes(csv_bytes([row()]))
    if message is None:
        with pytest.raises((CommandError, SystemExit)):
            call_command("import_plan", str(path), *args)
    else:
        with pytest.raises(CommandError, match=message):
            call_command("import_plan", str(path), *args)


def test_the_command_exits_non_zero_from_the_shell(plan, tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    path = tmp_path / "plan.csv"
    path.write_bytes(csv_bytes([row(Benämning="")]))
    root = Path(__file__).resolve().parents[3]
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "import_plan",
            str(path),
            "--municipality",
            "nowhere",
            "--year",
            "2027",
        ],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0


def test_a_5000_row_file_imports(plan, capsys):
    rows = [row(Ref=f"R-{n:05d}", **{"Uppskattat värde SEK": str(100_000 + n * 7_919)}) for n in range(5000)]
    content = csv_bytes(rows)
    started = time.perf_counter()
    result = run(plan, content)
    elapsed = time.perf_counter() - started
    assert result.ok and len(result.created) == 5000
    assert Procurement.objects.filter(plan=plan).count() == 5000
    assert Procurement.objects.filter(plan=plan, economic_score=5).exists() is False
    with capsys.disabled():
        print(f"\n[measure] 5 000-row CSV imported in {elapsed:.2f} s")


OUTCOME_HEADER = [
    *SV_HEADER,
    "Status",
    "Annonserades",
    "Antal anbud",
    "Anbud från små och medelstora företag",
    "Överprövad",
]


def test_the_follow_up_columns_import_into_an_outcome(plan):
    content = csv_bytes([[*row(), "Tilldelad", "2027-03-01", "4", "3", "Nej"]], header=OUTCOME_HEADER)
    result = run(plan, content)
    assert result.ok, result.errors
    outcome = Procurement.objects.get(plan=plan).outcome
    assert (outcome.status, outcome.bids, outcome.sme_bids, outcome.appealed) == ("awarded", 4, 3, False)


def test_follow_up_for_a_procurement_whose_ref_changes_case(plan):
    """A re-import may write a ref in another case ("a-1" for "A-1"): the same procurement, renamed, and
    its first follow-up attached to it (this once ended in a server error)."""
    assert run(plan, csv_bytes([row(Ref="A-1")])).ok
    result = run(
        plan,
        csv_bytes([[*row(Ref=" a-1 "), "Tilldelad", "2027-03-01", "4", "3", "Nej"]], header=OUTCOME_HEADER),
    )
    assert result.ok and result.applied, result.errors
    procurement = Procurement.objects.get(plan=plan)
    assert procurement.ref == "a-1"
    assert (procurement.outcome.status, procurement.outcome.bids) == ("awarded", 4)


def test_an_adopted_plan_takes_follow_up_columns_only(plan):
    run(plan, csv_bytes([row()]))
    Plan.objects.filter(pk=plan.pk).update(adopted_on=date(2026, 11, 1))
    plan.refresh_from_db()
    outcome_only = run(
        plan, csv_bytes([[*row(), "Tilldelad", "2027-03-01", "5", "2", "Ja"]], header=OUTCOME_HEADER)
    )
    assert outcome_only.ok and outcome_only.updated == ["2027-001"]
    assert Procurement.objects.get(plan=plan).outcome.appealed
    changed = run(
        plan, csv_bytes([[*row(Benämning="Ändrad"), "Tilldelad", "", "5", "2", "Ja"]], header=OUTCOME_HEADER)
    )
    assert [str(error) for error in changed.errors] == [
        "rad 2: Planen är antagen: bara uppföljningskolumnerna kan ändras"
    ]
    assert Procurement.objects.get(plan=plan).title == "Personbilar"


def test_negative_bids_are_a_bad_row(plan):
    content = csv_bytes([[*row(), "Tilldelad", "2027-03-01", "-1", "", "Nej"]], header=OUTCOME_HEADER)
    assert [str(error) for error in run(plan, content).errors] == [
        "rad 2: Antal anbud kan inte vara negativt"
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_follow_up_exports_and_imports_back(fmt, db):
    call_command("load_demo", verbosity=0)
    source = Plan.objects.get(municipality__slug="falun", year=2017)
    content, _type, extension = export_plan_file(
        plan=source,
        procurements=source.procurements.all(),
        fmt=fmt,
        language="sv",
        disclosure=CENTRE,
        now=None,
        outcomes=True,
    )
    target = Plan.objects.create(municipality=source.municipality, year=2040)
    result = run(target, content, filename=f"plan.{extension}")
    assert result.ok, result.errors[:3]
    fields = [
        "procurement__ref",
        "status",
        "bids",
        "sme_bids",
        "appealed",
        "awarded_value_sek",
        "contract_starts",
    ]
    from plans.models import Outcome

    exported = list(
        Outcome.objects.filter(procurement__plan=source).order_by("procurement__ref").values_list(*fields)
    )
    imported = list(
        Outcome.objects.filter(procurement__plan=target).order_by("procurement__ref").values_list(*fields)
    )
    # Procurements without an outcome export as "not started" and import as such.
    assert [row for row in imported if row[1] != "not_started" or row[2] is not None] == exported
