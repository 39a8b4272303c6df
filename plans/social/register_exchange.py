"""
The register of social enterprises as a spreadsheet (issue 18): exported as XLSX or CSV, imported from
either, all or nothing, so that an export edited and imported again changes what was edited and nothing
else.

1. The file is read as the plan's import reads it (plans.exchange.reading: the size first, zip and XML
   bombs, NUL bytes, UTF-8, formulas), with limits for a file imported while the user waits: MAX_BYTES
   and MAX_ROWS. Too large, unreadable, a required column missing or a column named twice: the file is
   refused whole. Unknown headers are ignored and named to the user.
2. The columns have Swedish and English headers (COLUMNS); the export writes the Swedish ones.
3. Every row is checked and everything wrong with it reported with its line (the header is line 1):
   the organisation number with its check digit; the municipality, one of the centre's by name or short
   name; the CPV codes by the form's rule (plans.social.register_forms.read_cpv_codes); the categories
   separated by ";"; at least one code or category; an organisation number twice in the file.
4. Only when every row is right is anything saved, in one transaction: a row whose organisation number
   is in the register updates that enterprise, any other adds one (register_services.enterprises_save).
"""

import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.org_numbers import OrgNumberError, normalise_org_number
from plans.exchange.checking import (
    FORMULA_MESSAGE,
    RowError,
    clean_cell,
    missing_columns_message,
    named_columns,
    read_cells,
)
from plans.exchange.columns import YES_NO, Column, normal
from plans.exchange.reading import Formula, ImportRefused, read_table
from plans.exchange.tabular import write_csv, write_xlsx
from plans.exchange.template import header_row
from plans.models import Category, SocialEnterprise
from plans.social.register_forms import MAX_CPV_CODES, NO_SERVICES, CpvListError, read_cpv_codes
from plans.social.register_services import DuplicateOrgNumber, enterprises_save

# A register is imported in the request: a centre has tens or hundreds of social enterprises.
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 1000

# The categories as the register's spreadsheet writes them (plural, as the services are listed), and
# also read in the singular of the plan's spreadsheet.
CATEGORY_NAMES = {
    Category.GOODS: ("Varor", "goods"),
    Category.SERVICES: ("Tjänster", "services"),
    Category.WORKS: ("Byggentreprenad", "works"),
}
CATEGORY_LOOKUP = {
    normal(spelling): code for code, names in CATEGORY_NAMES.items() for spelling in (*names, code)
}
CATEGORY_LOOKUP |= {"vara": Category.GOODS, "tjänst": Category.SERVICES}
LIST_SEPARATOR = re.compile(r"[;,\n]")
# An enterprise offers something: a CPV code or a category (or both).
SERVICE_KEYS = {"cpv_codes", "categories"}

COLUMNS = [
    Column("name", "Namn", "text", required=True),
    Column("org_number", "Organisationsnummer", "org_number", required=True),
    Column("municipality", "Kommun", "municipality", required=True),
    Column("contact_name", "Kontaktperson", "text"),
    Column("contact_email", "E-post", "email"),
    Column("contact_phone", "Telefon", "text"),
    Column("cpv_codes", "CPV-koder", "cpv_codes"),
    Column("categories", "Kategorier", "categories"),
    Column("services", "Tjänster", "text"),
    Column("capacity", "Kapacitet (personer per år)", "count"),
    Column("reserved_qualified", "Reserverad upphandling (LOU 4:18)", "bool"),
]
HEADERS = {normal(spelling): column for column in COLUMNS for spelling in (column.key, column.sv)}
# The export's keys as plans.exchange.tabular.write_xlsx formats them: the name frozen like a plan's
# title, the codes as text.
XLSX_KEYS = {"name": "title", "cpv_codes": "cpv"}
LIMITS = {
    name: SocialEnterprise._meta.get_field(name).max_length
    for name in ("name", "contact_name", "contact_email", "contact_phone", "services")
}


@dataclass
class RegisterImportResult:
    total: int = 0
    added: int = 0
    updated: int = 0
    errors: list = field(default_factory=list)  # RowError, in line order
    unknown: list = field(default_factory=list)  # headers nobody knows, ignored

    @property
    def ok(self) -> bool:
        return not self.errors


