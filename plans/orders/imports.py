"""
Orders by spreadsheet (issue 14): a department uploads its orders as XLSX or CSV, and either every row
becomes an order or none does.

1. The file is read as the plan's import reads it (plans.exchange.reading: the size first, zip and XML
   bombs, NUL bytes, UTF-8, formulas), with limits for a file imported while the user waits:
   MAX_BYTES and MAX_ROWS. Too large, unreadable, a required column missing or a column named twice:
   the file is refused whole.
2. The columns are the plan import's where they mean the same field, with the same Swedish and English
   headers (Benämning/title, Kategori/category, CPV, Uppskattat värde SEK/estimated_value_sek …), plus
   the order's own (Behov/need, Mål/goals, Sakkunnig/expert_name …; ORDER_COLUMNS). The plan's columns
   an order has not (Ref, Förfarande, Planerad annonsering, the scores, the follow-up …) are ignored
   and named to the user, so that rows cut from a plan's export can be ordered again; so are headers
   nobody knows (a misspelt optional column is then visible, not silently lost).
3. The department: implied when the user represents one department of the municipality; with several,
   the column Förvaltning names one of theirs (code or name) on every row.
4. Every row is checked and everything wrong with it reported with its line (the header is line 1): each
   cell in either language; the goals, titles separated by ";" and matched against the municipality's
   goals, case ignored; the order's own model checks; a title twice in the file, or already ordered by
   the same department in the plan (so that uploading a file twice orders nothing twice).
5. Only when every row is right are the orders placed, in one transaction with the plan locked, each
   through plans.orders.services.order_place (with its SUBMITTED event), and linked to its goals.
"""

import csv
import io
import re
from dataclasses import dataclass, field, replace

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from accounts.models import Department
from plans.exchange.checking import (
    FORMULA_GUARD,
    FORMULA_MESSAGE,
    RowError,
    clean_cell,
    missing_columns_message,
    named_columns,
    read_cells,
)
from plans.exchange.columns import (
    COLUMNS,
    OPTIONAL_COLUMNS,
    YES_NO,
    Column,
    column_for_header,
    lookup,
    normal,
)
from plans.exchange.reading import Formula, ImportRefused, read_table
from plans.exchange.template import header_row
from plans.models import BudgetStatus, Goal, Order, Plan
from plans.orders.services import order_place

# An order file is imported in the request: a department orders tens of procurements, not thousands.
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 200

BUDGET_NAMES = {
    BudgetStatus.WITHIN_FRAME: ("Inom budgetram", "within_frame"),
    BudgetStatus.NEEDS_FUNDING: ("Behöver finansiering", "needs_funding"),
}
BUDGET_LOOKUP = lookup(BUDGET_NAMES)

# Goal titles in one cell: separated by semicolons (or put on lines of their own).
GOAL_SEPARATOR = re.compile(r"[;\n]")

_PLAN_COLUMNS = {column.key: column for column in COLUMNS + OPTIONAL_COLUMNS}


def _shared(key: str, **changes) -> Column:
    """A column of the plan's import, read the same way (an order may leave some of them empty)."""
    return replace(_PLAN_COLUMNS[key], **changes)


ORDER_COLUMNS = [
    _shared("title"),
    _shared("department", required=False),
    Column("need", "Behov", "text", required=True),
    _shared("category"),
    _shared("cpv", required=False),
    _shared("estimated_value_sek"),
    Column("estimation_basis", "Värdet uppskattat utifrån", "text"),
    _shared("duration_months"),
    Column("options", "Optioner", "text"),
    Column("desired_start", "Önskad avtalsstart", "date"),
    _shared("current_contract_ends"),
    Column("new_need", "Nytt behov", "bool"),
    Column("budget_status", "Budgetläge", "budget", names=BUDGET_NAMES),
    _shared("employment_requirement"),
    _shared("reserved_contract"),
    _shared("labour_conditions"),
    _shared("lots"),
    _shared("environmental_level", required=False),
    Column("goals", "Mål", "goals"),
    Column("expert_name", "Sakkunnig", "text"),
    Column("expert_email", "Sakkunnigs e-post", "text"),
    _shared("confidential"),
]
ORDER_HEADERS = {normal(spelling): column for column in ORDER_COLUMNS for spelling in (column.key, column.sv)}


