"""
The demo's plan files as tables of text: read, written back, and split into the plan and its follow-up.

The files are CSV as the plan's Swedish export writes it (UTF-8 with a byte-order mark, semicolons,
Swedish headers and values). Which column is which is decided by the import's own reading of the
header (`plans.imports.map_header`), so these functions and the import cannot disagree.

Pure: no database.
"""

import csv
import io
from dataclasses import dataclass

from plans.exchange.checking import map_header


class DemoDataError(Exception):
    """The demo's data does not fit: a file the import refuses, or activity naming what is not there."""


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[str]]

    def columns(self) -> dict:
        """Column index → the import's column (its key, kind, and whether it is a follow-up column)."""
        return map_header(self.header)

    def keys(self) -> dict[str, int]:
        """The import's field name (ref, planned_advertisement, status …) → the column's index."""
        return {column.key: index for index, column in self.columns().items()}

    def followup_indexes(self) -> set[int]:
        return {index for index, column in self.columns().items() if column.outcome}


def parse_csv(content: bytes) -> Table:
    reader = csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";")
    header, *rows = list(reader)
    return Table(header=header, rows=[row for row in rows if any(cell.strip() for cell in row)])


def csv_bytes(table: Table) -> bytes:
    """The table as the export writes it (the import reads it back unchanged)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(table.header)
    writer.writerows(table.rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def plan_part(table: Table) -> Table:
    """Every row without the follow-up columns: the plan as it was ordered."""
    dropped = table.followup_indexes()

    def kept(cells):
        return [cell for index, cell in enumerate(cells) if index not in dropped]

    return Table(header=kept(table.header), rows=[kept(row) for row in table.rows])


def followup_part(table: Table) -> Table | None:
    """The rows whose follow-up is recorded (their Status is filled in), with every column; None when the
    file has no follow-up columns.

    The import gives every row of a file with follow-up columns an outcome ("not started" where the
    cells are empty), so a procurement whose outcome was never recorded must be left out of this part.
    """
    if not table.followup_indexes():
        return None
    status = table.keys().get("status")
    if status is None:  # follow-up without a status: every row carries it
        return Table(header=list(table.header), rows=list(table.rows))
    rows = [row for row in table.rows if status < len(row) and row[status].strip()]
    return Table(header=list(table.header), rows=rows)
