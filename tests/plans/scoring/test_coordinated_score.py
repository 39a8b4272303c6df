"""Issue 16: a coordinated procurement's economic weight counts the group's combined value, where the
rubric says so (on by default), and its reason says so; without a database."""

import pytest
from django.utils import translation

from plans.scoring.rules import Inputs, RubricValues, assess, economic_band_reason, format_msek

RUBRIC = RubricValues()
OFF = RubricValues(coordinated_value=False)


@pytest.mark.parametrize(
    ("own", "combined", "others", "rubric", "score"),
    [
        # Three 2 Mkr needs: one procurement above the EU threshold.
        (2_000_000, 6_000_000, 2, RUBRIC, 3),
        (2_000_000, 6_000_000, 2, OFF, 1),
        # At the EU threshold exactly, and one krona below it.
        (1_000_000, 2_389_585, 1, RUBRIC, 2),
        (1_000_000, 2_389_584, 1, RUBRIC, 1),
        # Below the direct-award limit together: still 0.
        (300_000, 699_999, 1, RUBRIC, 0),
        # Not in a group: the own value, whatever is left on the inputs.
        (2_000_000, None, 0, RUBRIC, 1),
        (2_000_000, 6_000_000, 0, RUBRIC, 1),
        # The combined value counts even when the own value alone is higher (it never is, but the
        # rule reads the group's sum, which holds the own value).
        (20_000_000, 21_000_000, 1, RUBRIC, 4),
    ],
)
def test_the_economic_weight_of_a_coordinated_procurement(own, combined, others, rubric, score):
    inputs = Inputs(estimated_value_sek=own, coordinated_value_sek=combined, coordinated_with=others)
    assert assess(inputs, rubric).economic.value == score


def test_the_reason_names_the_group_and_its_combined_value():
    inputs = Inputs(estimated_value_sek=2_000_000, coordinated_value_sek=6_200_000, coordinated_with=2)
    with translation.override("sv"):
        (reason,) = assess(inputs, RUBRIC).economic.reasons
    assert reason == "Samordnad med 2 andra kommuner: 6,2 Mkr ≥ 5 Mkr → 3"
    with translation.override("en"):
        (reason,) = assess(inputs, RUBRIC).economic.reasons
    assert reason == "Coordinated with 2 other municipalities: 6.2 MSEK ≥ 5 MSEK → 3"


def test_one_other_municipality_is_singular():
    inputs = Inputs(estimated_value_sek=400_000, coordinated_value_sek=600_000, coordinated_with=1)
    with translation.override("sv"):
        (reason,) = assess(inputs, RUBRIC).economic.reasons
    assert reason == "Samordnad med 1 annan kommun: 0,6 Mkr under direktupphandlingsgränsen → 0"


@pytest.mark.parametrize(
    ("combined", "expected"),
    [
        (2_389_585, "Samordnad med 2 andra kommuner: 2,4 Mkr ≥ EU:s tröskelvärde → 2"),
        (700_000, "Samordnad med 2 andra kommuner: 0,7 Mkr ≥ direktupphandlingsgränsen → 1"),
        (100_000_000, "Samordnad med 2 andra kommuner: 100,0 Mkr ≥ 100 Mkr → 5"),
    ],
)
def test_the_reason_names_the_bands_limit_in_words(combined, expected):
    inputs = Inputs(estimated_value_sek=300_000, coordinated_value_sek=combined, coordinated_with=2)
    with translation.override("sv"):
        assert assess(inputs, RUBRIC).economic.reasons == (expected,)


def test_with_the_setting_off_the_reason_is_the_own_value():
    inputs = Inputs(estimated_value_sek=2_000_000, coordinated_value_sek=6_000_000, coordinated_with=2)
    with translation.override("sv"):
        (reason,) = assess(inputs, OFF).economic.reasons
    assert reason.startswith("Uppskattat värde 2\u00a0000\u00a0000\u00a0kr")


@pytest.mark.parametrize(
    ("others", "rubric", "expected"),
    [
        (2, RUBRIC, "Samordnad med 2 andra kommuner: sammanlagt värde mellan 5 Mkr och 20 Mkr → 3"),
        (0, RUBRIC, "Uppskattat värde mellan 5 Mkr och 20 Mkr → 3"),
        (2, OFF, "Uppskattat värde mellan 5 Mkr och 20 Mkr → 3"),
    ],
)
def test_the_band_reason_of_a_hidden_combined_value(others, rubric, expected):
    with translation.override("sv"):
        assert economic_band_reason(3, rubric, others) == expected


@pytest.mark.parametrize(
    ("value", "sv", "en"),
    [(6_200_000, "6,2 Mkr", "6.2 MSEK"), (6_250_000, "6,3 Mkr", "6.3 MSEK"), (0, "0,0 Mkr", "0.0 MSEK")],
)
def test_millions_are_written_with_one_decimal(value, sv, en):
    with translation.override("sv"):
        assert format_msek(value) == sv
    with translation.override("en"):
        assert format_msek(value) == en
