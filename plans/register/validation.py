"""
Rules for a procurement's fields, as plain functions that return an error message or None.

The forms, the importer and the model's validators all call these, so the same value is accepted or
refused with the same words wherever it comes from.
"""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from plans.centre import cpv
from plans.formatting import format_sek

CPV_PATTERN = re.compile(r"^[0-9]{8}(-[0-9])?$")
# What people write: eight digits (or seven, a lost leading zero), optionally a dash and a check digit.
CPV_WRITTEN = re.compile(r"([0-9]{7,8})(?:-[0-9])?")
# A spreadsheet's text formula, ="03220000": the Swedish CSV export writes a CPV code so (and other text a
# spreadsheet would take for a number or a date), so that Excel and LibreOffice show it as written, the
# leading zero kept. It stands for the text between the quotes.
TEXT_FORMULA = re.compile(r'="([^"]*)"')
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


def amount_too_large_message(label: str, text: str) -> str:
    """Too large for an amount, with the limit in kronor as people write it (never the column's own
    9223372036854775807)."""
    return f"{too_large_message(label, text)}. " + _("At most %(limit_value)s.") % {
        "limit_value": format_sek(MAX_AMOUNT)
    }


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
        return amount_too_large_message(label, text)
    if amount != int(amount):
        return ore_message(label, text)
    return None


# --- Dates, as the import and the forms read them ------------------------------------------------

# ISO 8601, as the export and a browser's date picker write it; a spreadsheet's midnight is tolerated.
ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ]00:00(?::00)?)?", re.ASCII)
# Day/month/year with a four-digit year, as a Swede writes it by hand.
SWEDISH_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})", re.ASCII)


def read_date(text: str) -> date:
    """A date as it is typed in a form or a spreadsheet cell, with one reading only:

    1. ISO 8601, 2027-02-01 (a time of midnight after it is a spreadsheet's, and ignored);
    2. day/month/year, 1/2/2027 or 01/02/2027: 1 February, never 2 January;
    3. anything else (01.02.2027, 1/2/27, 2027/02/01, 1 februari 2027, a day that does not exist) is
       refused rather than guessed.

    Raises ValueError."""
    text = str(text).strip()
    if match := ISO_DATE.fullmatch(text):
        year, month, day = match.groups()
    elif match := SWEDISH_DATE.fullmatch(text):
        day, month, year = match.groups()
    else:
        raise ValueError(text)
    return date(int(year), int(month), int(day))  # ValueError for 29/2/2027 and the like


def not_a_date_message(label: str, text: str) -> str:
    return _("%(column)s: “%(value)s” is not a date (write it as 2027-03-01)") % {
        "column": label,
        "value": text[:40],
    }


def formula_text(text: str) -> str | None:
    """The text a text formula stands for (="03220000" → "03220000"), or None when it is none."""
    written = TEXT_FORMULA.fullmatch(text)
    return written.group(1) if written else None


def normalise_cpv(raw: str) -> str:
    """A CPV code as people write it, as the eight digits it is kept as (issue 17): "34110000",
    "34110000-1" (the check digit is dropped), "3411 0000" (spaces anywhere), ="03220000" (the CSV
    export's text formula), and "3220000", a code whose leading zero a spreadsheet dropped, when
    "03220000" is a code of the vocabulary. Anything else comes back without its spaces, for cpv_error
    to refuse."""
    text = "".join(str(raw).split())
    text = formula_text(text) or text
    written = CPV_WRITTEN.fullmatch(text)
    if written is None:
        return text
    code = written.group(1)
    if len(code) == 7:
        return "0" + code if "0" + code in cpv.known() else text
    return code


def cpv_error(raw: str) -> str | None:
    """A CPV code is eight digits, optionally followed by a dash and a check digit: 34110000 or 34110000-1;
    a code of seven digits is one whose leading zero was lost (normalise_cpv)."""
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
