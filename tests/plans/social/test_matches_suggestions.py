"""The register's suggestion (plans.social.suggestions) at its edges, without a database."""

import pytest
from django.utils import translation

from plans.models import SocialDecision
from plans.social.suggestions import (
    EMPLOYMENT,
    LOT,
    LOT_ENTERPRISES,
    RESERVED,
    Matched,
    Procured,
    suggest,
)

THRESHOLD = 2_389_585
QUALIFIED = Matched(reserved_qualified=True, capacity=4)
PLAIN = Matched(reserved_qualified=False, capacity=4)
FULL_QUALIFIED = Matched(reserved_qualified=True, capacity=0)
UNKNOWN_CAPACITY = Matched(reserved_qualified=False, capacity=None)


def procured(value=1_000_000, **flags):
    return Procured(value=value, eu_threshold=THRESHOLD, **flags)


@pytest.mark.parametrize(
    ("enterprises", "thing", "expected"),
    [
        # Nobody offers it: nothing.
        ([], procured(), None),
        ([], procured(value=50_000_000), None),
        # One qualifying enterprise is enough for a reserved contract, whatever the value.
        ([QUALIFIED], procured(), RESERVED),
        ([PLAIN, QUALIFIED], procured(value=50_000_000), RESERVED),
        ([QUALIFIED], procured(lots=True, employment_requirement=True), RESERVED),
        # … unless it is reserved already: nothing new, and nothing else either.
        ([QUALIFIED], procured(reserved_contract=True), None),
        ([PLAIN, PLAIN], procured(value=50_000_000, reserved_contract=True), None),
        # A qualifying enterprise with no room this year does not make it reserved.
        ([FULL_QUALIFIED], procured(), EMPLOYMENT),
        ([FULL_QUALIFIED, PLAIN], procured(value=THRESHOLD + 1), LOT),
        # Above the EU threshold and not divided: a lot; at the threshold itself it is not above it.
        ([PLAIN], procured(value=THRESHOLD + 1), LOT),
        ([PLAIN], procured(value=THRESHOLD), EMPLOYMENT),
        # Already divided: the employment requirement is what is left.
        ([PLAIN], procured(value=THRESHOLD + 1, lots=True), EMPLOYMENT),
        # A value the viewer may not see (or unknown) is never above the threshold.
        ([PLAIN], procured(value=None), EMPLOYMENT),
        # Several enterprises able to take a part: a lot, whatever the value.
        ([PLAIN] * LOT_ENTERPRISES, procured(value=None), LOT),
        ([PLAIN] * LOT_ENTERPRISES, procured(value=100_000), LOT),
        ([PLAIN, UNKNOWN_CAPACITY], procured(), LOT),
        ([PLAIN] * (LOT_ENTERPRISES - 1), procured(value=100_000), EMPLOYMENT),
        ([PLAIN, FULL_QUALIFIED], procured(), EMPLOYMENT),
        ([PLAIN] * LOT_ENTERPRISES, procured(lots=True), EMPLOYMENT),
        # An employment requirement already set: nothing new.
        ([PLAIN], procured(employment_requirement=True), None),
        ([PLAIN], procured(value=THRESHOLD + 1, lots=True, employment_requirement=True), None),
        # … but a lot is still new for a large procurement with an employment requirement.
        ([PLAIN], procured(value=THRESHOLD + 1, employment_requirement=True), LOT),
        # Enterprises with no room still count for the employment requirement.
        ([FULL_QUALIFIED, FULL_QUALIFIED], procured(), EMPLOYMENT),
    ],
)
def test_the_suggestion_at_its_edges(enterprises, thing, expected):
    suggestion = suggest(enterprises, thing)
    assert (suggestion.measure if suggestion else None) == expected


@pytest.mark.parametrize(
    ("enterprises", "thing", "words"),
    [
        ([QUALIFIED], procured(), "1 of the enterprises qualifies for reserved contracts"),
        ([QUALIFIED, QUALIFIED], procured(), "2 of the enterprises qualify for reserved contracts"),
        ([PLAIN], procured(value=THRESHOLD + 1), "above the EU threshold"),
        ([PLAIN, PLAIN, PLAIN], procured(value=None), "3 social enterprises offer this"),
        ([PLAIN], procured(), "employment requirement"),
    ],
)
def test_the_suggestion_says_why(enterprises, thing, words):
    with translation.override("en"):
        assert words in suggest(enterprises, thing).reason


def test_the_suggestion_says_why_in_swedish_by_default():
    with translation.override("sv"):
        reason = suggest([QUALIFIED], procured()).reason
    assert reason
    assert "LOU 4 kap. 18 §" in reason


def test_the_measures_are_the_decisions_values():
    assert {RESERVED, LOT, EMPLOYMENT} < set(SocialDecision.Decision.values)
    assert set(SocialDecision.Decision.values) - {RESERVED, LOT, EMPLOYMENT} == {"not_suitable"}
