"""Moving a plan file written for one year (the coming year's demo plans, written for 2027) to another."""

from datetime import date

import pytest

from plans.demo import DATA, moved_by_years, moved_ref, plan_file_for_year
from plans.demo.files import csv_bytes, followup_part, parse_csv, plan_part


@pytest.mark.parametrize(
    ("day", "years", "moved"),
    [
        (date(2027, 3, 1), 0, date(2027, 3, 1)),
        (date(2027, 3, 1), 1, date(2028, 3, 1)),
        (date(2027, 3, 1), -1, date(2026, 3, 1)),
        (date(2026, 12, 31), 1, date(2027, 12, 31)),
        (date(2027, 1, 1), -1, date(2026, 1, 1)),
        (date(2028, 2, 29), 0, date(2028, 2, 29)),
        (date(2028, 2, 29), 1, date(2029, 2, 28)),
        (date(2028, 2, 29), -1, date(2027, 2, 28)),
        (date(2028, 2, 29), 4, date(2032, 2, 29)),
        (date(2027, 2, 28), 1, date(2028, 2, 28)),  # 28 February stays 28 February in a leap year
    ],
)
def test_moved_by_years(day, years, moved):
    assert moved_by_years(day, years) == moved


@pytest.mark.parametrize(
    ("ref", "year", "moved"),
    [
        ("2027-001", 2027, "2027-001"),
        ("2027-001", 2028, "2028-001"),
        ("2027-001", 2026, "2026-001"),
        ("2027-030-B", 2030, "2030-030-B"),
        ("2026-001", 2028, "2026-001"),  # not the year the file was written for
        ("2027", 2028, "2027"),
        ("FAL-2027-001", 2028, "FAL-2027-001"),
    ],
)
def test_moved_ref(ref, year, moved):
    assert moved_ref(ref, 2027, year) == moved


HEADER = (
    "Ref;Benämning;Förvaltning;Kategori;CPV;Uppskattat värde SEK;Avtalstid mån;Planerad annonsering;"
    "Nuvarande avtal löper ut;Förfarande;Klimatpåverkan;Miljökravnivå;Beskrivning"
)


def plan_file(*rows: str) -> bytes:
    return ("\ufeff" + "\n".join([HEADER, *rows]) + "\n").encode("utf-8")


def cells(content: bytes) -> list[list[str]]:
    return parse_csv(content).rows


def test_a_file_written_for_a_leap_year_moved_a_year_later():
    content = plan_file(
        "2028-001;Bilar;SERV;Vara;34110000;100000;12;2028-02-29;2027-12-31;Öppet förfarande;Låg;Bas;"
        "Leasing 2028-02-29",
        "2028-002;Städ;SERV;Tjänst;90910000;100000;12;2027-11-15;;Öppet förfarande;Låg;Bas;",
    )
    moved = cells(plan_file_for_year(content, written_for=2028, year=2029))
    assert [row[:1] + row[7:9] for row in moved] == [
        ["2029-001", "2029-02-28", "2028-12-31"],
        ["2029-002", "2028-11-15", ""],
    ]
    assert moved[0][12] == "Leasing 2028-02-29"  # only the import's date columns move


def test_a_file_moved_a_year_earlier_and_to_its_own_year():
    content = plan_file(
        "2027-001;Bilar;SERV;Vara;34110000;100000;12;2027-02-01;2026-12-31;Öppet förfarande;Låg;Bas;x"
    )
    (moved,) = cells(plan_file_for_year(content, written_for=2027, year=2026))
    assert [moved[0], *moved[7:9]] == ["2026-001", "2026-02-01", "2025-12-31"]
    assert moved[1:7] + moved[9:] == cells(content)[0][1:7] + cells(content)[0][9:]
    assert cells(plan_file_for_year(content, written_for=2027, year=2027)) == cells(content)


def test_a_cell_that_is_not_a_date_is_left_for_the_import_to_refuse():
    content = plan_file(
        "2027-001;Bilar;SERV;Vara;34110000;100000;12;1 mars 2027;2027-02-30;Öppet förfarande;Låg;Bas;"
    )
    assert cells(plan_file_for_year(content, written_for=2027, year=2028))[0][7:9] == [
        "1 mars 2027",
        "2027-02-30",
    ]


def test_the_plan_and_its_follow_up_are_two_parts_of_one_file():
    table = parse_csv((DATA / "falun-2017.csv").read_bytes())
    plan, followup = plan_part(table), followup_part(table)
    assert len(plan.rows) == len(table.rows) == 99
    assert "Status" not in plan.header and "Ref" in plan.header
    assert followup.header == table.header
    assert len(followup.rows) == 89  # ten procurements have no outcome recorded
    assert followup_part(plan) is None
    assert parse_csv(csv_bytes(table)) == table