@dataclass
class OrderImportResult:
    total: int = 0
    orders: list = field(default_factory=list)  # the orders placed
    errors: list = field(default_factory=list)  # RowError, in line order
    ignored: list = field(default_factory=list)  # headers of the plan's columns an order has not
    unknown: list = field(default_factory=list)  # headers nobody knows

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Context:
    """What the rows are checked against."""

    plan: Plan
    departments: dict  # casefolded code or name → Department, the user's own in the plan's municipality
    goals: dict  # casefolded title → Goal, the municipality's
    ordered: set  # (department id, casefolded title) of the orders already in the plan


def own_departments(plan: Plan, department_ids) -> list[Department]:
    """The departments of the plan's municipality among department_ids, by code."""
    return list(
        Department.objects.filter(municipality_id=plan.municipality_id, pk__in=department_ids).order_by(
            "code"
        )
    )


def orders_import(*, plan: Plan, departments: list, filename: str, content: bytes, user) -> OrderImportResult:
    """Check the file against the departments the user orders for and, if every row is right, place its
    orders in one transaction. ImportRefused when the file as a whole cannot be read."""
    if not departments:
        raise ValueError("orders are imported for at least one department")
    if len(content) > MAX_BYTES:
        raise ImportRefused(
            _("The file is %(size)s MB; orders are imported from files of at most %(limit)s MB.")
            % {"size": round(len(content) / 1_048_576, 1), "limit": round(MAX_BYTES / 1_048_576)}
        )
    header, rows = read_table(filename, content)
    if len(rows) > MAX_ROWS:
        raise ImportRefused(
            _("The file has %(count)d rows; import at most %(limit)d orders at a time.")
            % {"count": len(rows), "limit": MAX_ROWS}
        )
    columns, ignored, unknown, header_errors = map_header(header, several=len(departments) > 1)
    result = OrderImportResult(total=len(rows), ignored=ignored, unknown=unknown)
    with transaction.atomic():
        # Locked, so that two uploads of the same file at once cannot both find their titles free.
        plan = Plan.objects.select_for_update().select_related("municipality").get(pk=plan.pk)
        context = _context(plan, departments)
        checked, errors = check_rows(header, columns, rows, context)
        result.errors = header_errors + errors
        if result.errors:
            return result
        links = []
        for _line, department, data, goals in checked:
            order = order_place(plan=plan, department=department, data=data, user=user)
            links.extend(Order.goals.through(order=order, goal=goal) for goal in goals)
            result.orders.append(order)
        # The orders are new: their goals go in at once, not order by order.
        Order.goals.through.objects.bulk_create(links)
    return result


def _context(plan: Plan, departments: list) -> _Context:
    by_name = {}
    for department in departments:
        by_name[normal(department.code)] = department
        by_name.setdefault(normal(department.name), department)
    goals = {normal(goal.title): goal for goal in Goal.objects.filter(municipality_id=plan.municipality_id)}
    titles = Order.objects.filter(plan=plan, department__in=departments).values_list("department_id", "title")
    return _Context(
        plan=plan,
        departments=by_name,
        goals=goals,
        ordered={(department_id, normal(title)) for department_id, title in titles},
    )


def map_header(header: list, *, several: bool) -> tuple[dict, list, list, list]:
    """Which order column each header cell names, the plan's columns ignored, the unknown headers, and
    a formula in the header as an error of line 1. ImportRefused for a column twice or one missing."""
    by_index, seen, unmatched, errors = named_columns(header, lambda text: ORDER_HEADERS.get(normal(text)))
    ignored = [text for text in unmatched if column_for_header(text) is not None]
    unknown = [text for text in unmatched if column_for_header(text) is None]
    required = [column for column in ORDER_COLUMNS if column.required]
    if several:
        required.insert(1, _PLAN_COLUMNS["department"])
    missing = [column for column in required if column.key not in seen]
    if missing:
        message = missing_columns_message(missing)
        if several and any(column.key == "department" for column in missing):
            message += " " + _(
                "You order for several departments: name the department of each order by its code."
            )
        raise ImportRefused(message)
    return by_index, ignored, unknown, errors


