"""
The coming year's demo plans are written for one plan year (2027: refs 2027-001 …, dates in 2026 and
2027) and loaded for whatever year is coming when the demo is loaded. `table_for_year` moves such a
file to another year: it is applied to the file's parsed rows, before the import reads the file (the
loader hands the moved rows to the import as CSV), so the import checks and stores the moved file
exactly as it would an officer's upload. `plan_file_for_year` does the same to a file's bytes.

Pure: no database.
"""

import re
from datetime import date, timedelta

from plans.demo.files import Table, csv_bytes, parse_csv
from plans.remiss.phases import default_remiss_window

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def coming_year_window(today: date) -> tuple[date, date]:
    """The default window of next year's plan, or (outside August–November) one that is open today."""
    starts, ends = default_remiss_window(today.year + 1)
    if starts <= today <= ends:
        return starts, ends
    return today - timedelta(days=45), today + timedelta(days=75)


def moved_by_years(day: date, years: int) -> date:
    """The same day `years` later (earlier when negative); 29 February becomes 28 February in a year
    without one."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February, moved to a common year
        return day.replace(year=day.year + years, day=28)


def moved_ref(ref: str, written_for: int, year: int) -> str:
    """A ref that starts with the year the file was written for ("2027-001") starts with `year` instead
    ("2028-001"); any other ref stays as it is."""
    prefix = f"{written_for}-"
    if ref.startswith(prefix):
        return f"{year}-{ref[len(prefix) :]}"
    return ref


def table_for_year(table: Table, *, written_for: int, year: int) -> Table:
    """The table with every date cell moved by `year - written_for` years and every ref moved to `year`.

    Date columns are those the import reads as dates; an empty cell stays empty, and a cell that is not
    an ISO date (2027-03-01) is left as it is, for the import to refuse with its own message.
    """
    years = year - written_for
    columns = {
        index: column
        for index, column in table.columns().items()
        if column.key == "ref" or column.kind == "date"
    }
    rows = []
    for row in table.rows:
        moved = list(row)
        for index, column in columns.items():
            cell = moved[index].strip() if index < len(moved) else ""
            if column.key == "ref" and cell:
                moved[index] = moved_ref(cell, written_for, year)
            elif column.kind == "date" and ISO_DATE.fullmatch(cell):
                try:
                    moved[index] = moved_by_years(date.fromisoformat(cell), years).isoformat()
                except ValueError:  # no such day (2027-02-30): the import refuses it
                    continue
        rows.append(moved)
    return Table(header=list(table.header), rows=rows)


def plan_file_for_year(content: bytes, *, written_for: int, year: int) -> bytes:
    """A plan file (CSV) written for the plan year `written_for`, moved to the plan year `year`: what the
    import reads when the coming year's demo plan is loaded. See `table_for_year`."""
    return csv_bytes(table_for_year(parse_csv(content), written_for=written_for, year=year))