def enterprises_import(*, centre, filename: str, content: bytes, user) -> RegisterImportResult:
    """Check the file against the centre's register and, if every row is right, save its rows in one
    transaction. ImportRefused when the file as a whole cannot be read."""
    if len(content) > MAX_BYTES:
        raise ImportRefused(
            _("The file is %(size)s MB; the register is imported from files of at most %(limit)s MB.")
            % {"size": round(len(content) / 1_048_576, 1), "limit": round(MAX_BYTES / 1_048_576)}
        )
    header, rows = read_table(filename, content)
    if len(rows) > MAX_ROWS:
        raise ImportRefused(
            _("The file has %(count)d rows; import at most %(limit)d enterprises at a time.")
            % {"count": len(rows), "limit": MAX_ROWS}
        )
    columns, unknown, header_errors = map_header(header)
    result = RegisterImportResult(total=len(rows), unknown=unknown)
    municipalities = {}
    for municipality in centre.municipalities.all():
        municipalities[normal(municipality.slug)] = municipality
        municipalities.setdefault(normal(municipality.name), municipality)
    checked, errors = check_rows(header, columns, rows, municipalities)
    result.errors = header_errors + errors
    if result.errors:
        return result
    try:
        with transaction.atomic():
            result.added, result.updated = enterprises_save(centre=centre, rows=checked, user=user)
    except DuplicateOrgNumber:
        # Someone added one of the file's enterprises while it was being checked.
        result.errors = [RowError(1, _("The register changed while the file was read. Upload it again."))]
    return result


def map_header(header: list) -> tuple[dict, list, list]:
    """Which column each header cell names, the unknown headers, and a formula in the header as an error
    of line 1. ImportRefused for a column twice or a required one missing."""
    by_index, seen, unknown, errors = named_columns(header, lambda text: HEADERS.get(normal(text)))
    missing = [column for column in COLUMNS if column.required and column.key not in seen]
    if missing:
        raise ImportRefused(missing_columns_message(missing))
    return by_index, unknown, errors


def check_rows(header: list, columns: dict, rows: list, municipalities: dict) -> tuple[list, list]:
    """Every right row as the enterprise's fields, and every error found; both complete."""
    checked, errors, lines_by_number = [], [], {}
    labels = {index: str(header[index]).strip() for index in columns}
    label_of = {column.key: labels[index] for index, column in columns.items()}

    def clean(index, column, cell):
        return _clean(column, cell, labels[index], municipalities)

    for line, cells in rows:
        values, problems, failed = read_cells(cells, columns, clean)
        if not values.get("cpv_codes") and not values.get("categories") and not failed & SERVICE_KEYS:
            label = label_of.get("cpv_codes") or label_of.get("categories") or COLUMNS[6].sv
            problems.append(f"{label}: {NO_SERVICES}")
        number = values.get("org_number")
        if number:
            if number in lines_by_number:
                problems.append(
                    _("the organisation number %(number)s is also on row %(line)d")
                    % {"number": number, "line": lines_by_number[number]}
                )
            else:
                lines_by_number[number] = line
        if not problems:
            problems.extend(_model_problems(values, label_of))
        if problems:
            errors.extend(RowError(line, problem) for problem in problems)
        else:
            checked.append(values)
    return checked, errors