def check_rows(header: list, columns: dict, rows: list, context: _Context) -> tuple[list, list]:
    """Every row as (line, department, order data, goals) and every error found; both complete."""
    checked, errors, lines_by_title = [], [], {}
    labels = {index: str(header[index]).strip() for index in columns}
    label_of = {column.key: labels[index] for index, column in columns.items()}
    implied = (
        next(iter(context.departments.values())) if len(set(context.departments.values())) == 1 else None
    )

    def clean(index, column, cell):
        return _clean(column, cell, labels[index], context)

    for line, cells in rows:
        values, problems, _failed = read_cells(cells, columns, clean)
        # With several departments, an empty department cell is missing; a bad one is reported already.
        had_cell = "department" in values
        department = values.pop("department", None) or implied
        if department is None and had_cell:
            problems.append(_("%(column)s is missing") % {"column": label_of["department"]})
        goals = values.pop("goals", None) or []
        if values.get("new_need") and values.get("current_contract_ends"):
            problems.append(
                _("%(new)s says a new need, yet %(ends)s gives the current contract's end")
                % {"new": label_of["new_need"], "ends": label_of["current_contract_ends"]}
            )
        data = {name: value for name, value in values.items() if value is not None}
        title = data.get("title")
        if title and department is not None:
            key = (department.pk, normal(title))
            if key in lines_by_title:
                problems.append(
                    _("the title “%(title)s” is also on row %(line)d")
                    % {"title": title, "line": lines_by_title[key]}
                )
            else:
                lines_by_title[key] = line
            if key in context.ordered:
                problems.append(
                    _("%(department)s has already ordered “%(title)s” for this plan")
                    % {"department": department.name, "title": title}
                )
        if not problems and department is not None:
            problems.extend(_model_problems(context.plan, department, data, label_of))
        if problems:
            errors.extend(RowError(line, problem) for problem in problems)
        else:
            checked.append((line, department, data, goals))
    return checked, errors


def _model_problems(plan: Plan, department: Department, data: dict, label_of: dict) -> list[str]:
    """What the order's own checks find (order_place asks them again): nothing, when the cells were read
    right; a safety net against a rule of the model that the cells do not know."""
    order = Order(plan=plan, department=department, **data)
    try:
        order.full_clean(exclude=["plan", "department", "ordered_by"], validate_constraints=False)
    except ValidationError as exc:
        problems = []
        for name, messages in exc.message_dict.items():
            label = label_of.get(name) or _field_label(name)
            problems.extend(f"{label}: {message}" if label else message for message in messages)
        return problems
    return []


