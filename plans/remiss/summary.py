"""
The remiss summary for the procurement board (remissammanställning): per procurement with review
activity, everything that was said and done during the remiss, and what changed in the plan since the
remiss opened. The page and the XLSX download are built from the same plain data, so they always agree.

1. remiss_summary() turns the procurements (with their activity prefetched) and the changes since the
   snapshot into plain data, in the reader's language, hiding what a reader may not see.
2. summary_xlsx() writes that data as a workbook: one row per piece of activity, and the changes on a
   second sheet. It takes no request and runs no query.
"""

import io
from dataclasses import dataclass, field
from datetime import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from plans.exchange.tabular import FORMULA_STARTS
from plans.formatting import format_sek
from plans.models import Procurement
from plans.register.disclosure import Disclosure, change_is_secret
from plans.remiss.snapshots import PlanChanges
from plans.scoring.rules import Quadrant

# --- The data -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Activity:
    """One thing said or done on a procurement during the remiss."""

    # guidance, involvement, flag, unflag, confirmation or comment: for styling and tests.
    category: str
    # What it was, in the reader's language, e.g. "Guidance: Needs additional funding".
    kind: str
    text: str
    who: str
    when: datetime
    # Comments only: the officer's answer, and whether the comment is handled.
    response: str = ""
    responded_by: str = ""
    responded_at: datetime | None = None
    handled: bool | None = None


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    before: str
    after: str


@dataclass
class SummaryItem:
    ref: str
    title: str
    department: str
    quadrant: str
    quadrant_label: str
    strategic: bool
    activities: list[Activity] = field(default_factory=list)
    changes: list[FieldChange] = field(default_factory=list)


@dataclass
class Summary:
    # Procurements with review activity, in ref order.
    items: list[SummaryItem]
    # Procurements changed since the snapshot without any review activity, in ref order.
    changed_only: list[SummaryItem]
    # (ref, title) of the procurements added to and removed from the plan since the snapshot.
    added: list[tuple[str, str]]
    removed: list[tuple[str, str]]
    # When the remiss opened (the snapshot was taken); None before that.
    snapshot_taken: datetime | None = None


def remiss_summary(
    *,
    procurements,
    changed_elsewhere,
    snapshot_data: dict,
    changes: PlanChanges,
    snapshot_taken: datetime | None,
    disclosure: Disclosure,
) -> Summary:
    """The summary from the procurements with activity (prefetched as in review.procurements_with_activity,
    plus confirmations__user) and the changed or added procurements without activity."""
    field_changes = {
        ref: change_list(fields, snapshot_row=snapshot_data.get(ref, {}), disclosure=disclosure)
        for ref, fields in changes.changed.items()
    }
    items = [_item(p, activities(p), field_changes.get(p.ref, [])) for p in procurements]
    listed = {item.ref for item in items}
    elsewhere = {p.ref: p for p in changed_elsewhere}
    changed_only = [
        _item(elsewhere[ref], [], field_changes[ref])
        for ref in sorted(field_changes)
        if ref not in listed and ref in elsewhere
    ]
    added = [(ref, elsewhere[ref].title if ref in elsewhere else "") for ref in changes.added]
    removed = [(ref, snapshot_data.get(ref, {}).get("title", "")) for ref in changes.removed]
    return Summary(
        items=items, changed_only=changed_only, added=added, removed=removed, snapshot_taken=snapshot_taken
    )


def _item(procurement, activity_list, change_list_) -> SummaryItem:
    return SummaryItem(
        ref=procurement.ref,
        title=procurement.title,
        department=procurement.department.name,
        quadrant=procurement.kraljic,
        quadrant_label=str(Quadrant.labels.get(procurement.kraljic, procurement.kraljic)),
        strategic=procurement.strategic,
        activities=activity_list,
        changes=change_list_,
    )


def _who(user) -> str:
    return str(user) if user is not None else _("a former user")


def _in_order(rows):
    # The prefetched rows come in their models' own orders; the summary reads oldest first.
    return sorted(rows, key=lambda row: (row.created_at, row.pk))


def activities(procurement) -> list[Activity]:
    """What happened on one procurement: the politicians' guidance and requests for early involvement
    first, then the strategic flags, the departments' confirmations, and the comments with their answers;
    oldest first within each. Reads only prefetched rows."""
    rows = []
    for guidance in _in_order(procurement.guidance.all()):
        rows.append(
            Activity(
                category="guidance",
                kind=_("Guidance: %(kind)s") % {"kind": guidance.get_kind_display()},
                text=guidance.text,
                who=_who(guidance.user),
                when=guidance.created_at,
            )
        )
    for request in _in_order(procurement.involvement_requests.all()):
        rows.append(
            Activity(
                category="involvement",
                kind=_("Request for early involvement"),
                text=request.text,
                who=_who(request.user),
                when=request.created_at,
            )
        )
    for flag in _in_order(procurement.flags.all()):
        rows.append(
            Activity(
                category="flag" if flag.flagged else "unflag",
                kind=_("Flagged strategic") if flag.flagged else _("Flag removed"),
                text=flag.reason,
                who=_who(flag.user),
                when=flag.created_at,
            )
        )
    for confirmation in _in_order(procurement.confirmations.all()):
        rows.append(
            Activity(
                category="confirmation",
                kind=_("Needs confirmed"),
                text=_("%(department)s confirms that its needs are correctly described.")
                % {"department": confirmation.department.name},
                who=_who(confirmation.user),
                when=confirmation.created_at,
            )
        )
    for comment in _in_order(procurement.comments.all()):
        who = _who(comment.user)
        if comment.department is not None:
            who = f"{who} ({comment.department.name})"
        rows.append(
            Activity(
                category="comment",
                kind=_("Comment"),
                text=comment.text,
                who=who,
                when=comment.created_at,
                response=comment.response,
                responded_by=_who(comment.responded_by) if comment.responded_at else "",
                responded_at=comment.responded_at,
                handled=comment.handled,
            )
        )
    return rows


