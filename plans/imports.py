"""
Importing a plan from a spreadsheet (XLSX, or CSV in UTF-8 with comma or semicolon): read, check every
row, and only then write, all in one transaction. A file with any bad row imports nothing and lists
every bad row with its line as the spreadsheet shows it (the header is line 1).

1. The file is refused whole when it is too large, is not a spreadsheet (a renamed binary, a zip bomb,
   an XML entity bomb, NUL bytes, not UTF-8), has too many rows, lacks a required column or names a
   column twice. A formula in any cell is a bad row.
2. Each row is read cell by cell (either language's values, whatever the header's language);
   everything wrong with it is reported, not only the first problem.
3. A ref already in the plan updates that procurement; the others are created; rows equal to what
   is stored are counted as unchanged. The scores are computed in the same transaction.
"""

import csv
import io
import logging
import re
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Department, Role, User

from . import validation
from .bulk import bulk_insert
from .columns import (
    EXTRA_BOOLEANS,
    IMPORT_COLUMNS,
    OUTCOME_COLUMNS,
    YES_NO,
    Column,
    column_for_header,
    lookup,
    normal,
)
from .formatting import parse_sek
from .history import readable
from .models import HistoryEntry, Outcome, Plan, Procurement
from .services import plan_rescore
from .snapshots import as_text

# A leading apostrophe is how the export keeps a spreadsheet from running a cell as a formula.
FORMULA_GUARD = re.compile(r"^'(?=[=+\-@\t\r])")
log = logging.getLogger(__name__)
BOOLEANS = {normal(word): value for value, words in YES_NO.items() for word in words} | EXTRA_BOOLEANS


class ImportRefused(Exception):
    """The file as a whole cannot be imported; the message says why."""


