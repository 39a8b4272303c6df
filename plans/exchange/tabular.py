"""
The plan as CSV and XLSX: the import columns, then the scores (DESIGN §4), so that an export imports
back unchanged. Swedish headers and values by default, English with language="en".

A cell whose text starts with =, +, - or @ could run as a formula when the file is opened: the CSV
gets a leading apostrophe (which the importer removes again), and the XLSX stores such text as text.

Text that a spreadsheet opening the Swedish CSV would take for a number or a date (a CPV code, whose
leading zero it drops: 03220000 becomes 3220000; a ref such as 001 or 1E5) is written as the text formula
="03220000", which Excel and LibreOffice show as the text itself and the importer reads back as it
(plans.exchange.reading). The English CSV, a file for programs rather than spreadsheets, stays plain.
The XLSX keeps such text as text cells, the CPV column formatted as text.
"""

import io
import re
from datetime import date
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _

from plans.exchange.columns import EXPORT_COLUMNS, OUTCOME_COLUMNS, format_value
from plans.models import Plan, Rubric

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
AMOUNT_COLUMNS = {"estimated_value_sek", "awarded_value_sek"}
# Text made of what numbers and dates are written with: a spreadsheet would convert it on opening.
NUMBER_LIKE = re.compile(r"[0-9][0-9 \u00a0.,:/+\-eE%]*")


def export_rows(
    procurements, *, language: str, disclosure, outcomes: bool = False, officer_emails: bool = True
) -> tuple[list, list]:
    """The header and one list of values per procurement (Python values: int, date, Decimal, str).

    With outcomes=True the follow-up columns come after the scores (they import back too). Without
    officer_emails the officer column is empty: the public reads an officer's address only where the
    plan names it for suppliers' questions (Plan.show_officer_email, issue 17).
    """
    columns = EXPORT_COLUMNS + (OUTCOME_COLUMNS if outcomes else [])
    header = [column.header(language) for column in columns]
    rows = []
    for procurement in procurements:
        row = []
        outcome = getattr(procurement, "outcome", None) if outcomes else None
        for column in columns:
            if column.outcome:
                value = getattr(outcome, column.key) if outcome is not None else None
                if column.key == "status" and outcome is None:
                    value = "not_started"
                row.append(format_value(column, value, language))
                continue
            if column.key == "department":
                value = procurement.department.code
            elif column.key == "officer":
                value = procurement.officer.email if procurement.officer_id and officer_emails else ""
            elif column.key == "estimated_value_sek":
                value = disclosure.value(procurement)
                value = "" if value is None else value
            else:
                value = getattr(procurement, column.key)
            row.append(format_value(column, value, language))
        rows.append(row)
    return header, rows


def guard_formula(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class TextFormula(str):
    """="03220000": written as it is, unquoted, as spreadsheets know the form."""


def text_formula(text: str) -> str:
    """Text as the Swedish CSV writes it: as a text formula when a spreadsheet would read a number or a
    date in it, else guarded against formulas (guard_formula)."""
    if NUMBER_LIKE.fullmatch(text):
        return TextFormula(f'="{text}"')
    return guard_formula(text)


def write_csv(header: list, rows: list, *, language: str) -> bytes:
    """UTF-8 with a byte-order mark, as Excel wants it; semicolons, decimal commas and text formulas for
    number-like text in Swedish."""
    delimiter, decimal_mark = (",", ".") if language == "en" else (";", ",")
    lines = [_csv_line(header, delimiter)]
    for row in rows:
        lines.append(_csv_line([_csv_cell(value, decimal_mark, language) for value in row], delimiter))
    return ("\ufeff" + "".join(lines)).encode("utf-8")


def _csv_line(cells: list, delimiter: str) -> str:
    """One line, quoted as the csv module quotes (only cells holding the delimiter, a quote or a line
    break), but a text formula as it is, the form spreadsheets know (the csv module would quote it and
    double its quotes)."""
    fields = (cell if isinstance(cell, TextFormula) else _quoted(cell, delimiter) for cell in cells)
    return delimiter.join(fields) + "\r\n"


def _quoted(text: str, delimiter: str) -> str:
    if any(char in text for char in (delimiter, '"', "\r", "\n")):
        return '"' + text.replace('"', '""') + '"'
    return text


def _csv_cell(value, decimal_mark: str, language: str) -> str:
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", decimal_mark)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return guard_formula(value) if language == "en" else text_formula(value)
    return str(value)


def write_xlsx(
    header: list,
    rows: list,
    *,
    language: str,
    plan: Plan | None,
    rubric: Rubric | None,
    keys: list[str] | None = None,
    title: str = "",
) -> bytes:
    """Frozen headers, a filter, sensible widths, SEK and date formats, and the rubric on a second sheet.

    keys: the columns' keys, where they are not the plan export's (the centre's year adds its own, issue
    16); without a plan and rubric there is no rubric sheet (that year's plans each have their own)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    with translation.override(language):
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = (title or _("Procurement plan"))[:31]
        sheet.append(header)
        bold, fill = Font(bold=True), PatternFill("solid", fgColor="DCE6EF")
        for cell in sheet[1]:
            cell.font, cell.fill = bold, fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        widths = [min(max(len(str(title)), 8), 30) for title in header]
        for row in rows:
            sheet.append(row)
            for index, value in enumerate(row):
                length = len(str(value)) if not isinstance(value, date) else 10
                widths[index] = min(max(widths[index], length + 2), 60)
        if keys is None:
            keys = [column.key for column in EXPORT_COLUMNS + OUTCOME_COLUMNS][: len(header)]
        for row_cells in sheet.iter_rows(min_row=2):
            for key, cell in zip(keys, row_cells, strict=True):
                if key in AMOUNT_COLUMNS and isinstance(cell.value, int):
                    cell.number_format = '#,##0 "kr"'
                elif isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
                elif isinstance(cell.value, Decimal):
                    cell.number_format = "0.0"
                elif key == "cpv":
                    cell.number_format = "@"  # text, so that a code typed over it keeps its leading zero
                elif isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                    cell.data_type = "s"  # text, never a formula
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        # Frozen up to the title, so that each row says what it is however far it is scrolled.
        sheet.freeze_panes = f"{get_column_letter(keys.index('title') + 2)}2" if "title" in keys else "A2"
        sheet.auto_filter.ref = sheet.dimensions
        if plan is not None and rubric is not None:
            _rubric_sheet(workbook.create_sheet(_("Rubric")[:31]), plan=plan, rubric=rubric, bold=bold)
        buffer = io.BytesIO()
        workbook.save(buffer)
    return buffer.getvalue()


def _rubric_sheet(sheet, *, plan: Plan, rubric: Rubric, bold):
    sheet.append([str(plan)])
    sheet["A1"].font = bold
    sheet.append([_("The rubric the scores were computed with")])
    sheet.append([])
    sheet.append([_("Setting"), _("Value")])
    for cell in sheet[4]:
        cell.font = bold
    for name in Rubric.EDITABLE_FIELDS:
        value = getattr(rubric, name)
        label = str(Rubric._meta.get_field(name).verbose_name)
        sheet.append([label[:1].upper() + label[1:], value])
        if name in {"direct_award_limit", "eu_threshold"} or name.startswith("economic_limit"):
            sheet.cell(row=sheet.max_row, column=2).number_format = '#,##0 "kr"'
    sheet.column_dimensions["A"].width = 50
    sheet.column_dimensions["B"].width = 18
