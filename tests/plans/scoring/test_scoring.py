"""The rubric of DESIGN §3 at every edge, without a database."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plans.scoring.rules import (
    Inputs,
    Quadrant,
    RubricValues,
    assess,
    economic_score,
    environmental_score,
    kraljic_quadrant,
    priority,
    requirements_freeze,
    social_score,
    supply_risk_score,
)

RUBRIC = RubricValues()


@pytest.mark.parametrize(
    ("value", "score"),
    [
        (0, 0),
        (699_999, 0),
        (700_000, 1),  # the direct-award limit
        (2_389_584, 1),
        (2_389_585, 2),  # the EU threshold
        (4_999_999, 2),
        (5_000_000, 3),
        (19_999_999, 3),
        (20_000_000, 4),
        (99_999_999, 4),
        (100_000_000, 5),
        (10**12, 5),
    ],
)
def test_economic_weight_bands(value, score):
    assert economic_score(value, RUBRIC).value == score


def test_economic_limits_are_plan_settings():
    rubric = RubricValues(direct_award_limit=600_000, eu_threshold=2_500_000)
    assert economic_score(650_000, rubric).value == 1
    assert economic_score(2_400_000, rubric).value == 1
    assert economic_score(2_500_000, rubric).value == 2


def test_economic_reason_names_the_band(settings):
    from django.utils import translation

    with translation.override("sv"):
        (reason,) = economic_score(12_400_000, RUBRIC).reasons
    assert reason == "Uppskattat värde 12\u00a0400\u00a0000\u00a0kr ≥ 5\u00a0000\u00a0000\u00a0kr → 3"


@pytest.mark.parametrize(
    ("flags", "score"),
    [
        ({}, 0),
        ({"employment_requirement": True}, 2),
        ({"reserved_contract": True}, 2),
        ({"labour_conditions": True}, 1),
        ({"lots": True}, 1),
        ({"employment_requirement": True, "labour_conditions": True}, 3),
        ({"employment_requirement": True, "reserved_contract": True, "labour_conditions": True}, 5),
        (
            {
                "employment_requirement": True,
                "reserved_contract": True,
                "labour_conditions": True,
                "lots": True,
            },
            5,
        ),
    ],
)
def test_social_weight(flags, score):
    assert social_score(Inputs(estimated_value_sek=0, **flags), RUBRIC).value == score


def test_social_weight_says_it_was_capped():
    all_four = Inputs(
        0, employment_requirement=True, reserved_contract=True, labour_conditions=True, lots=True
    )
    assert any("5" in reason for reason in social_score(all_four, RUBRIC).reasons[-1:])


@pytest.mark.parametrize(
    ("climate", "level", "score"),
    [
        ("low", "none", 0),
        ("medium", "none", 1),
        ("high", "none", 2),
        ("low", "bas", 1),
        ("low", "avancerad", 2),
        ("low", "spjutspets", 3),
        ("medium", "avancerad", 3),
        ("high", "avancerad", 4),
        ("medium", "spjutspets", 4),
        ("high", "spjutspets", 5),
    ],
)
def test_environmental_weight(climate, level, score):
    inputs = Inputs(0, climate_impact=climate, environmental_level=level)
    assert environmental_score(inputs, RUBRIC).value == score


def test_environmental_weight_is_capped_at_five():
    rubric = RubricValues(climate_points={"low": 0, "medium": 1, "high": 3})
    assert (
        environmental_score(Inputs(0, climate_impact="high", environmental_level="spjutspets"), rubric).value
        == 5
    )


@pytest.mark.parametrize(
    ("suppliers", "critical", "switching", "score"),
    [
        (None, False, False, 0),
        (1, False, False, 2),
        (2, False, False, 1),
        (3, False, False, 1),
        (4, False, False, 0),
        (30, False, False, 0),
        (4, True, False, 2),
        (4, False, True, 1),
        (1, True, False, 4),
        (1, True, True, 5),
        (3, True, True, 4),
    ],
)
def test_supply_risk(suppliers, critical, switching, score):
    inputs = Inputs(
        0, possible_suppliers=suppliers, business_critical=critical, high_switching_cost=switching
    )
    assert supply_risk_score(inputs, RUBRIC).value == score


def test_supply_risk_is_capped_at_five():
    rubric = RubricValues(single_supplier_points=3)
    inputs = Inputs(0, possible_suppliers=1, business_critical=True, high_switching_cost=True)
    assert supply_risk_score(inputs, rubric).value == 5


@pytest.mark.parametrize(
    ("e", "r", "quadrant"),
    [
        (3, 3, Quadrant.STRATEGIC),
        (5, 5, Quadrant.STRATEGIC),
        (3, 2, Quadrant.LEVERAGE),
        (5, 0, Quadrant.LEVERAGE),
        (2, 3, Quadrant.BOTTLENECK),
        (0, 5, Quadrant.BOTTLENECK),
        (2, 2, Quadrant.ROUTINE),
        (0, 0, Quadrant.ROUTINE),
    ],
)
def test_kraljic_quadrant_corners(e, r, quadrant):
    assert kraljic_quadrant(e, r) == quadrant


def inputs_for(*, e=0, s=0, m=0, r=0, flagged=False):
    """Inputs that score exactly E=e, S=s (≤ 2 via employment), M=m, R=r with the default rubric."""
    values = {0: 0, 1: 700_000, 2: 2_389_585, 3: 5_000_000, 4: 20_000_000, 5: 100_000_000}
    social = {
        0: {},
        1: {"lots": True},
        2: {"employment_requirement": True},
        3: {"employment_requirement": True, "lots": True},
        4: {"employment_requirement": True, "reserved_contract": True},
    }[s]
    environmental = {
        0: ("low", "none"),
        1: ("medium", "none"),
        2: ("high", "none"),
        3: ("high", "bas"),
        4: ("high", "avancerad"),
        5: ("high", "spjutspets"),
    }[m]
    risk = {
        0: (None, False, False),
        1: (2, False, False),
        2: (1, False, False),
        3: (1, False, True),
        4: (1, True, False),
        5: (1, True, True),
    }[r]
    return Inputs(
        estimated_value_sek=values[e],
        climate_impact=environmental[0],
        environmental_level=environmental[1],
        possible_suppliers=risk[0],
        business_critical=risk[1],
        high_switching_cost=risk[2],
        flagged_strategic=flagged,
        **social,
    )


@pytest.mark.parametrize(
    ("scores", "strategic"),
    [
        ({}, False),
        ({"e": 3, "r": 3}, True),  # strategic quadrant
        ({"e": 3, "r": 2}, False),
        ({"e": 4}, True),  # significant economic value
        ({"s": 3}, True),  # significant social requirements
        ({"s": 2}, False),
        ({"m": 4}, True),  # significant environmental requirements
        ({"m": 3}, False),
        ({"r": 5}, False),  # a bottleneck alone is not strategic
        ({"flagged": True}, True),
    ],
)
def test_strategic_for_review(scores, strategic):
    assessment = assess(inputs_for(**scores), RUBRIC)
    assert assessment.strategic is strategic
    assert bool(assessment.strategic_reasons) is strategic


def test_significant_levels_are_plan_settings():
    rubric = RubricValues(significant_economic=5, significant_social=4, significant_environmental=3)
    assert not assess(inputs_for(e=4), rubric).strategic
    assert not assess(inputs_for(s=3), rubric).strategic
    assert assess(inputs_for(m=3), rubric).strategic


@pytest.mark.parametrize(
    ("e", "s", "m", "r", "expected"),
    [
        (0, 0, 0, 0, Decimal("0.0")),
        (5, 5, 5, 5, Decimal("100.0")),
        (5, 0, 0, 0, Decimal("40.0")),
        (0, 5, 0, 0, Decimal("20.0")),
        (3, 1, 2, 4, Decimal("52.0")),  # (0.4·3 + 0.2·1 + 0.2·2 + 0.2·4) / 5 · 100
        (1, 0, 0, 0, Decimal("8.0")),
    ],
)
def test_priority_is_the_weighted_sum_scaled_to_100(e, s, m, r, expected):
    assert priority(economic=e, social=s, environmental=m, supply_risk=r, rubric=RUBRIC) == expected


def test_priority_has_one_decimal():
    rubric = RubricValues(
        weight_economic=Decimal("0.33"),
        weight_social=Decimal("0.33"),
        weight_environmental=Decimal("0.17"),
        weight_risk=Decimal("0.17"),
    )
    assert priority(economic=1, social=0, environmental=0, supply_risk=0, rubric=rubric) == Decimal("6.6")


@pytest.mark.parametrize(
    ("advertised", "weeks", "freeze"),
    [
        (date(2027, 3, 1), 8, date(2027, 1, 4)),
        (date(2027, 3, 1), 0, date(2027, 3, 1)),
        (None, 8, None),
    ],
)
def test_requirements_freeze_is_the_advertisement_minus_the_lead_time(advertised, weeks, freeze):
    assert requirements_freeze(advertised, RubricValues(freeze_lead_weeks=weeks)) == freeze


# Properties, over any inputs.
any_inputs = st.builds(
    Inputs,
    estimated_value_sek=st.integers(min_value=0, max_value=10**11),
    possible_suppliers=st.one_of(st.none(), st.integers(min_value=1, max_value=50)),
    business_critical=st.booleans(),
    high_switching_cost=st.booleans(),
    employment_requirement=st.booleans(),
    reserved_contract=st.booleans(),
    labour_conditions=st.booleans(),
    lots=st.booleans(),
    climate_impact=st.sampled_from(["low", "medium", "high"]),
    environmental_level=st.sampled_from(["none", "bas", "avancerad", "spjutspets"]),
    flagged_strategic=st.booleans(),
)


@given(any_inputs, st.integers(min_value=0, max_value=10**11))
def test_raising_the_value_never_lowers_e(inputs, more):
    assert (
        economic_score(inputs.estimated_value_sek + more, RUBRIC).value
        >= economic_score(inputs.estimated_value_sek, RUBRIC).value
    )


@given(
    any_inputs, st.sampled_from(["employment_requirement", "reserved_contract", "labour_conditions", "lots"])
)
def test_adding_a_social_requirement_never_lowers_s(inputs, requirement):
    from dataclasses import replace

    assert (
        social_score(replace(inputs, **{requirement: True}), RUBRIC).value
        >= social_score(inputs, RUBRIC).value
    )


@given(any_inputs)
def test_scores_stay_within_0_to_5_and_priority_within_0_to_100(inputs):
    result = assess(inputs, RUBRIC)
    for score in (result.economic, result.social, result.environmental, result.supply_risk):
        assert 0 <= score.value <= 5
        assert score.reasons
    assert Decimal(0) <= result.priority <= Decimal(100)
    assert result.priority == result.priority.quantize(Decimal("0.1"))


@given(any_inputs)
def test_the_quadrant_agrees_with_e_and_r(inputs):
    result = assess(inputs, RUBRIC)
    high_e, high_r = result.economic.value >= 3, result.supply_risk.value >= 3
    expected = {
        (True, True): Quadrant.STRATEGIC,
        (True, False): Quadrant.LEVERAGE,
        (False, True): Quadrant.BOTTLENECK,
        (False, False): Quadrant.ROUTINE,
    }[(high_e, high_r)]
    assert result.quadrant == expected
    if result.quadrant == Quadrant.STRATEGIC:
        assert result.strategic
