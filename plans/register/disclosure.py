"""
What a viewer may see of a procurement: the one place that decides it.

The estimated value and the description of a procurement marked confidential are secret until award
(OSL 19:3). Who may see them is a permission rule (accounts.permissions.can_view_confidential: the
procurement centre's staff); what that means for everything the site writes is decided here, and every
page, fragment, export, total, mail and feed asks a Disclosure rather than looking at the flag itself.

For a viewer who may not see confidential values:
- the value reads "Sekretess" and the description is left out;
- the economic score and its band stay (politicians prioritise on them), and the reason names the band
  in words ("mellan EU:s tröskelvärde och 5 Mkr"), never the value;
- history entries keep every field, but a confidential field reads "Uppskattat värde ändrades
  (sekretess)" instead of its old and new value;
- totals and averages leave confidential values out and say how many were left out;
- sorting and filtering by value use shown_value, which is NULL for them: they sort last in both
  directions and no value range matches them, so bisection reveals nothing.

A department's order (issue 14) follows the same rule, except that the representatives of the ordering
department, who wrote its value and need, see them too (OrderDisclosure).
"""

from dataclasses import dataclass, replace

from django.db import models
from django.db.models import Case, Count, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from accounts.permissions import Access, can_view_confidential
from plans.formatting import format_sek
from plans.scoring.rules import Assessment, Score, economic_band_reason

# The fields that are secret to those who may not see confidential values.
CONFIDENTIAL_FIELDS = ("estimated_value_sek", "description")


@dataclass(frozen=True)
class ShownChange:
    """One field of a history entry or of a change list, as the viewer may read it."""

    name: str
    before: str
    after: str
    hidden: bool = False


@dataclass(frozen=True)
class ShownEntry:
    """A history entry with its changes as the viewer may read them."""

    entry: object
    changes: tuple[ShownChange, ...]
    note: str = ""


@dataclass(frozen=True)
class Disclosure:
    """What one viewer may see of the procurements of one municipality."""

    # True for those who may see confidential values (the centre's staff).
    confidential: bool

    @classmethod
    def of(cls, access: Access, *, municipality_id: int) -> "Disclosure":
        return cls(confidential=can_view_confidential(access, municipality_id=municipality_id))

    # --- One procurement ------------------------------------------------------------------------

    def hides(self, procurement) -> bool:
        """True when this procurement's confidential fields are secret to this viewer."""
        return self.hidden(procurement.confidential)

    def hidden(self, confidential: bool) -> bool:
        """True when the confidential fields of a procurement so flagged are secret to this viewer (for
        rows read as values rather than as procurements)."""
        return bool(confidential) and not self.confidential

    def value(self, procurement) -> int | None:
        """The estimated value, or None where it is secret to this viewer."""
        return None if self.hides(procurement) else procurement.estimated_value_sek

    def value_text(self, procurement, language: str | None = None) -> str:
        """The estimated value as written for this viewer: "12 400 000 kr", or "Confidential"."""
        value = self.value(procurement)
        return gettext("Confidential") if value is None else format_sek(value, language)

    def description(self, procurement) -> str:
        """The description, or "" where it is secret to this viewer."""
        return "" if self.hides(procurement) else procurement.description

    def assessment(self, procurement, *, group_visible: bool | None = None) -> Assessment:
        """The rubric's verdict with its reasons; a hidden value's reason names its band, not the value.

        A coordinated procurement (issue 16) is scored on its group's combined value, which holds the
        other municipalities' values: the reason names the sum only where the viewer may see every one of
        them (group_visible, which the caller decides with coordination.display; by default only the
        centre's staff, who see every municipality the centre serves), else its band."""
        assessment = procurement.assessment()
        if group_visible is None:
            group_visible = self.confidential
        # Scored on the group's combined value only where the rubric says so; else on its own value.
        coordinated = bool(procurement.coordinated_with) and procurement.plan.rubric_values.coordinated_value
        if not self.hides(procurement) and (group_visible or not coordinated):
            return assessment
        economic = assessment.economic
        reason = economic_band_reason(
            economic.value, procurement.plan.rubric_values, procurement.coordinated_with
        )
        return replace(assessment, economic=Score(economic.value, (reason,)))

    # --- Changes and history --------------------------------------------------------------------

    def changes(self, fields: dict, *, secret: bool) -> tuple[ShownChange, ...]:
        """{field: (before, after)} as the viewer may read them. secret: the procurement is, or was at
        either end of the change, confidential."""
        hide = secret and not self.confidential
        return tuple(
            ShownChange(name, "", "", hidden=True)
            if hide and name in CONFIDENTIAL_FIELDS
            else ShownChange(name, before, after)
            for name, (before, after) in fields.items()
        )

    def history(self, entries) -> list[ShownEntry]:
        """History entries as the viewer may read them (their procurement is read, so select it)."""
        shown = []
        for entry in entries:
            changes = dict(entry.changes or {})
            note = changes.pop("note", "")
            shown.append(ShownEntry(entry, self.changes(changes, secret=entry_is_secret(entry)), note))
        return shown

    # --- Totals -----------------------------------------------------------------------------------

    # --- Queries ------------------------------------------------------------------------------------

    def shown_value(self):
        """An expression for the value this viewer may see: NULL where it is secret to them."""
        if self.confidential:
            return F("estimated_value_sek")
        return Case(
            When(confidential=True, then=Value(None)),
            default=F("estimated_value_sek"),
            output_field=models.PositiveBigIntegerField(),
        )

    def with_shown_value(self, queryset):
        """Annotate shown_value, which sorting, filtering and exports read instead of the value."""
        return queryset.annotate(shown_value=self.shown_value())

    def value_aggregates(self, name: str = "planned_value", prefix: str = "") -> dict:
        """Aggregates {name: sum of the values this viewer may see, name_left_out: how many were not
        counted}, for procurements reached through prefix ("" or e.g. "procurements__")."""
        value = f"{prefix}estimated_value_sek"
        if self.confidential:
            return {name: Coalesce(Sum(value), 0), f"{name}_left_out": Value(0)}
        secret = Q(**{f"{prefix}confidential": True})
        return {
            name: Coalesce(Sum(value, filter=~secret), 0),
            f"{name}_left_out": Count(f"{prefix}pk", filter=secret),
        }

    # --- Orders (issue 14) ---------------------------------------------------------------------------

    def orders(self, departments=frozenset()) -> "OrderDisclosure":
        """What this viewer may see of a plan's orders, as a representative of departments (ids)."""
        return OrderDisclosure(confidential=self.confidential, departments=frozenset(departments))


