"""The capacity sums (plans.centre.capacity) at their edges, without a database."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from plans.centre.capacity import (
    DEFAULT_WEIGHTS,
    DIRECT_AWARD,
    QUARTERS,
    Item,
    Weights,
    capacity_stamp,
    load_table,
    over,
    points_text,
    quarter,
    weight,
)
from plans.models import QUARTERS as MODEL_QUARTERS
from plans.models import Procedure
from plans.scoring.rules import Quadrant

ANNA, STEFAN, FORMER = 1, 2, 9
YEAR = 2027
D = Decimal


def item(
    pk, officer=ANNA, quadrant=Quadrant.ROUTINE, procedure="open", advertised=date(YEAR, 2, 1), lead=None
):
    return Item(
        pk=pk, officer_id=officer, quadrant=quadrant, procedure=procedure, advertised=advertised, lead_id=lead
    )


def table(items, officers=(ANNA, STEFAN), capacities=None, weights=DEFAULT_WEIGHTS):
    return load_table(items, year=YEAR, officers=officers, capacities=capacities or {}, weights=weights)


def test_the_rule_knows_the_models_direct_award_and_quarters():
    assert DIRECT_AWARD == Procedure.DIRECT_AWARD
    assert QUARTERS == MODEL_QUARTERS


@pytest.mark.parametrize(
    ("quadrant", "procedure", "expected"),
    [
        (Quadrant.STRATEGIC, "open", D(3)),
        (Quadrant.LEVERAGE, "open", D(2)),
        (Quadrant.BOTTLENECK, "selective", D(2)),
        (Quadrant.ROUTINE, "below_threshold", D(1)),
        # A direct award weighs 0.5 whatever its quadrant.
        (Quadrant.STRATEGIC, DIRECT_AWARD, D("0.5")),
        (Quadrant.LEVERAGE, DIRECT_AWARD, D("0.5")),
        (Quadrant.BOTTLENECK, DIRECT_AWARD, D("0.5")),
        (Quadrant.ROUTINE, DIRECT_AWARD, D("0.5")),
        # Close to a direct award is not one.
        (Quadrant.ROUTINE, "negotiated_without_notice", D(1)),
    ],
)
def test_the_default_weight_of_each_quadrant_and_of_a_direct_award(quadrant, procedure, expected):
    assert weight(quadrant, procedure) == expected


@pytest.mark.parametrize(
    ("quadrant", "procedure", "expected"),
    [
        (Quadrant.STRATEGIC, "open", D("5")),
        (Quadrant.LEVERAGE, "open", D("2.5")),
        (Quadrant.BOTTLENECK, "open", D("1.75")),
        (Quadrant.ROUTINE, "open", D("0")),
        (Quadrant.STRATEGIC, DIRECT_AWARD, D("0.25")),
    ],
)
def test_the_centres_own_weights_are_used(quadrant, procedure, expected):
    weights = Weights(
        strategic=D("5"), leverage=D("2.5"), bottleneck=D("1.75"), routine=D("0"), direct_award=D("0.25")
    )
    assert weight(quadrant, procedure, weights) == expected


def test_weights_are_read_from_the_settings_attributes():
    class Settings:
        weight_strategic, weight_leverage, weight_bottleneck = D("4"), D("3"), D("2.5")
        weight_routine, weight_direct_award = D("1"), D("0.50")

    assert Weights.of(Settings()) == Weights(D(4), D(3), D("2.5"), D(1), D("0.5"))


def test_an_unknown_quadrant_is_an_error_not_a_weight():
    with pytest.raises(ValueError, match="quadrant"):
        weight("unknown", "open")


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2027, 1, 1), 1),
        (date(2027, 3, 31), 1),
        (date(2027, 4, 1), 2),
        (date(2027, 6, 30), 2),
        (date(2027, 7, 1), 3),
        (date(2027, 9, 30), 3),
        (date(2027, 10, 1), 4),
        (date(2027, 12, 31), 4),
        (date(2028, 2, 29), 1),
    ],
)
def test_the_quarter_of_a_planned_advertisement(day, expected):
    assert quarter(day) == expected


@pytest.mark.parametrize(
    ("load", "capacity", "expected"),
    [
        (D(5), D(6), False),
        (D(6), D(6), False),  # exactly at capacity is not over
        (D("6.5"), D(6), True),
        (D(0), D(0), False),  # nothing to carry, nothing carried
        (D("0.5"), D(0), True),  # a capacity of 0 is over with any load
        (D(100), None, False),  # no capacity set: nothing to compare with
        (D(0), None, False),
    ],
)
def test_over_capacity_at_its_edges(load, capacity, expected):
    assert over(load, capacity) is expected


@pytest.mark.parametrize(
    ("quadrants", "capacity", "over_"),
    [
        ([Quadrant.STRATEGIC, Quadrant.LEVERAGE, Quadrant.ROUTINE], D(6), False),  # 6 of 6
        ([Quadrant.STRATEGIC, Quadrant.LEVERAGE, Quadrant.BOTTLENECK], D(6), True),  # 7 of 6
        ([Quadrant.ROUTINE], D(0), True),
        ([Quadrant.STRATEGIC, Quadrant.STRATEGIC], None, False),
    ],
)
def test_a_cells_load_against_its_capacity(quadrants, capacity, over_):
    items = [item(pk, quadrant=quadrant) for pk, quadrant in enumerate(quadrants, start=1)]
    capacities = {} if capacity is None else {(ANNA, 1): capacity}
    cell = table(items, capacities=capacities).row(ANNA).cells[0]
    assert cell.capacity == capacity
    assert cell.over is over_
    assert cell.count == len(quadrants)


def test_each_procurement_weighs_on_its_officers_quarter():
    items = [
        item(1, ANNA, Quadrant.STRATEGIC, advertised=date(YEAR, 3, 31)),
        item(2, ANNA, Quadrant.LEVERAGE, advertised=date(YEAR, 4, 1)),
        item(3, STEFAN, Quadrant.ROUTINE, advertised=date(YEAR, 12, 31)),
        item(4, STEFAN, Quadrant.BOTTLENECK, DIRECT_AWARD, advertised=date(YEAR, 10, 1)),
    ]
    result = table(items, capacities={(ANNA, 1): D(2), (ANNA, 2): D(2)})
    anna, stefan = result.row(ANNA), result.row(STEFAN)
    assert [cell.load for cell in anna.cells] == [D(3), D(2), D(0), D(0)]
    assert [cell.load for cell in stefan.cells] == [D(0), D(0), D(0), D("1.5")]
    assert [cell.over for cell in anna.cells] == [True, False, False, False]
    # Two quarters set of four: no year capacity, so the year is not marked; its Q1 is.
    assert anna.load == D(5) and anna.capacity is None and not anna.over
    assert stefan.capacity is None and not stefan.over
    assert result.over_count == 1


@pytest.mark.parametrize(
    ("capacities", "year_capacity", "year_over"),
    [
        ((D(1), D(1), D(1), D(1)), D(4), True),  # load 5 > 4
        ((D(2), D(1), D(1), D(1)), D(5), False),  # exactly at capacity
        ((D(9), D(9), D(9), None), None, False),  # Q4 unset: no year capacity
    ],
)
def test_the_years_capacity_is_the_four_quarters(capacities, year_capacity, year_over):
    items = [
        item(1, ANNA, Quadrant.STRATEGIC, advertised=date(YEAR, 3, 31)),
        item(2, ANNA, Quadrant.LEVERAGE, advertised=date(YEAR, 4, 1)),
    ]
    given = {(ANNA, quarter): points for quarter, points in enumerate(capacities, 1) if points is not None}
    anna = table(items, capacities=given).row(ANNA)
    assert anna.load == D(5) and anna.capacity == year_capacity and anna.over is year_over


def test_every_officer_has_a_row_even_without_procurements():
    result = table([], officers=(STEFAN, ANNA))
    assert [row.officer_id for row in result.rows] == [STEFAN, ANNA]
    assert all(row.load == 0 and row.count == 0 for row in result.rows)
    assert result.unassigned == [] and result.unassigned_row is None


def test_an_officer_who_is_no_longer_at_the_centre_keeps_a_row_for_their_procurements():
    result = table([item(1, FORMER)], officers=(ANNA,))
    assert [(row.officer_id, row.member) for row in result.rows] == [(ANNA, True), (FORMER, False)]
    assert result.row(FORMER).load == D(1)


def test_procurements_without_an_officer_are_unassigned():
    items = [
        item(1, None, Quadrant.STRATEGIC, advertised=date(YEAR, 5, 2)),
        item(2, None, Quadrant.ROUTINE, advertised=date(YEAR, 1, 15)),
        item(3, ANNA),
    ]
    result = table(items)
    assert [entry.item.pk for entry in result.unassigned] == [2, 1]  # the earliest advertisement first
    row = result.unassigned_row
    assert row.unassigned and not row.member and row.capacity is None and not row.over
    assert [cell.load for cell in row.cells] == [D(1), D(3), D(0), D(0)]
    assert [r.officer_id for r in result.rows] == [ANNA, STEFAN, None]  # unassigned last
    assert result.officer_rows == [result.row(ANNA), result.row(STEFAN)]


def test_only_the_years_advertisements_count():
    items = [
        item(1, advertised=date(YEAR - 1, 12, 31)),
        item(2, advertised=date(YEAR, 1, 1)),
        item(3, advertised=date(YEAR + 1, 1, 1)),
    ]
    cells = table(items).row(ANNA).cells
    assert [entry.item.pk for cell in cells for entry in cell.entries] == [2]


def test_a_coordinated_procurement_counts_once_for_its_leads_officer():
    """Three municipalities' cars: Falun leads (Anna, strategic, Q2); Borlänge's and Ludvika's rows take
    part, with officers and quarters of their own, and add nothing."""
    items = [
        item(10, ANNA, Quadrant.STRATEGIC, advertised=date(YEAR, 4, 15), lead=10),
        item(11, STEFAN, Quadrant.LEVERAGE, advertised=date(YEAR, 2, 1), lead=10),
        item(12, None, Quadrant.STRATEGIC, advertised=date(YEAR, 5, 1), lead=10),
    ]
    result = table(items)
    anna_q2 = result.row(ANNA).cells[1]
    assert anna_q2.load == D(3) and anna_q2.count == 1
    assert [(e.item.pk, e.counted, e.weight) for e in anna_q2.entries] == [
        (10, True, D(3)),
        (11, False, D(0)),
        (12, False, D(0)),
    ]
    assert anna_q2.with_lead == 2
    # Borlänge's row stands in Stefan's own Q1 as well, with no weight, counted with Anna's lead.
    stefan = result.row(STEFAN)
    assert stefan.load == 0 and stefan.count == 0
    assert [
        (e.item.pk, e.counted, e.weight, e.own_cell, e.lead_officer_id) for e in stefan.cells[0].entries
    ] == [(11, False, D(0), True, ANNA)]
    assert [cell.with_lead for cell in stefan.cells] == [1, 0, 0, 0]
    # A participant without an officer is not waiting for one: it is run by the lead's officer.
    assert result.unassigned == [] and result.unassigned_row is None


def test_a_coordinated_procurement_whose_lead_has_no_officer_is_unassigned_once():
    items = [
        item(10, None, Quadrant.LEVERAGE, advertised=date(YEAR, 4, 15), lead=10),
        item(11, ANNA, Quadrant.STRATEGIC, advertised=date(YEAR, 4, 20), lead=10),
    ]
    result = table(items)
    assert [entry.item.pk for entry in result.unassigned] == [10]
    assert result.unassigned_row.cells[1].load == D(2)
    assert [e.item.pk for e in result.unassigned_row.cells[1].entries] == [10, 11]
    assert result.row(ANNA).load == 0


@pytest.mark.parametrize(
    ("lead_item", "participant", "anna_load", "stefan_load"),
    [
        # The lead counts, the participant not, whichever officer has which.
        (item(1, ANNA, Quadrant.ROUTINE, lead=1), item(2, STEFAN, Quadrant.STRATEGIC, lead=1), 1, 0),
        (item(1, STEFAN, Quadrant.STRATEGIC, lead=1), item(2, ANNA, Quadrant.ROUTINE, lead=1), 0, 3),
        # A dissolved group, or none: both count (the page passes lead None for a dissolved group).
        (item(1, ANNA, Quadrant.ROUTINE), item(2, STEFAN, Quadrant.STRATEGIC), 1, 3),
        # Both with the same officer: counted once, the lead's weight.
        (item(1, ANNA, Quadrant.LEVERAGE, lead=1), item(2, ANNA, Quadrant.STRATEGIC, lead=1), 2, 0),
    ],
)
def test_lead_against_participant(lead_item, participant, anna_load, stefan_load):
    result = table([participant, lead_item])
    assert result.row(ANNA).load == anna_load
    assert result.row(STEFAN).load == stefan_load


@pytest.mark.parametrize(
    ("lead_item", "participant", "listed"),
    [
        # Another officer's participant: in the lead's cell, and in its own officer's cell of its own
        # quarter, naming the lead's officer.
        (
            item(1, ANNA, advertised=date(YEAR, 4, 1), lead=1),
            item(2, STEFAN, advertised=date(YEAR, 2, 1), lead=1),
            {
                (ANNA, 2): [(1, True, False, None), (2, False, False, None)],
                (STEFAN, 1): [(2, False, True, ANNA)],
            },
        ),
        # The same quarter of another officer: both cells still.
        (
            item(1, ANNA, advertised=date(YEAR, 4, 1), lead=1),
            item(2, STEFAN, advertised=date(YEAR, 5, 1), lead=1),
            {
                (ANNA, 2): [(1, True, False, None), (2, False, False, None)],
                (STEFAN, 2): [(2, False, True, ANNA)],
            },
        ),
        # The lead's own officer: once, in the lead's cell, whatever its own quarter.
        (
            item(1, ANNA, advertised=date(YEAR, 4, 1), lead=1),
            item(2, ANNA, advertised=date(YEAR, 11, 1), lead=1),
            {(ANNA, 2): [(1, True, False, None), (2, False, False, None)]},
        ),
        # No officer of its own: only in the lead's cell (it is not waiting for one).
        (
            item(1, ANNA, advertised=date(YEAR, 4, 1), lead=1),
            item(2, None, advertised=date(YEAR, 2, 1), lead=1),
            {(ANNA, 2): [(1, True, False, None), (2, False, False, None)]},
        ),
        # A lead without an officer: the pair is unassigned, and the participant's officer sees theirs.
        (
            item(1, None, advertised=date(YEAR, 4, 1), lead=1),
            item(2, STEFAN, advertised=date(YEAR, 2, 1), lead=1),
            {
                (None, 2): [(1, True, False, None), (2, False, False, None)],
                (STEFAN, 1): [(2, False, True, None)],
            },
        ),
        # The lead in another year: the participant stands in its own cell only, once.
        (
            item(1, ANNA, advertised=date(YEAR + 1, 1, 10), lead=1),
            item(2, STEFAN, advertised=date(YEAR, 2, 1), lead=1),
            {(STEFAN, 1): [(2, False, False, None)]},
        ),
    ],
)
def test_where_a_participant_is_listed(lead_item, participant, listed):
    """(officer, quarter) → [(pk, counted, own_cell, lead's officer)] of every cell that lists anything."""
    result = table([participant, lead_item])
    cells = {
        (row.officer_id, cell.quarter): [
            (e.item.pk, e.counted, e.own_cell, e.lead_officer_id) for e in cell.entries
        ]
        for row in result.rows
        for cell in row.cells
        if cell.entries
    }
    assert cells == listed
    # Listed twice, counted once: the load is the lead's weight, in the lead's cell alone.
    assert sum(row.load for row in result.rows) == (D(1) if lead_item.advertised.year == YEAR else D(0))
    assert sum(row.count for row in result.rows) == (1 if lead_item.advertised.year == YEAR else 0)


def test_a_participant_whose_lead_is_not_in_the_year_stands_in_its_own_cell_without_weight():
    participant = item(2, ANNA, Quadrant.STRATEGIC, advertised=date(YEAR, 8, 1), lead=1)
    cell = table([participant]).row(ANNA).cells[2]
    assert [(e.item.pk, e.counted) for e in cell.entries] == [(2, False)]
    assert cell.load == 0 and cell.count == 0


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [
        ("sv", D("3.00"), "3"),
        ("sv", D("2.50"), "2,5"),
        ("sv", D("0.25"), "0,25"),
        ("sv", D("10"), "10"),
        ("sv", D("120.0"), "120"),
        ("en", D("2.50"), "2.5"),
        ("sv", D("0"), "0"),
    ],
)
def test_points_read_as_people_write_them(language, value, expected):
    with translation.override(language):
        assert points_text(value) == expected


def test_the_capacity_stamp_changes_with_the_points_and_only_with_them():
    first = {(ANNA, 1): D("6.0"), (STEFAN, 2): D("4")}
    assert capacity_stamp(first) == capacity_stamp({(STEFAN, 2): D("4.0"), (ANNA, 1): D("6")})
    assert capacity_stamp(first) != capacity_stamp({(ANNA, 1): D("6.5"), (STEFAN, 2): D("4")})
    assert capacity_stamp(first) != capacity_stamp({(ANNA, 1): D("6")})
    assert capacity_stamp({}) != capacity_stamp({(ANNA, 1): D(0)})
