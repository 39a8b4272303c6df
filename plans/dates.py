"""Calendar arithmetic the plan needs in several places: a contract's end, the radar's horizon, OCDS."""

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """`day` plus whole calendar months; a day past the end of the target month becomes its last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def quarter(day: date) -> int:
    """The calendar quarter of a day: 1 for January–March … 4 for October–December."""
    return (day.month - 1) // 3 + 1