def field_label(name: str) -> str:
    label = str(Procurement._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]


def shown_value(name: str, text: str) -> str:
    """A snapshot value (text, as snapshots.as_text wrote it) as a reader would say it.

    Departments stay as their codes, which is how the snapshot keeps them.
    """
    if text == "":
        return ""
    model_field = Procurement._meta.get_field(name)
    if isinstance(model_field, models.BooleanField):
        return _("Yes") if text == "1" else _("No")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(text, text))
    if name == "estimated_value_sek" and text.isdigit():
        return format_sek(int(text))
    return text


def change_list(fields: dict, *, snapshot_row: dict, disclosure: Disclosure) -> list[FieldChange]:
    """{field: (before, after)} as FieldChanges, in the order of the fields, as the viewer may read them:
    the confidential fields of a procurement that is, or was when the remiss opened, confidential read
    "Confidential" to those who may not see them (plans.register.disclosure)."""
    secret = change_is_secret(fields, snapshot_row)
    hidden = _("Confidential")
    return [
        FieldChange(
            name=change.name,
            label=field_label(change.name),
            before=hidden if change.hidden else shown_value(change.name, change.before),
            after=hidden if change.hidden else shown_value(change.name, change.after),
        )
        for change in disclosure.changes(fields, secret=secret)
    ]


# --- The workbook ---------------------------------------------------------------------------------


def _local(moment: datetime | None):
    # Excel has no time zones: the board reads Swedish local time.
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def activity_rows(summary: Summary) -> tuple[list, list]:
    header = [
        _("Reference"),
        _("Title"),
        _("Department"),
        _("Activity"),
        _("Text"),
        _("By"),
        _("When"),
        _("Response"),
        _("Handled"),
    ]
    rows = []
    for item in summary.items:
        for activity in item.activities:
            handled = "" if activity.handled is None else (_("Yes") if activity.handled else _("No"))
            rows.append(
                [
                    item.ref,
                    item.title,
                    item.department,
                    activity.kind,
                    activity.text,
                    activity.who,
                    _local(activity.when),
                    activity.response,
                    handled,
                ]
            )
    return header, rows


def change_rows(summary: Summary) -> tuple[list, list]:
    header = [_("Reference"), _("Field"), _("Before"), _("After")]
    rows = []
    changed = sorted(
        (item for item in summary.items + summary.changed_only if item.changes), key=lambda i: i.ref
    )
    for item in changed:
        rows.extend([item.ref, change.label, change.before, change.after] for change in item.changes)
    rows.extend([ref, _("Added to the plan"), "", title] for ref, title in summary.added)
    rows.extend([ref, _("Removed from the plan"), title, ""] for ref, title in summary.removed)
    return header, rows


def summary_xlsx(summary: Summary) -> bytes:
    """The summary as a workbook, in the active language: frozen headers, filters, widths."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    workbook = Workbook()
    styles = {"bold": Font(bold=True), "fill": PatternFill("solid", fgColor="DCE6EF")}
    sheet = workbook.active
    sheet.title = _("Remiss activity")[:31]
    _fill_sheet(sheet, *activity_rows(summary), styles=styles, freeze="C2")
    _fill_sheet(
        workbook.create_sheet(_("Changes since the remiss opened")[:31]),
        *change_rows(summary),
        styles=styles,
        freeze="B2",
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _fill_sheet(sheet, header: list, rows: list, *, styles: dict, freeze: str):
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    sheet.append(header)
    for cell in sheet[1]:
        cell.font, cell.fill = styles["bold"], styles["fill"]
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    widths = [min(max(len(str(title)), 8), 30) for title in header]
    top = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append(row)
        for index, value in enumerate(row):
            length = 16 if isinstance(value, datetime) else max(len(line) for line in str(value).split("\n"))
            widths[index] = min(max(widths[index], length + 2), 60)
    for row_cells in sheet.iter_rows(min_row=2):
        for cell in row_cells:
            cell.alignment = top
            if isinstance(cell.value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                cell.data_type = "s"  # what someone wrote is text, never a formula
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = freeze
    sheet.auto_filter.ref = sheet.dimensions
