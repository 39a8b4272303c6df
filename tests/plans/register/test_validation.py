from datetime import date

import pytest

from plans.register import validation


@pytest.mark.parametrize(
    ("cpv", "valid"),
    [
        ("34110000", True),
        ("34110000-1", True),
        (" 34110000 ", True),
        ("3411000", True),  # a lost leading zero: 03411000, coniferous wood
        ("9999999", False),  # seven digits that are no code with a zero before them
        ("341100000", False),  # nine digits
        ("34110000-", False),
        ("34110000-12", False),
        ("3411000A", False),
        ("", False),
        ('="03220000"', True),
        ('="0322000"', False),
        ('=""', False),
    ],
)
def test_cpv_is_eight_digits_with_an_optional_check_digit(cpv, valid):
    assert (validation.cpv_error(cpv) is None) is valid


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("34110000", "34110000"),
        ("34110000-1", "34110000"),  # the check digit is dropped
        ("3411 0000", "34110000"),
        (" 3411\u00a00000 ", "34110000"),  # a no-break space, as a spreadsheet groups digits
        ("3220000", "03220000"),  # the leading zero a spreadsheet dropped
        ("3220000-1", "03220000"),
        ("9999999", "9999999"),  # no code with a zero before it: left for cpv_error to refuse
        ("341100001", "341100001"),  # nine digits: refused, never guessed at
        ("٣٤١١٠٠٠٠", "٣٤١١٠٠٠٠"),  # other scripts' digits are no CPV code
        ('="03220000"', "03220000"),  # the Swedish CSV's text formula, as a spreadsheet may keep it
        ('="3220000"', "03220000"),
        ('="34110000-1"', "34110000"),
        ('="0322000A"', "0322000A"),  # no code inside: refused by cpv_error
        ('="03220000"&"1"', '="03220000"&"1"'),  # a formula that computes is no text formula
    ],
)
def test_a_cpv_code_is_kept_as_eight_digits_however_it_is_written(written, kept):
    assert validation.normalise_cpv(written) == kept


@pytest.mark.parametrize(
    ("ref", "valid"),
    [
        ("2027-001", True),
        ("UhC_17.3", True),
        ("a", True),
        ("x" * 40, True),
        ("x" * 41, False),
        ("-001", False),
        ("2027/001", False),
        ("2027 001", False),
        ("", False),
        ("review", False),
        ("Followup", False),
        ("new", False),
    ],
)
def test_reference_rules(ref, valid):
    assert (validation.ref_error(ref) is None) is valid


@pytest.mark.parametrize(("value", "valid"), [(-1, False), (0, True), (1, True), (10**12, True)])
def test_estimated_value_is_never_negative(value, valid):
    assert (validation.estimated_value_error(value) is None) is valid


@pytest.mark.parametrize(("months", "valid"), [(0, False), (1, True), (48, True), (120, True), (121, False)])
def test_duration_is_one_to_120_months(months, valid):
    assert (validation.duration_error(months) is None) is valid


@pytest.mark.parametrize(
    ("advertised", "valid"),
    [
        (date(2025, 6, 1), True),  # well before the plan year
        (date(2026, 12, 31), True),
        (date(2027, 1, 1), True),
        (date(2027, 12, 31), True),
        (date(2028, 1, 1), False),
    ],
)
def test_advertisement_falls_in_the_plan_year_or_before(advertised, valid):
    assert (validation.advertisement_error(advertised, 2027) is None) is valid


@pytest.mark.parametrize(("count", "valid"), [(0, False), (1, True), (30, True)])
def test_possible_suppliers_is_at_least_one(count, valid):
    assert (validation.possible_suppliers_error(count) is None) is valid


def test_messages_are_swedish_by_default():
    from django.utils import translation

    with translation.override("sv"):
        assert "CPV-kod" in validation.cpv_error("123")
    with translation.override("en"):
        assert "CPV code" in validation.cpv_error("123")
