"""Checking each row, step 2 of the import (plans.exchange.imports): every cell read in either language,
everything wrong with a row reported, not only the first problem.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Department, Role, User
from plans.exchange.columns import (
    EXTRA_BOOLEANS,
    IMPORT_COLUMNS,
    YES_NO,
    Column,
    column_for_header,
    lookup,
    normal,
)
from plans.exchange.reading import Formula, ImportRefused
from plans.formatting import parse_sek
from plans.models import Plan, Procurement
from plans.register import validation

# A leading apostrophe is how the export keeps a spreadsheet from running a cell as a formula.
FORMULA_GUARD = re.compile(r"^'(?=[=+\-@\t\r])")


BOOLEANS = {normal(word): value for value, words in YES_NO.items() for word in words} | EXTRA_BOOLEANS


@dataclass
class RowError:
    line: int
    message: str

    def __post_init__(self):
        # A message may start with a column's header as the file writes it ("benämning saknas"), or
        # with a word in lower case: every message on the page and in the terminal starts with a capital.
        self.message = capfirst(self.message)

    def __str__(self):
        return _("row %(line)d: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class Lookups:
    """What rows are checked against: the plan's municipality, its departments and the centre's officers."""

    plan: Plan
    create_departments: bool
    # The import_plan command rather than the web page: missing departments are added by a flag there,
    # by a tick box here, and each is told its own way.
    from_command: bool = False
    departments: dict = field(default_factory=dict)  # casefolded code or name → Department
    officers: dict = field(default_factory=dict)  # casefolded e-mail → User
    new_departments: dict = field(default_factory=dict)  # casefolded name → name as written

    @classmethod
    def for_plan(cls, plan: Plan, *, create_departments: bool, from_command: bool = False) -> "Lookups":
        lookups = cls(plan=plan, create_departments=create_departments, from_command=from_command)
        for department in Department.objects.filter(municipality=plan.municipality):
            lookups.departments[normal(department.code)] = department
            lookups.departments.setdefault(normal(department.name), department)
        officers = User.objects.filter(
            memberships__role=Role.OFFICER, memberships__centre_id=plan.municipality.centre_id
        ).exclude(email="")
        lookups.officers = {normal(user.email): user for user in officers}
        return lookups


DEPARTMENT_NAME_LIMIT = Department._meta.get_field("name").max_length
EXPERT_NAME_LIMIT = Procurement._meta.get_field("expert_name").max_length
EMAIL_LIMIT = Procurement._meta.get_field("expert_email").max_length


def FORMULA_MESSAGE(label: str) -> str:
    return _("%(column)s: formulas are not accepted") % {"column": label}


CHOICES = {column.key: lookup(column.names) for column in IMPORT_COLUMNS if column.kind == "choice"}


def column_number(index: int) -> str:
    return _("column %(number)d") % {"number": index + 1}


def named_columns(header: list, column_of) -> tuple[dict[int, Column], set[str], list[str], list[RowError]]:
    """For an import of its own columns (the orders', the register's): which column each header cell
    names (column_of: a header's text → its Column, or None), the keys named, the headers no column has,
    and a formula in the header as an error of line 1. ImportRefused for a column named twice."""
    by_index, seen, unmatched, errors = {}, {}, [], []
    for index, cell in enumerate(header):
        if isinstance(cell, Formula):
            errors.append(RowError(1, FORMULA_MESSAGE(column_number(index))))
            continue
        if cell is None or not str(cell).strip():
            continue
        text = str(cell).strip()
        column = column_of(text)
        if column is None:
            unmatched.append(text)
            continue
        if column.key in seen:
            raise ImportRefused(
                _("The column “%(column)s” appears twice (columns %(first)d and %(second)d).")
                % {"column": text, "first": seen[column.key] + 1, "second": index + 1}
            )
        seen[column.key] = index
        by_index[index] = column
    return by_index, set(seen), unmatched, errors


def missing_columns_message(missing: list[Column]) -> str:
    """The refusal of a file without required columns, named in the user's language."""
    language = "en" if translation.get_language().startswith("en") else "sv"
    return _("Columns are missing: %(columns)s.") % {
        "columns": ", ".join(column.header(language) for column in missing)
    }


def read_cells(cells: list, columns: dict[int, Column], clean, stray_label=column_number):
    """One row's cells read by their columns: clean(index, column, cell) gives the value or raises
    ValueError with the problem. Returns the values by key, the problems (a formula in a column the import
    does not read among them, named by stray_label(index)) and the keys that could not be read."""
    values, failed = {}, set()
    problems = [
        FORMULA_MESSAGE(stray_label(index))
        for index, cell in enumerate(cells)
        if isinstance(cell, Formula) and index not in columns
    ]
    for index, column in columns.items():
        cell = cells[index] if index < len(cells) else None
        try:
            values[column.key] = clean(index, column, cell)
        except ValueError as exc:
            problems.append(str(exc))
            failed.add(column.key)
    return values, problems, failed


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
    if isinstance(value, bool):  # a spreadsheet's TRUE, which Python counts as 1
        raise ValueError(validation.not_whole_number_message(label, text))
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
        return False if column.kind == "bool" else ("" if column.kind in ("text", "email") else None)
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
        limit = {"ref": 40, "title": 300, "cpv": 10, "expert_name": EXPERT_NAME_LIMIT}.get(column.key)
        if limit and len(text) > limit:
            raise ValueError(
                _("%(column)s is longer than %(limit)d characters") % {"column": label, "limit": limit}
            )
        return text
    if column.kind == "email":
        if len(text) > EMAIL_LIMIT:
            raise ValueError(
                _("%(column)s is longer than %(limit)d characters") % {"column": label, "limit": EMAIL_LIMIT}
            )
        try:
            validate_email(text)
        except ValidationError:
            raise ValueError(
                _("%(column)s: “%(value)s” is not an e-mail address") % {"column": label, "value": text}
            ) from None
        return text
    if column.kind == "amount":
        try:
            # A spreadsheet's TRUE is a bool, which Python counts as 1: no amount.
            if isinstance(value, bool):
                raise ValueError(text)
            amount = parse_sek(text) if not isinstance(value, int | float) else Decimal(value)
        except (ValueError, ArithmeticError):
            raise ValueError(validation.not_an_amount_message(label, text)) from None
        message = validation.amount_error(amount, label, text)
        if message:
            raise ValueError(message)
        if amount < 0:
            raise ValueError(f"{label}: {validation.estimated_value_error(amount)}")
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
        # The forms' rule too: 2027-02-01 or 1/2/2027, nothing guessed.
        try:
            return validation.read_date(text)
        except ValueError:
            raise ValueError(validation.not_a_date_message(label, text)) from None
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
        raise ValueError(missing_department_message(label, text, from_command=lookups.from_command))
    if column.kind == "officer":
        officer = lookups.officers.get(normal(text))
        if officer is None:
            raise ValueError(
                _("%(column)s: no procurement officer has the e-mail address “%(value)s”")
                % {"column": label, "value": text}
            )
        return officer
    raise AssertionError(column.kind)


# The upload form's tick box, named by the message that points to it.
CREATE_DEPARTMENTS_LABEL = gettext_lazy("Create departments that the file names and the municipality lacks")


def missing_department_message(label: str, value: str, *, from_command: bool) -> str:
    """A department the municipality lacks: the command names its flag, the web page its tick box."""
    if from_command:
        return _(
            "%(column)s: the municipality has no department “%(value)s” (--create-departments adds it)"
        ) % {"column": label, "value": value}
    return _(
        "%(column)s: the municipality has no department “%(value)s”. Check the spelling, or tick "
        "“%(option)s” and upload the file again."
    ) % {"column": label, "value": value, "option": CREATE_DEPARTMENTS_LABEL}


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
    labels = {index: str(header[index]).strip() for index in columns}

    def clean(index, column, cell):
        return clean_cell(column, cell, labels[index], lookups)

    for line, cells in rows:
        values, problems, _failed = read_cells(
            cells, columns, clean, stray_label=lambda index: _column_label(header, index)
        )
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