@dataclass
class RowError:
    line: int
    message: str

    def __str__(self):
        return _("row %(line)d: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class ImportResult:
    total: int = 0
    created: list = field(default_factory=list)  # refs
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    new_departments: list = field(default_factory=list)  # names
    errors: list = field(default_factory=list)  # RowError
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.applied:
            text = _("%(created)d created, %(updated)d updated, %(unchanged)d unchanged")
        else:
            text = _("%(created)d to create, %(updated)d to update, %(unchanged)d unchanged")
        return text % {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
        }

    def as_dict(self) -> dict:
        return {
            "total": self.total,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "new_departments": self.new_departments,
            "errors": [(error.line, error.message) for error in self.errors],
            "applied": self.applied,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "ImportResult":
        errors = [RowError(line, message) for line, message in data.get("errors", [])]
        return cls(
            total=data.get("total", 0),
            created=data.get("created", []),
            updated=data.get("updated", []),
            unchanged=data.get("unchanged", []),
            new_departments=data.get("new_departments", []),
            errors=errors,
            applied=data.get("applied", False),
        )


# --- 1. Reading the file -----------------------------------------------------------------------
#
# Everything here reads hostile files: the size is checked before anything is opened, an XLSX's zip
# directory before openpyxl reads a byte of it (zip bombs), its XML through defusedxml (entity bombs,
# external entities; openpyxl uses defusedxml whenever it is installed, and it is a dependency), and
# rows are counted while they stream in, before any row is checked. A formula is marked (Formula) and
# becomes a bad row: a file with formulas imports nothing.

# An XLSX is a zip archive. The sizes in its directory are binding: zipfile never unpacks more of a
# member than its declared size (and checks its CRC), so checking the directory is enough.
XLSX_MAX_UNCOMPRESSED = 100 * 1024 * 1024  # bytes, all members together
XLSX_MAX_MEMBERS = 1000  # a workbook from Excel or LibreOffice has a few dozen
XLSX_MAX_RATIO = 100  # uncompressed : compressed, for a member over XLSX_RATIO_FROM (sheets reach ~20)
XLSX_RATIO_FROM = 1024 * 1024

# What a CSV cell must not start with: "=" always; "+", "-" or "@" before a letter or "(" (as in
# +cmd|…, @SUM(…), -HYPERLINK(…)). "-5", "+46 70 …" and "-" stay values. The export's leading
# apostrophe ('=…) keeps a cell from being one, and the importer removes it (FORMULA_GUARD).
CSV_FORMULA = re.compile(r"^(?:=|[+\-@](?:[^\W\d_]|\())")


class Formula(str):
    """A cell holding a formula (an XLSX formula cell, or CSV text that a spreadsheet would run)."""


def _binary_kinds():
    """Signatures of files people upload by mistake (or on purpose) instead of a spreadsheet."""
    return [
        (b"%PDF", _("a PDF document")),
        (b"\x89PNG", _("a PNG image")),
        (b"\xff\xd8\xff", _("a JPEG image")),
        (b"GIF8", _("a GIF image")),
        (b"\x7fELF", _("a program (ELF)")),
        (b"MZ\x90\x00", _("a Windows program")),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", _("an old Excel file (.xls) or a password-protected workbook")),
        (b"PK\x03\x04", _("a zip archive, such as an Excel workbook (.xlsx)")),
        (b"\x1f\x8b", _("a gzip archive")),
        (b"Rar!", _("a RAR archive")),
        (b"7z\xbc\xaf", _("a 7-Zip archive")),
    ]


def LOOKS_LIKE_MESSAGE(kind: str) -> str:
    return _("This file looks like %(kind)s.") % {"kind": kind}


def _looks_like(content: bytes) -> str | None:
    for signature, kind in _binary_kinds():
        if content.startswith(signature):
            return kind
    return None


def read_table(filename: str, content: bytes) -> tuple[list, list[tuple[int, list]]]:
    """The header cells and the data rows (line number, cells) of a CSV or XLSX file.

    Refuses (ImportRefused) a file over IMPORT_MAX_BYTES before opening it and one with more than
    IMPORT_MAX_ROWS data rows while reading it, before any row is checked.
    """
    if len(content) > settings.IMPORT_MAX_BYTES:
        raise ImportRefused(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {
                "size": round(len(content) / 1_048_576, 1),
                "limit": round(settings.IMPORT_MAX_BYTES / 1_048_576),
            }
        )
    name = filename.lower()
    if name.endswith((".xlsx", ".xlsm")):
        rows = _read_xlsx(content)
    elif name.endswith((".csv", ".txt")):
        rows = _read_csv(content)
    else:
        raise ImportRefused(_("Upload an Excel file (.xlsx) or a CSV file (.csv)."))
    rows = iter(rows)
    header = next(rows, None)
    if header is None or not any(cell not in (None, "") for cell in header[1]):
        raise ImportRefused(_("The file is empty: the first row must hold the column headers."))
    data = []
    for line, cells in rows:
        if any(cell not in (None, "") and str(cell).strip() for cell in cells):
            data.append((line, cells))
            if len(data) > settings.IMPORT_MAX_ROWS:
                raise ImportRefused(
                    _("The file has more than %(limit)d rows; split it into smaller files.")
                    % {"limit": settings.IMPORT_MAX_ROWS}
                )
    return header[1], data


def _read_csv(content: bytes):
    kind = _looks_like(content)
    if kind is not None:
        raise ImportRefused(
            _("Upload an Excel file (.xlsx) or a CSV file (.csv).") + " " + LOOKS_LIKE_MESSAGE(kind)
        )
    if b"\x00" in content:
        raise ImportRefused(_("The file contains NUL bytes: it is not a text CSV file."))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(
            _("The CSV file is not in UTF-8. In Excel, save it as “CSV UTF-8 (kommaavgränsad)”.")
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max([";", ",", "\t"], key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, [Formula(cell) if CSV_FORMULA.match(cell) else cell for cell in cells]
    except csv.Error as exc:
        raise ImportRefused(_("The CSV file cannot be read: %(error)s") % {"error": exc}) from None


def _not_a_workbook() -> ImportRefused:
    return ImportRefused(_("The file is not a readable Excel workbook (.xlsx)."))


def check_workbook_zip(content: bytes) -> None:
    """Refuse an XLSX whose zip directory promises a bomb, or that is a zip but no workbook.

    Only the directory is read: nothing is unpacked.
    """
    if not content.startswith(b"PK"):
        kind = _looks_like(content)
        if kind is not None:
            raise ImportRefused(str(_not_a_workbook()) + " " + LOOKS_LIKE_MESSAGE(kind))
        raise _not_a_workbook()
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise _not_a_workbook() from None
    with archive:
        members = archive.infolist()
    bomb = _("It is refused as a possible zip bomb.")
    if len(members) > XLSX_MAX_MEMBERS:
        raise ImportRefused(
            _("The workbook holds %(count)d parts; a plan needs far fewer.") % {"count": len(members)}
            + " "
            + bomb
        )
    unpacked = sum(member.file_size for member in members)
    if unpacked > XLSX_MAX_UNCOMPRESSED:
        raise ImportRefused(
            _("The workbook would unpack to %(size)d MB; the limit is %(limit)d MB.")
            % {"size": unpacked // 1_048_576, "limit": XLSX_MAX_UNCOMPRESSED // 1_048_576}
            + " "
            + bomb
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > XLSX_RATIO_FROM and ratio > XLSX_MAX_RATIO:
            raise ImportRefused(
                _("The part %(name)s of the workbook is compressed %(ratio)d to 1.")
                % {"name": member.filename[:80], "ratio": ratio}
                + " "
                + bomb
            )
    if "xl/workbook.xml" not in {member.filename for member in members}:
        raise ImportRefused(_("The file is a zip archive but not an Excel workbook (.xlsx)."))


def _refused_xml(exc: Exception) -> ImportRefused:
    """What went wrong inside openpyxl, as the user's message."""
    if _caused_by_defusedxml(exc):
        return ImportRefused(
            _(
                "The workbook contains XML entity declarations (a DOCTYPE), which Excel never writes; "
                "it is refused as possibly harmful."
            )
        )
    log.info("An XLSX file was refused: openpyxl could not read it", exc_info=exc)
    return _not_a_workbook()


def _caused_by_defusedxml(exc: BaseException | None) -> bool:
    """Whether defusedxml refused the XML (openpyxl wraps what the parser raised in its own ValueError)."""
    from defusedxml.common import DefusedXmlException

    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, DefusedXmlException):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def _xlsx_value(cell):
    if cell.data_type != "f":
        return cell.value
    value = cell.value  # "=SUM(A1:A3)", or an ArrayFormula / DataTableFormula object
    return Formula(value if isinstance(value, str) else getattr(value, "text", None) or "=")


def _read_xlsx(content: bytes):
    """The first sheet's rows; a formula cell comes as Formula (its text), whatever it computes."""
    check_workbook_zip(content)
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            # openpyxl warns about parts it drops (extensions, validations): not the user's concern.
            warnings.simplefilter("ignore", UserWarning)
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as exc:  # a hostile file can make openpyxl raise anything; all of it is a refusal
        raise _refused_xml(exc) from None
    try:
        if not workbook.worksheets:
            raise _not_a_workbook()
        sheet = workbook.worksheets[0]
        rows = enumerate(sheet.iter_rows(), start=1)
        while True:
            try:
                number, cells = next(rows)
                values = [_xlsx_value(cell) for cell in cells]
            except StopIteration:
                return
            except Exception as exc:  # the sheet is parsed as it is read: the same holds here
                raise _refused_xml(exc) from None
            yield number, values
    finally:
        workbook.close()


# --- 2. Checking each row ------------------------------------------------------------------------


@dataclass
class Lookups:
    """What rows are checked against: the plan's municipality, its departments and the centre's officers."""

    plan: Plan
    create_departments: bool
    departments: dict = field(default_factory=dict)  # casefolded code or name → Department
    officers: dict = field(default_factory=dict)  # casefolded e-mail → User
    new_departments: dict = field(default_factory=dict)  # casefolded name → name as written

    @classmethod
    def for_plan(cls, plan: Plan, *, create_departments: bool) -> "Lookups":
        lookups = cls(plan=plan, create_departments=create_departments)
        for department in Department.objects.filter(municipality=plan.municipality):
            lookups.departments[normal(department.code)] = department
            lookups.departments.setdefault(normal(department.name), department)
        officers = User.objects.filter(
            memberships__role=Role.OFFICER, memberships__centre_id=plan.municipality.centre_id
        ).exclude(email="")
        lookups.officers = {normal(user.email): user for user in officers}
        return lookups


DEPARTMENT_NAME_LIMIT = Department._meta.get_field("name").max_length


def FORMULA_MESSAGE(label: str) -> str:
    return _("%(column)s: formulas are not accepted") % {"column": label}


CHOICES = {column.key: lookup(column.names) for column in IMPORT_COLUMNS if column.kind == "choice"}


def map_header(header: list) -> dict[int, Column]:
    """Which column each header cell names. Unknown headers (and the score columns) are ignored."""
    by_index, seen = {}, {}
    for index, cell in enumerate(header):
        column = column_for_header(cell)
        if column is None or column.score:
            continue
        if column.key in seen:
            raise ImportRefused(
                _("The column “%(column)s” appears twice (columns %(first)d and %(second)d).")
                % {"column": cell, "first": seen[column.key] + 1, "second": index + 1}
            )
        seen[column.key] = index
        by_index[index] = column
    missing = [column.sv for column in IMPORT_COLUMNS if column.required and column.key not in seen]
    if missing:
        raise ImportRefused(_("Columns are missing: %(columns)s.") % {"columns": ", ".join(missing)})
    return by_index


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return FORMULA_GUARD.sub("", str(value).strip())


def _whole_number(value, text: str, label: str) -> int:
    """A cell as a whole number (a spreadsheet's 4.0 is 4), or ValueError naming the column."""
    try:
        return int(value) if isinstance(value, int | float) and float(value).is_integer() else int(text)
    except (TypeError, ValueError):
        raise ValueError(validation.not_whole_number_message(label, text)) from None


def clean_cell(column: Column, value, label: str, lookups: Lookups):
    """One cell as the value to store, or raise ValueError with what is wrong."""
    if isinstance(value, Formula):
        raise ValueError(FORMULA_MESSAGE(label))
    text = _text(value)
    if text == "":
        if column.required:
            raise ValueError(_("%(column)s is missing") % {"column": label})
        return False if column.kind == "bool" else ("" if column.kind == "text" else None)
    if column.kind == "text":
        if column.key == "ref":
            message = validation.ref_error(text)
        elif column.key == "cpv":
            text = validation.normalise_cpv(text)
            message = validation.cpv_error(text)
        else:
            message = None
        if message:
            raise ValueError(f"{label}: {message}")
        limit = {"ref": 40, "title": 300, "cpv": 10}.get(column.key)
        if limit and len(text) > limit:
            raise ValueError(
                _("%(column)s is longer than %(limit)d characters") % {"column": label, "limit": limit}
            )
        return text
    if column.kind == "amount":
        try:
            amount = parse_sek(text) if not isinstance(value, int | float) else Decimal(value)
        except (ValueError, ArithmeticError):
            raise ValueError(validation.not_an_amount_message(label, text)) from None
        if amount < 0:
            raise ValueError(f"{label}: {validation.estimated_value_error(amount)}")
        message = validation.amount_error(amount, label, text)
        if message:
            raise ValueError(message)
        return int(amount)
    if column.kind == "count":
        number = _whole_number(value, text, label)
        message = validation.count_error(number, label, text)
        if message:
            raise ValueError(message)
        return number
    if column.kind == "int":
        number = _whole_number(value, text, label)
        message = (
            validation.duration_error(number)
            if column.key == "duration_months"
            else validation.possible_suppliers_error(number)
        )
        if message:
            raise ValueError(f"{label}: {message}")
        if number > validation.MAX_COUNT:
            raise ValueError(validation.too_large_message(label, text))
        return number
    if column.kind == "date":
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        message = _("%(column)s: “%(value)s” is not a date (write it as 2027-03-01)") % {
            "column": label,
            "value": text,
        }
        # An ISO date, as the export writes it; a spreadsheet's midnight time is tolerated.
        match = re.fullmatch(r"(\d{4}-\d{2}-\d{2})(?:[T ]00:00(?::00)?)?", text)
        if not match:
            raise ValueError(message)
        try:
            return date.fromisoformat(match.group(1))
        except ValueError:
            raise ValueError(message) from None
    if column.kind == "bool":
        if isinstance(value, bool):
            return value
        if normal(text) in BOOLEANS:
            return BOOLEANS[normal(text)]
        raise ValueError(
            _("%(column)s: “%(value)s” is neither Ja nor Nej") % {"column": label, "value": text}
        )
    if column.kind == "choice":
        code = CHOICES[column.key].get(normal(text))
        if code is None:
            allowed = ", ".join(swedish for swedish, _english in column.names.values())
            raise ValueError(
                _("%(column)s: “%(value)s” is not one of %(allowed)s")
                % {"column": label, "value": text, "allowed": allowed}
            )
        return code
    if column.kind == "department":
        department = lookups.departments.get(normal(text))
        if department is not None:
            return department
        if lookups.create_departments:
            if len(text) > DEPARTMENT_NAME_LIMIT:
                raise ValueError(
                    _("%(column)s is longer than %(limit)d characters")
                    % {"column": label, "limit": DEPARTMENT_NAME_LIMIT}
                )
            lookups.new_departments.setdefault(normal(text), text)
            return NewDepartment(text)
        raise ValueError(
            _("%(column)s: the municipality has no department “%(value)s” (--create-departments adds it)")
            % {"column": label, "value": text}
        )
    if column.kind == "officer":
        officer = lookups.officers.get(normal(text))
        if officer is None:
            raise ValueError(
                _("%(column)s: no procurement officer has the e-mail address “%(value)s”")
                % {"column": label, "value": text}
            )
        return officer
    raise AssertionError(column.kind)


@dataclass(frozen=True)
class NewDepartment:
    """A department the file names and the municipality lacks, created when the import is applied."""

    name: str


def check_rows(header: list, rows: list, lookups: Lookups) -> tuple[list, list]:
    """Every row as (line, field values), and every error found; both complete."""
    columns = map_header(header)
    checked, errors, lines_by_ref = [], [], {}
    # A formula is refused wherever it stands, in the header and in columns the import ignores too.
    errors.extend(
        RowError(1, FORMULA_MESSAGE(_column_label(header, index)))
        for index, cell in enumerate(header)
        if isinstance(cell, Formula)
    )
    for line, cells in rows:
        values, problems = {}, []
        problems.extend(
            FORMULA_MESSAGE(_column_label(header, index))
            for index, cell in enumerate(cells)
            if isinstance(cell, Formula) and index not in columns
        )
        for index, column in columns.items():
            cell = cells[index] if index < len(cells) else None
            try:
                values[column.key] = clean_cell(column, cell, str(header[index]).strip(), lookups)
            except ValueError as exc:
                problems.append(str(exc))
        advertised = values.get("planned_advertisement")
        if advertised:
            message = validation.advertisement_error(advertised, lookups.plan.year)
            if message:
                problems.append(f"{header_label(header, columns, 'planned_advertisement')}: {message}")
        ref = values.get("ref")
        if ref:
            key = ref.casefold()
            if key in lines_by_ref:
                problems.append(
                    _("the ref %(ref)s is also on row %(line)d") % {"ref": ref, "line": lines_by_ref[key]}
                )
            else:
                lines_by_ref[key] = line
        if problems:
            errors.extend(RowError(line, problem) for problem in problems)
        else:
            checked.append((line, values))
    return checked, errors


def _column_label(header: list, index: int) -> str:
    """A column as the user knows it: its header, or its number when the header is empty or a formula."""
    cell = header[index] if index < len(header) else None
    if cell in (None, "") or isinstance(cell, Formula) or not str(cell).strip():
        return _("column %(number)d") % {"number": index + 1}
    return str(cell).strip()


def header_label(header, columns, key):
    for index, column in columns.items():
        if column.key == key:
            return str(header[index]).strip()
    return key


# --- 3. Writing ----------------------------------------------------------------------------------

Progress = Callable[[int, int], None]


def plan_import(
    *,
    plan: Plan,
    filename: str,
    content: bytes,
    user=None,
    create_departments: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Check the file and, unless dry_run or any row is bad, import it in one transaction."""
    header, rows = read_table(filename, content)
    result = ImportResult(total=len(rows))
    with transaction.atomic():
        if plan.pk:
            plan = Plan.objects.select_for_update().select_related("municipality").get(pk=plan.pk)
        lookups = Lookups.for_plan(plan, create_departments=create_departments)
        checked, result.errors = check_rows(header, rows, lookups)
        result.new_departments = sorted(lookups.new_departments.values())
        if result.errors:
            return result
        existing = {p.ref.casefold(): p for p in Procurement.objects.filter(plan=plan)} if plan.pk else {}
        outcomes = (
            {o.procurement_id: o for o in Outcome.objects.filter(procurement__plan=plan)} if plan.pk else {}
        )
        to_create, to_update, changed_fields, outcome_rows = [], [], set(), []
        adopted = bool(plan.pk and plan.is_adopted)
        for done, (line, all_values) in enumerate(checked, start=1):
            values = {name: value for name, value in all_values.items() if name not in OUTCOME_KEYS}
            outcome_values = outcome_defaults(
                {name: value for name, value in all_values.items() if name in OUTCOME_KEYS}
            )
            procurement = existing.get(values["ref"].casefold())
            stored_outcome = outcomes.get(procurement.pk) if procurement is not None else None
            if _more_sme_bids_than_bids(outcome_values, stored_outcome):
                result.errors.append(RowError(line, SME_BIDS_MESSAGE()))
                continue
            if procurement is None:
                if adopted:
                    result.errors.append(RowError(line, ADOPTED_MESSAGE()))
                    continue
                result.created.append(values["ref"])
                to_create.append(values)
                if outcome_values:
                    outcome_rows.append((None, values["ref"], None, outcome_values))
                continue
            differences = {
                name: (getattr(procurement, name), value)
                for name, value in values.items()
                if not _same(getattr(procurement, name), value)
            }
            outcome = outcomes.get(procurement.pk)
            outcome_changes = {
                name: value
                for name, value in outcome_values.items()
                if outcome is None or not _same(getattr(outcome, name), value)
            }
            if differences and adopted:
                result.errors.append(RowError(line, ADOPTED_MESSAGE()))
                continue
            if differences or outcome_changes:
                result.updated.append(procurement.ref)
                if differences:
                    to_update.append((procurement, differences))
                    changed_fields.update(differences)
                if outcome_changes:
                    # The procurement itself, not its ref: the row may change the ref's case.
                    outcome_rows.append((procurement, procurement.ref, outcome, outcome_changes))
            else:
                result.unchanged.append(procurement.ref)
            if progress and done % 500 == 0:
                progress(done, len(checked))
        if result.errors or dry_run:
            return result
        if not plan.pk:
            plan.save()
        departments = _create_departments(plan, lookups.new_departments.values())
        created = bulk_insert(
            Procurement, [Procurement(plan=plan, **_resolve(values, departments)) for values in to_create]
        )
        now = timezone.now()
        for procurement, differences in to_update:
            after = {name: value for name, (_before, value) in differences.items()}
            for name, value in _resolve(after, departments).items():
                setattr(procurement, name, value)
            procurement.version += 1
            procurement.updated_at = now
        if to_update:
            Procurement.objects.bulk_update(
                [procurement for procurement, _differences in to_update],
                [*changed_fields, "version", "updated_at"],
                batch_size=500,
            )
        plan_rescore(plan=plan)
        _save_outcomes(plan, outcome_rows, user)
        _record_history(plan, user, filename, created, to_update)
        result.applied = True
        if progress:
            progress(len(checked), len(checked))
    return result


OUTCOME_KEYS = {column.key for column in OUTCOME_COLUMNS}


def ADOPTED_MESSAGE():
    return _("the plan is adopted: only the follow-up columns can change")


def SME_BIDS_MESSAGE():
    return _("There cannot be more bids from small and medium suppliers than bids.")


def _more_sme_bids_than_bids(values: dict, outcome) -> bool:
    """The file's bids and SME bids, or the stored ones where the file has no such column."""
    bids = values["bids"] if "bids" in values else getattr(outcome, "bids", None)
    sme_bids = values["sme_bids"] if "sme_bids" in values else getattr(outcome, "sme_bids", None)
    return bids is not None and sme_bids is not None and sme_bids > bids


def outcome_defaults(values: dict) -> dict:
    """Empty follow-up cells as the Outcome stores them: no status is "not started", no choice is ""."""
    if not values:
        return {}
    cleaned = dict(values)
    if cleaned.get("status") is None and "status" in cleaned:
        cleaned["status"] = "not_started"
    for name in ("appeal_outcome", "environmental_level_reached"):
        if name in cleaned and cleaned[name] is None:
            cleaned[name] = ""
    return cleaned


def _save_outcomes(plan, rows, user):
    """Create or update the follow-up of the rows that carry it (one query per batch, not per row)."""
    if not rows:
        return
    # Procurements the file created are found by the ref they were created with (one query).
    created_refs = [ref for procurement, ref, _o, _v in rows if procurement is None]
    created = (
        {p.ref: p for p in Procurement.objects.filter(plan=plan, ref__in=created_refs)}
        if created_refs
        else {}
    )
    new, changed, fields = [], [], set()
    for procurement, ref, outcome, values in rows:
        if outcome is None:
            new.append(
                Outcome(
                    procurement=procurement or created[ref],
                    updated_by=user if getattr(user, "pk", None) else None,
                    **values,
                )
            )
        else:
            for name, value in values.items():
                setattr(outcome, name, value)
            outcome.version += 1
            changed.append(outcome)
            fields.update(values)
    Outcome.objects.bulk_create(new, batch_size=1000)
    if changed:
        Outcome.objects.bulk_update(changed, [*fields, "version"], batch_size=500)


def _record_history(plan, user, filename, created, updated):
    who = user if getattr(user, "is_authenticated", False) else None
    entries = [
        HistoryEntry(
            plan=plan,
            procurement=procurement,
            ref=procurement.ref,
            user=who,
            action=HistoryEntry.Action.IMPORTED,
            changes={"note": filename},
        )
        for procurement in created
    ]
    entries += [
        HistoryEntry(
            plan=plan,
            procurement=procurement,
            ref=procurement.ref,
            user=who,
            action=HistoryEntry.Action.CHANGED,
            changes={
                name: [as_text(readable(before)), as_text(readable(after))]
                for name, (before, after) in differences.items()
            }
            | {"note": filename},
        )
        for procurement, differences in updated
    ]
    bulk_insert(HistoryEntry, entries)


def _same(stored, new) -> bool:
    if isinstance(new, NewDepartment):
        return False
    if isinstance(stored, User | Department) or isinstance(new, User | Department):
        return getattr(stored, "pk", None) == getattr(new, "pk", None)
    return stored == new


def _create_departments(plan: Plan, names) -> dict:
    created = {}
    taken = set(Department.objects.filter(municipality=plan.municipality).values_list("code", flat=True))
    for name in names:
        code = department_code(name, taken)
        taken.add(code)
        created[normal(name)] = Department.objects.create(
            municipality=plan.municipality, code=code, name=name
        )
    return created


def department_code(name: str, taken: set) -> str:
    """A short code for a new department: the name itself when it is short, else its initials."""
    words = re.findall(r"\w+", name)
    if len(words) == 1 and len(words[0]) <= 12:
        base = words[0].upper()
    else:
        base = "".join(word[0] for word in words).upper()[:12] or "AVD"
    code, number = base, 2
    while code in taken:
        code = f"{base}{number}"
        number += 1
    return code


def _resolve(values: dict, departments: dict) -> dict:
    resolved = dict(values)
    department = resolved.get("department")
    if isinstance(department, NewDepartment):
        resolved["department"] = departments[normal(department.name)]
    return resolved
