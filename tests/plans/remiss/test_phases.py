from datetime import date

import pytest

from plans.remiss.phases import Phase, default_remiss_window, plan_phase, plan_phase_status

STARTS, ENDS = date(2026, 8, 1), date(2026, 11, 30)


def test_default_window_is_august_to_november_of_the_year_before():
    assert default_remiss_window(2027) == (date(2026, 8, 1), date(2026, 11, 30))


@pytest.mark.parametrize(
    ("today", "adopted_on", "phase"),
    [
        (date(2026, 1, 1), None, Phase.DRAFT),
        (date(2026, 7, 31), None, Phase.DRAFT),  # the day before the window
        (date(2026, 8, 1), None, Phase.REMISS),  # the window's first day
        (date(2026, 11, 30), None, Phase.REMISS),  # the window's last day
        (date(2026, 12, 1), None, Phase.AWAITING_DECISION),  # the day after
        (date(2027, 6, 1), None, Phase.AWAITING_DECISION),
        (date(2026, 12, 14), date(2026, 12, 14), Phase.ADOPTED),  # the board's decision day
        (date(2026, 9, 1), date(2026, 8, 20), Phase.ADOPTED),  # adopted early: the record wins
    ],
)
def test_phase_at_each_boundary(today, adopted_on, phase):
    assert plan_phase(today=today, remiss_starts=STARTS, remiss_ends=ENDS, adopted_on=adopted_on) == phase


@pytest.mark.parametrize(
    ("today", "days_left"),
    [
        (date(2026, 7, 30), 2),  # draft: days until the remiss opens
        (date(2026, 8, 1), 121),
        (date(2026, 11, 29), 1),
        (date(2026, 11, 30), 0),  # last day
        (date(2026, 12, 1), None),
    ],
)
def test_days_left(today, days_left):
    status = plan_phase_status(today=today, remiss_starts=STARTS, remiss_ends=ENDS, adopted_on=None)
    assert status.days_left == days_left