def _field_label(name: str) -> str:
    try:
        return capfirst(Order._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return ""


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return FORMULA_GUARD.sub("", str(value).strip())


def _clean(column: Column, value, label: str, context: _Context):
    """One cell as the value to store (None: the model's default), or ValueError with what is wrong."""
    if isinstance(value, Formula):
        raise ValueError(FORMULA_MESSAGE(label))
    text = _text(value)
    if column.kind == "department":
        if not text:
            return None
        department = context.departments.get(normal(text))
        if department is None:
            codes = ", ".join(sorted({d.code for d in context.departments.values()}))
            raise ValueError(
                _("%(column)s: “%(value)s” is not a department you order for (%(codes)s)")
                % {"column": label, "value": text, "codes": codes}
            )
        return department
    if column.kind == "goals":
        return _goals(text, label, context)
    if column.kind == "budget":
        if not text:
            return None
        code = BUDGET_LOOKUP.get(normal(text))
        if code is None:
            allowed = ", ".join(swedish for swedish, _english in BUDGET_NAMES.values())
            raise ValueError(
                _("%(column)s: “%(value)s” is not one of %(allowed)s")
                % {"column": label, "value": text, "allowed": allowed}
            )
        return code
    if column.key == "cpv" and re.fullmatch(r"\d{7}(-\d)?", text):
        value = "0" + text  # a spreadsheet took the code for a number and dropped its leading zero
    cleaned = clean_cell(column, value, label, None)
    if column.kind == "bool" and text == "":
        return None
    if column.kind == "text" and cleaned:
        limit = Order._meta.get_field(column.key).max_length
        if limit and len(cleaned) > limit:
            raise ValueError(
                _("%(column)s is longer than %(limit)d characters") % {"column": label, "limit": limit}
            )
        if column.key == "expert_email":
            try:
                validate_email(cleaned)
            except ValidationError:
                raise ValueError(
                    _("%(column)s: “%(value)s” is not an e-mail address")
                    % {"column": label, "value": cleaned}
                ) from None
    return cleaned


def _goals(text: str, label: str, context: _Context) -> list[Goal]:
    goals, unknown = [], []
    for title in GOAL_SEPARATOR.split(text):
        if not title.strip():
            continue
        goal = context.goals.get(normal(title))
        if goal is None:
            unknown.append(title.strip())
        elif goal not in goals:
            goals.append(goal)
    if unknown:
        raise ValueError(
            _("%(column)s: the municipality has no goal called %(titles)s")
            % {"column": label, "titles": ", ".join(f"“{title}”" for title in unknown)}
        )
    return goals


# --- The template to fill in ------------------------------------------------------------------------


def template_columns(*, several: bool) -> list[Column]:
    """The order columns; the department only for a user who orders for several."""
    return [column for column in ORDER_COLUMNS if several or column.key != "department"]


def template_csv(*, several: bool, language: str) -> bytes:
    """The headers alone, as Excel opens a CSV: UTF-8 with a byte-order mark, semicolons in Swedish."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter="," if language == "en" else ";", lineterminator="\r\n")
    writer.writerow([column.header(language) for column in template_columns(several=several)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_xlsx(*, plan: Plan, departments: list, language: str) -> bytes:
    """The headers on the first sheet (required ones marked in the list of values), and on a second
    sheet what each column accepts: the choices, the departments, the municipality's goals."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    index = 1 if language == "en" else 0
    columns = template_columns(several=len(departments) > 1)
    with translation.override(language):
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = _("Orders")[:31]
        header_row(sheet, [column.header(language) for column in columns], freeze="B2")

        values = workbook.create_sheet(_("Allowed values")[:31])
        values.append([_("Column"), _("Required"), _("Accepted values")])
        for cell in values[1]:
            cell.font = Font(bold=True)
        goals = Goal.objects.filter(municipality_id=plan.municipality_id).order_by("title")
        for column in columns:
            required = column.required or column.key == "department"
            values.append(
                [
                    column.header(language),
                    YES_NO[required][index],
                    _accepted(column, index, departments=departments, goals=goals),
                ]
            )
        values.column_dimensions["A"].width = 30
        values.column_dimensions["B"].width = 10
        values.column_dimensions["C"].width = 100
        buffer = io.BytesIO()
        workbook.save(buffer)
    return buffer.getvalue()


def _accepted(column: Column, index: int, *, departments: list, goals) -> str:
    if column.kind == "choice":
        return ", ".join(names[index] for names in column.names.values())
    if column.kind == "budget":
        return ", ".join(names[index] for names in BUDGET_NAMES.values())
    if column.kind == "bool":
        return f"{YES_NO[True][index]} / {YES_NO[False][index]}"
    if column.kind == "date":
        return _("A date, 2027-03-01")
    if column.kind == "amount":
        return _("Kronor, e.g. 12 400 000")
    if column.kind == "int":
        return _("Months, 1–120")
    if column.kind == "department":
        return ", ".join(f"{d.code} ({d.name})" for d in departments)
    if column.kind == "goals":
        titles = "; ".join(goal.title for goal in goals)
        return _("The goals' titles, separated by semicolons: %(titles)s") % {"titles": titles}
    if column.key == "cpv":
        return _("Eight digits, with or without the check digit (34110000 or 34110000-1)")
    if column.key == "expert_email":
        return _("An e-mail address")
    return ""
