"""How amounts are written: Swedish digit grouping with a no-break space and "kr"; English "SEK 1,234"."""

import re
from decimal import Decimal

from django.utils import translation

NBSP = "\u00a0"
AMOUNT_TEXT = re.compile(r"-?[0-9][0-9.,]*")


def group_digits(value: int | Decimal, separator: str) -> str:
    sign = "-" if value < 0 else ""
    digits = f"{round(abs(value)):,}"
    return sign + digits.replace(",", separator)


def format_sek(value: int | Decimal | None, language: str | None = None) -> str:
    if value is None:
        return ""
    language = language or translation.get_language() or "sv"
    if language.startswith("en"):
        return f"SEK{NBSP}{group_digits(value, ',')}"
    return f"{group_digits(value, NBSP)}{NBSP}kr"


def parse_sek(raw: str) -> Decimal:
    """Read an amount as people type it: "12 400 000", "12400000 kr", "SEK 12,400,000", exactly: öre
    ("700 000,50") are kept, for the caller to refuse (validation.amount_error), never rounded away.
    Raises ValueError."""
    text = str(raw).strip().lower()
    for unit in ("sek", "kr", ":-"):
        text = text.replace(unit, "")
    for separator in (" ", NBSP, "\u202f", "'"):
        text = text.replace(separator, "")
    # Digits and marks only: no exponent ("1e1000000" would take minutes to refuse, "4.5e6" would be
    # read as 45 000 000), no "NaN", no digits of other scripts.
    if not AMOUNT_TEXT.fullmatch(text):
        raise ValueError(raw)
    # A comma or dot followed by exactly three digits groups thousands; one followed by 1–2 digits is öre.
    if "," in text and "." in text:
        raise ValueError(raw)
    for mark in (",", "."):
        parts = text.split(mark)
        if len(parts) > 1 and all(len(part) == 3 for part in parts[1:]) and parts[0]:
            text = "".join(parts)
        elif len(parts) == 2:
            text = parts[0] + "." + parts[1]
        elif len(parts) > 2:
            raise ValueError(raw)
    if not text or text.startswith("+"):
        raise ValueError(raw)
    amount = Decimal(text)
    if not amount.is_finite():  # "NaN", "Infinity": Decimal reads them, people do not mean them
        raise ValueError(raw)
    return amount