# The two kinds of viewer, for code that speaks for one of them rather than for a request's user.
CENTRE = Disclosure(confidential=True)
PUBLIC = Disclosure(confidential=False)


def change_is_secret(fields: dict, snapshot_row: dict) -> bool:
    """A change since the remiss opened is secret when the procurement was confidential then, or is
    now (the change itself records a "1" on either side of the flag)."""
    return snapshot_row.get("confidential") == "1" or "1" in fields.get("confidential", ())


def entry_is_secret(entry) -> bool:
    """A history entry's confidential fields are secret when its procurement is confidential now, or
    when the entry itself made it confidential or public (its values were secret at one end)."""
    procurement = entry.procurement
    if procurement is not None and procurement.confidential:
        return True
    change = (entry.changes or {}).get("confidential")
    # Edits store a flag as "1"/"0" (snapshots.as_text), the import as "True"/"False".
    return bool(change) and any(str(side) in ("1", "True") for side in change)


@dataclass(frozen=True)
class OrderDisclosure:
    """What one viewer may see of a department's orders (issue 14).

    A confidential order's estimated value and need are secret, as a procurement's are, but they were
    written by the ordering department: its representatives see them, besides the centre's staff.
    Everyone else (politicians, other departments) reads "Confidential" and no need."""

    # True for those who may see confidential values (the centre's staff).
    confidential: bool
    # The departments the viewer represents: they see their own confidential orders.
    departments: frozenset = frozenset()

    def hides(self, order) -> bool:
        """True when this order's value and need are secret to this viewer."""
        return (
            bool(order.confidential) and not self.confidential and order.department_id not in self.departments
        )

    def value(self, order) -> int | None:
        return None if self.hides(order) else order.estimated_value_sek

    def value_text(self, order, language: str | None = None) -> str:
        value = self.value(order)
        return gettext("Confidential") if value is None else format_sek(value, language)

    def need(self, order) -> str:
        return "" if self.hides(order) else order.need

    def estimation_basis(self, order) -> str:
        """How the value was estimated: secret with the value (a quote or last year's cost names it)."""
        return "" if self.hides(order) else order.estimation_basis

    def shown_value(self):
        """An expression for the order's value as this viewer may see it: NULL where it is secret."""
        if self.confidential:
            return F("estimated_value_sek")
        return Case(
            When(Q(confidential=True) & ~Q(department_id__in=self.departments), then=Value(None)),
            default=F("estimated_value_sek"),
            output_field=models.PositiveBigIntegerField(),
        )

    def with_shown_value(self, queryset):
        return queryset.annotate(shown_value=self.shown_value())