def _model_problems(values: dict, label_of: dict) -> list[str]:
    """What the model's own checks find: nothing, when the cells were read right; a safety net against a
    rule of the model that the cells do not know."""
    enterprise = SocialEnterprise(**values)
    try:
        enterprise.full_clean(
            exclude=["centre", "updated_by"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        return [
            f"{label_of.get(name, name)}: {message}"
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
    return []


def _clean(column: Column, value, label: str, municipalities: dict):
    """One cell as the value to store, or ValueError with what is wrong."""
    if isinstance(value, Formula):
        raise ValueError(FORMULA_MESSAGE(label))
    if column.kind in ("text", "email", "bool", "count"):
        cleaned = clean_cell(column, value, label, None)
        limit = LIMITS.get(column.key)
        if isinstance(cleaned, str) and limit and len(cleaned) > limit:
            raise ValueError(
                _("%(column)s is longer than %(limit)d characters") % {"column": label, "limit": limit}
            )
        return cleaned
    text = clean_cell(Column(column.key, column.sv, "text", required=column.required), value, label, None)
    if column.kind == "org_number":
        try:
            return normalise_org_number(text)
        except OrgNumberError as error:
            raise ValueError(f"{label}: {error}") from None
    if column.kind == "municipality":
        municipality = municipalities.get(normal(text))
        if municipality is None:
            names = ", ".join(sorted({m.name for m in municipalities.values()}))
            raise ValueError(
                _("%(column)s: “%(value)s” is not a municipality the centre serves (%(names)s)")
                % {"column": label, "value": text, "names": names}
            )
        return municipality
    if column.kind == "cpv_codes":
        try:
            return read_cpv_codes(text)
        except CpvListError as error:
            raise ValueError(f"{label}: {error}") from None
    if column.kind == "categories":
        categories, unknown = [], []
        for part in LIST_SEPARATOR.split(text):
            if not part.strip():
                continue
            code = CATEGORY_LOOKUP.get(normal(part))
            if code is None:
                unknown.append(part.strip())
            elif code not in categories:
                categories.append(code)
        if unknown:
            allowed = ", ".join(swedish for swedish, _english in CATEGORY_NAMES.values())
            raise ValueError(
                _("%(column)s: %(values)s is not one of %(allowed)s")
                % {"column": label, "values": ", ".join(f"“{part}”" for part in unknown), "allowed": allowed}
            )
        return categories
    raise AssertionError(column.kind)


# --- The export and the template --------------------------------------------------------------------


def export_rows(enterprises) -> tuple[list, list]:
    """The Swedish headers and one row per enterprise, written as the import reads them back."""
    header = [column.sv for column in COLUMNS]
    rows = []
    for enterprise in enterprises:
        rows.append(
            [
                enterprise.name,
                enterprise.org_number,
                enterprise.municipality.name,
                enterprise.contact_name,
                enterprise.contact_email,
                enterprise.contact_phone,
                # Codes separated by "; ": one code alone becomes a text formula in the CSV, so that a
                # spreadsheet keeps its leading zero (plans.exchange.tabular).
                "; ".join(enterprise.cpv_codes or ()),
                "; ".join(
                    CATEGORY_NAMES[code][0] for code in enterprise.categories if code in CATEGORY_NAMES
                ),
                enterprise.services,
                enterprise.capacity if enterprise.capacity is not None else "",
                YES_NO[bool(enterprise.reserved_qualified)][0],
            ]
        )
    return header, rows


def export_file(enterprises, *, fmt: str) -> bytes:
    """The register as CSV (Swedish: semicolons, text formulas for codes) or XLSX."""
    header, rows = export_rows(enterprises)
    if fmt == "csv":
        return write_csv(header, rows, language="sv")
    keys = [XLSX_KEYS.get(column.key, column.key) for column in COLUMNS]
    with translation.override("sv"):
        title = _("Social enterprises")
    return write_xlsx(header, rows, language="sv", plan=None, rubric=None, keys=keys, title=title)


def template_xlsx(*, centre) -> bytes:
    """The headers on the first sheet, and on a second what each column accepts (the centre's
    municipalities among them)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    with translation.override("sv"):
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = _("Social enterprises")[:31]
        header_row(sheet, [column.sv for column in COLUMNS], freeze="B2")
        values = workbook.create_sheet(_("Allowed values")[:31])
        values.append([_("Column"), _("Required"), _("Accepted values")])
        for cell in values[1]:
            cell.font = Font(bold=True)
        names = ", ".join(centre.municipalities.order_by("name").values_list("name", flat=True))
        accepted = {
            "org_number": _("Ten digits, e.g. 802456-1234."),
            "municipality": names,
            "contact_email": _("An e-mail address"),
            "cpv_codes": _("Eight digits each, separated by semicolons or spaces; at most %(limit)d")
            % {"limit": MAX_CPV_CODES},
            "categories": ", ".join(swedish for swedish, _english in CATEGORY_NAMES.values())
            + " "
            + _("(separated by semicolons)"),
            "capacity": _("A whole number: people a year"),
            "reserved_qualified": f"{YES_NO[True][0]} / {YES_NO[False][0]}",
        }
        for column in COLUMNS:
            values.append([column.sv, YES_NO[column.required][0], accepted.get(column.key, "")])
        values.column_dimensions["A"].width = 34
        values.column_dimensions["B"].width = 10
        values.column_dimensions["C"].width = 90
        buffer = io.BytesIO()
        workbook.save(buffer)
    return buffer.getvalue()
