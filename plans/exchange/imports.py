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

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models, transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from accounts.models import Department, User
from plans.bulk import bulk_insert
from plans.centre import coordination
from plans.exchange.checking import Lookups, NewDepartment, RowError, check_rows
from plans.exchange.columns import (
    OUTCOME_COLUMNS,
    normal,
)
from plans.exchange.reading import read_table
from plans.formatting import format_sek
from plans.models import HistoryEntry, Outcome, Plan, Procurement
from plans.register.history import readable
from plans.remiss.snapshots import as_text
from plans.remiss.summary import FieldChange
from plans.scoring.services import plan_rescore

log = logging.getLogger(__name__)


@dataclass
class ImportResult:
    total: int = 0
    created: list = field(default_factory=list)  # refs
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    new_departments: list = field(default_factory=list)  # names
    errors: list = field(default_factory=list)  # RowError
    applied: bool = False
    # What each update changes, for the preview: ref → {"confidential": was or becomes confidential,
    # "fields": {field: [before, after]}} with the values as text (snapshots.as_text).
    changes: dict = field(default_factory=dict)

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
            "changes": self.changes,
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
            changes=data.get("changes", {}),
        )


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
    from_command: bool = False,
) -> ImportResult:
    """Check the file and, unless dry_run or any row is bad, import it in one transaction. from_command:
    the messages speak to the import_plan command's user (its flags) rather than to the web page's."""
    header, rows = read_table(filename, content)
    result = ImportResult(total=len(rows))
    with transaction.atomic():
        if plan.pk:
            plan = Plan.objects.select_for_update().select_related("municipality").get(pk=plan.pk)
        lookups = Lookups.for_plan(plan, create_departments=create_departments, from_command=from_command)
        checked, result.errors = check_rows(header, rows, lookups)
        result.new_departments = sorted(lookups.new_departments.values())
        if result.errors:
            return result
        # Locked in the order every save takes them (the plan, then its procurements, then their outcomes),
        # so that an officer's save of a procurement or an outcome waits for the import or the import
        # for it, and neither overwrites the other with what it read before.
        existing, outcomes = {}, {}
        groups = []
        if plan.pk:
            procurements = Procurement.objects.filter(plan=plan)
            stored_outcomes = Outcome.objects.filter(procurement__plan=plan)
            if not dry_run:
                # The coordinated procurements' groups before the rows, as coordination locks them.
                groups = coordination.lock_groups(
                    procurements.filter(coordination__isnull=False).only("coordination")
                )
                procurements = procurements.select_for_update()
                stored_outcomes = stored_outcomes.select_for_update(of=("self",))
            existing = {p.ref.casefold(): p for p in procurements}
            outcomes = {o.procurement_id: o for o in stored_outcomes}
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
                result.changes[procurement.ref] = _preview_entry(
                    procurement, differences, outcome, outcome_changes
                )
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
        # A member's new value changes its group's combined value (issue 16): before the plan is rescored.
        coordination.refresh_groups(
            (
                procurement.coordination_id
                for procurement, differences in to_update
                if "estimated_value_sek" in differences and procurement.coordination_id in groups
            ),
            user=user,
        )
        plan_rescore(plan=plan)
        _save_outcomes(plan, outcome_rows, user)
        _record_history(plan, user, filename, created, to_update)
        result.applied = True
        if progress:
            progress(len(checked), len(checked))
    return result


OUTCOME_KEYS = {column.key for column in OUTCOME_COLUMNS}


def _preview_entry(procurement, differences: dict, outcome, outcome_changes: dict) -> dict:
    """One update as the preview keeps it (JSON, on the job): every changed field, before and after."""
    fields = {name: [_as_text(before), _as_text(after)] for name, (before, after) in differences.items()}
    fields |= {
        name: [_as_text(getattr(outcome, name, None)), _as_text(value)]
        for name, value in outcome_changes.items()
    }
    confidential = procurement.confidential or bool(differences.get("confidential", (False, False))[1])
    return {"confidential": confidential, "fields": fields}


def _as_text(value) -> str:
    """A value as the history and the snapshots write it; a department or an officer by name."""
    if isinstance(value, NewDepartment):
        return value.name
    if isinstance(value, User | Department):
        return readable(value)
    return as_text(value)


def preview_changes(result: ImportResult, disclosure) -> list[tuple[str, list[FieldChange]]]:
    """What each update of the preview changes, field by field, as the viewer may read it (the
    confidential fields of a confidential procurement through the Disclosure)."""
    hidden = _("Confidential")
    shown = []
    for ref in result.updated:
        entry = result.changes.get(ref)
        if not entry:  # a job checked before the preview kept its changes
            continue
        fields = {name: tuple(pair) for name, pair in entry["fields"].items()}
        shown.append(
            (
                ref,
                [
                    FieldChange(
                        name=change.name,
                        label=capfirst(_field_of(change.name).verbose_name),
                        before=hidden if change.hidden else _shown(change.name, change.before),
                        after=hidden if change.hidden else _shown(change.name, change.after),
                    )
                    for change in disclosure.changes(fields, secret=entry["confidential"])
                ],
            )
        )
    return shown


def _field_of(name: str):
    return (Outcome if name in OUTCOME_KEYS else Procurement)._meta.get_field(name)


def _shown(name: str, text: str) -> str:
    """A value kept as text, as a reader would say it: Ja/Nej, a choice by its label, an amount in kronor."""
    if text == "":
        return ""
    model_field = _field_of(name)
    if isinstance(model_field, models.BooleanField):
        return _("Yes") if text in ("1", "True") else _("No")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(text, text))
    if name.endswith("_sek") and text.isdigit():
        return format_sek(int(text))
    return text


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
