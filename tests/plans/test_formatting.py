from decimal import Decimal

import pytest

from plans.formatting import NBSP, format_sek, parse_sek


@pytest.mark.parametrize(
    ("value", "language", "text"),
    [
        (0, "sv", f"0{NBSP}kr"),
        (999, "sv", f"999{NBSP}kr"),
        (1000, "sv", f"1{NBSP}000{NBSP}kr"),
        (12_400_000, "sv", f"12{NBSP}400{NBSP}000{NBSP}kr"),
        (12_400_000, "en", f"SEK{NBSP}12,400,000"),
        (None, "sv", ""),
    ],
)
def test_amounts_use_swedish_digit_grouping(value, language, text):
    assert format_sek(value, language) == text


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("12400000", 12_400_000),
        ("12 400 000", 12_400_000),
        (f"12{NBSP}400{NBSP}000 kr", 12_400_000),
        ("SEK 12,400,000", 12_400_000),
        ("12.400.000", 12_400_000),
        ("700000,50", Decimal("700000.50")),
        ("1 000,00", 1_000),
        ("0", 0),
        ("-5", -5),
    ],
)
def test_amounts_are_read_as_people_type_them(raw, value):
    assert parse_sek(raw) == value


@pytest.mark.parametrize("raw", ["", "kr", "tolv", "1,2.3", "1..2", "+5", "12 400 000 000 00x"])
def test_unreadable_amounts_are_refused(raw):
    with pytest.raises((ValueError, ArithmeticError)):
        parse_sek(raw)
