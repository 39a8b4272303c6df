"""
Rules for a procurement's fields, as plain functions that return an error message or None.

The forms, the importer and the model's validators all call these, so the same value is accepted or
refused with the same words wherever it comes from.
"""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CPV_PATTERN = re.compile(r"^\d{8}(-\d)?$")
REF_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
# Refs that would collide with a plan's own addresses (/plans/<m>/<y>/review/ and so on).
RESERVED_REFS = frozenset(
    {
        "new",
        "review",
        "followup",
        "export",
        "import",
        "rubric",
        "matrix",
        "history",
        "changes",
        "manage",
        "brief",
        "calendar",
        "orders",
    }
)
MIN_DURATION_MONTHS = 1
MAX_DURATION_MONTHS = 120
# What the database can hold: amounts in a bigint (and far above any plan), counts in a smallint.
MAX_AMOUNT = 10**15
MAX_COUNT = 32_767


# --- Numbers, as the import and the forms read them (same bounds, same words) -------------------


def too_large_message(label: str, text: str) -> str:
    return _("%(column)s: “%(value)s” is too large") % {"column": label, "value": text[:40]}


def not_whole_number_message(label: str, text: str) -> str:
    return _("%(column)s: “%(value)s” is not a whole number") % {"column": label, "value": text[:40]}


def negative_count_message(label: str) -> str:
    return _("%(column)s cannot be negative") % {"column": label}


def not_an_amount_message(label: str, text: str) -> str:
    return _("%(column)s: “%(value)s” is not an amount in kronor") % {"column": label, "value": text[:40]}


def ore_message(label: str, text: str) -> str:
    return _("%(column)s: “%(value)s” has öre; write the amount in whole kronor") % {
        "column": label,
        "value": text[:40],
    }


def count_error(number: int, label: str, text: str) -> str | None:
    """A count (bids, people employed …) is 0 or more and fits the column."""
    if number < 0:
        return negative_count_message(label)
    if number > MAX_COUNT:
        return too_large_message(label, text)
    return None


def amount_error(amount, label: str, text: str) -> str | None:
    """An amount is whole kronor (öre are refused, never rounded away) and fits the column. Negative
    amounts get the field's own words (estimated_value_error and the like), so they pass here."""
    if not amount.is_finite():  # a spreadsheet's 1E+999 is read as infinity
        return not_an_amount_message(label, text)
    if amount > MAX_AMOUNT:
        return too_large_message(label, text)
    if amount != int(amount):
        return ore_message(label, text)
    return None


def normalise_cpv(raw: str) -> str:
    return raw.strip().replace(" ", "")


def cpv_error(raw: str) -> str | None:
    """A CPV code is eight digits, optionally followed by a dash and a check digit: 34110000 or 34110000-1."""
    if not CPV_PATTERN.match(normalise_cpv(raw)):
        return _(
            "Enter a CPV code of eight digits, optionally with a check digit (e.g. 34110000 or 34110000-1)."
        )
    return None


def ref_error(raw: str) -> str | None:
    ref = raw.strip()
    if not REF_PATTERN.match(ref):
        return _(
            "A reference is 1–40 characters: letters, digits, dot, dash and underscore, "
            "starting with a letter or digit (e.g. 2027-014)."
        )
    if ref.lower() in RESERVED_REFS:
        return _("“%(ref)s” is reserved for the plan's own pages; choose another reference.") % {"ref": ref}
    return None


def estimated_value_error(value: int) -> str | None:
    if value < 0:
        return _("The estimated value cannot be negative.")
    return None


def duration_error(months: int) -> str | None:
    if not MIN_DURATION_MONTHS <= months <= MAX_DURATION_MONTHS:
        return _("The contract period must be between %(min)d and %(max)d months.") % {
            "min": MIN_DURATION_MONTHS,
            "max": MAX_DURATION_MONTHS,
        }
    return None


def advertisement_error(advertised: date, plan_year: int) -> str | None:
    """The planned advertisement falls inside the plan year or before it, never after it."""
    if advertised.year > plan_year:
        return _("The planned advertisement must fall in %(year)d or earlier.") % {"year": plan_year}
    return None


def possible_suppliers_error(count: int) -> str | None:
    if count < 1:
        return _("Enter at least one possible supplier, or leave the field empty if unknown.")
    return None


# Model-field validators (importable by name, so migrations can refer to them).
def _raise_if(message: str | None) -> None:
    if message:
        raise ValidationError(message)


def validate_ref(value: str) -> None:
    _raise_if(ref_error(value))


def validate_cpv(value: str) -> None:
    _raise_if(cpv_error(value))


def validate_duration(value: int) -> None:
    _raise_if(duration_error(value))


def validate_possible_suppliers(value: int) -> None:
    _raise_if(possible_suppliers_error(value))
