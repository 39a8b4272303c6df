"""The import template: an empty XLSX with the import headers, and the values each column accepts."""

import io

from django.utils import translation
from django.utils.translation import gettext as _

from plans.exchange.columns import COLUMNS, YES_NO


def header_row(sheet, headers: list[str], *, freeze: str) -> None:
    """The template's first row: the headers in bold on a pale blue, each column wide enough for its
    header, frozen at freeze (a cell such as "A2")."""
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet.append(headers)
    for number in range(1, len(headers) + 1):
        cell = sheet.cell(row=1, column=number)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DCE6EF")
        sheet.column_dimensions[get_column_letter(number)].width = max(14, len(cell.value) + 2)
    sheet.freeze_panes = freeze


def template_xlsx(*, plan=None, language: str = "sv") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    index = 1 if language == "en" else 0
    with translation.override(language):
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = _("Procurement plan")[:31]
        header_row(sheet, [column.header(language) for column in COLUMNS], freeze="A2")

        values = workbook.create_sheet(_("Allowed values")[:31])
        values.append([_("Column"), _("Accepted values")])
        values["A1"].font = values["B1"].font = Font(bold=True)
        for column in COLUMNS:
            if column.kind == "choice":
                accepted = ", ".join(names[index] for names in column.names.values())
            elif column.kind == "bool":
                accepted = f"{YES_NO[True][index]} / {YES_NO[False][index]}"
            elif column.kind == "date":
                accepted = _("A date, 2027-03-01")
            elif column.kind == "amount":
                accepted = _("Kronor, e.g. 12 400 000")
            elif column.kind == "department" and plan is not None:
                departments = plan.municipality.departments.order_by("code")
                accepted = ", ".join(f"{d.code} ({d.name})" for d in departments)
            elif column.kind == "officer":
                accepted = _("The officer's e-mail address, or empty")
            elif column.kind == "email":
                accepted = _("An e-mail address, or empty")
            else:
                accepted = ""
            values.append([column.header(language), accepted])
        values.column_dimensions["A"].width = 30
        values.column_dimensions["B"].width = 100
        buffer = io.BytesIO()
        workbook.save(buffer)
    return buffer.getvalue()
