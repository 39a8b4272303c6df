"""The social figures (plans.social.figures) at their edges, without a database: what counts as planned and
as reached, the shares' denominators, and no share where there is nothing to count."""

from decimal import Decimal

import pytest

from plans.social.figures import (
    CountRow,
    Counts,
    Procurement,
    Reserve,
    against_reserve,
    by_department,
    by_year,
    counts_by_department_year,
    share,
)


def procurement(**facts) -> Procurement:
    return Procurement(**{"department_id": 1, "department": "AIK", "year": 2027, **facts})


@pytest.mark.parametrize(
    "facts, social_planned, reserved_planned",
    [
        ({}, 0, 0),
        ({"employment_requirement": True}, 1, 0),
        ({"labour_conditions": True}, 1, 0),
        ({"reserved_contract": True}, 1, 1),
        ({"employment_requirement": True, "reserved_contract": True, "labour_conditions": True}, 1, 1),
    ],
)
def test_what_is_planned(facts, social_planned, reserved_planned):
    counts = Counts.of(procurement(**facts))
    assert (counts.procurements, counts.social_planned, counts.reserved_planned) == (
        1,
        social_planned,
        reserved_planned,
    )


@pytest.mark.parametrize(
    "outcome, awarded, social_reached, reserved_reached",
    [
        # No outcome recorded, or one not (yet) awarded: nothing reached, whatever is written on it.
        ({}, 0, 0, 0),
        ({"status": "advertised", "people_employed": 3}, 0, 0, 0),
        ({"status": "appealed", "social_enterprise_awarded": True}, 0, 0, 0),
        ({"status": "cancelled", "internships": 2}, 0, 0, 0),
        # Awarded: reached by people employed, internships, or a social enterprise.
        ({"status": "awarded"}, 1, 0, 0),
        ({"status": "awarded", "people_employed": 0, "internships": 0}, 1, 0, 0),
        ({"status": "awarded", "people_employed": 1}, 1, 1, 0),
        ({"status": "awarded", "internships": 1}, 1, 1, 0),
        ({"status": "awarded", "social_enterprise_awarded": True}, 1, 1, 1),
        ({"status": "awarded", "people_employed": 2, "social_enterprise_awarded": True}, 1, 1, 1),
    ],
)
def test_what_is_reached(outcome, awarded, social_reached, reserved_reached):
    counts = Counts.of(procurement(**outcome))
    assert (counts.awarded, counts.social_reached, counts.reserved_reached) == (
        awarded,
        social_reached,
        reserved_reached,
    )


@pytest.mark.parametrize(
    "outcome, employed, internships",
    [
        ({}, 0, 0),
        ({"people_employed": None, "internships": None}, 0, 0),
        ({"status": "awarded", "people_employed": 4, "internships": 2}, 4, 2),
        # A number recorded is a number of people, whatever the outcome's status.
        ({"status": "advertised", "people_employed": 1}, 1, 0),
    ],
)
def test_people_employed_and_internships_are_the_numbers_recorded(outcome, employed, internships):
    counts = Counts.of(procurement(**outcome))
    assert (counts.people_employed, counts.internships) == (employed, internships)


@pytest.mark.parametrize(
    "part, whole, expected",
    [
        (0, 0, None),
        (3, 0, None),
        (0, None, None),
        (0, 4, Decimal("0.0")),
        (1, 3, Decimal("33.3")),
        (2, 3, Decimal("66.7")),
        (1, 8, Decimal("12.5")),
        (4, 4, Decimal("100.0")),
    ],
)
def test_a_share_rounds_half_up_and_is_none_with_nothing_to_count(part, whole, expected):
    assert share(part, whole) == expected


@pytest.mark.parametrize(
    "counts, planned, reserved, reached, reserved_reached",
    [
        # Nothing at all: no share anywhere, never 0 %.
        (Counts(), None, None, None, None),
        # Procurements but nothing awarded: planned shares, no reached ones.
        (Counts(procurements=4, social_planned=1), Decimal("25.0"), Decimal("0.0"), None, None),
        # Planned over all the procurements, reached over the awarded only.
        (
            Counts(procurements=8, social_planned=2, reserved_planned=1, awarded=3, social_reached=2),
            Decimal("25.0"),
            Decimal("12.5"),
            Decimal("66.7"),
            Decimal("0.0"),
        ),
        (
            Counts(procurements=2, awarded=2, social_reached=2, reserved_reached=1),
            Decimal("0.0"),
            Decimal("0.0"),
            Decimal("100.0"),
            Decimal("50.0"),
        ),
    ],
)
def test_the_shares_and_their_denominators(counts, planned, reserved, reached, reserved_reached):
    assert (
        counts.social_planned_share,
        counts.reserved_planned_share,
        counts.social_reached_share,
        counts.reserved_reached_share,
    ) == (planned, reserved, reached, reserved_reached)


def test_counts_add_field_by_field():
    one = Counts(1, 1, 0, 1, 1, 0, 3, 1)
    two = Counts(2, 0, 1, 1, 0, 1, 0, 2)
    assert one + two == Counts(3, 1, 1, 2, 1, 1, 3, 3)
    assert Counts() + one == one


def test_procurements_are_counted_per_department_and_year():
    rows = counts_by_department_year(
        [
            procurement(department_id=1, department="AIK", year=2026, reserved_contract=True),
            procurement(department_id=1, department="AIK", year=2027, employment_requirement=True),
            procurement(department_id=1, department="AIK", year=2027, status="awarded", people_employed=2),
            procurement(department_id=2, department="Omsorg", year=2027),
        ]
    )
    found = {(row.department_id, row.year): row.counts for row in rows}
    assert found == {
        (1, 2026): Counts(procurements=1, social_planned=1, reserved_planned=1),
        (1, 2027): Counts(procurements=2, social_planned=1, awarded=1, social_reached=1, people_employed=2),
        (2, 2027): Counts(procurements=1),
    }
    assert counts_by_department_year([]) == []


def test_departments_by_name_with_their_years_oldest_first_and_their_total():
    rows = [
        CountRow(2, "Omsorg", 2027, Counts(procurements=3)),
        CountRow(1, "AIK", 2027, Counts(procurements=2, reserved_planned=2)),
        CountRow(1, "AIK", 2025, Counts(procurements=1, social_planned=1)),
        CountRow(3, "bygg", 2026, Counts(procurements=1)),
    ]
    departments = by_department(rows)
    assert [d.department for d in departments] == ["AIK", "bygg", "Omsorg"]
    aik = departments[0]
    assert [year for year, _counts in aik.years] == [2025, 2027]
    assert aik.total == Counts(procurements=3, social_planned=1, reserved_planned=2)
    assert aik.total.reserved_planned_share == Decimal("66.7")
    assert by_department([]) == []


def test_all_departments_together_per_year():
    rows = [
        CountRow(1, "AIK", 2027, Counts(procurements=2, people_employed=3)),
        CountRow(2, "Omsorg", 2027, Counts(procurements=1, internships=1)),
        CountRow(1, "AIK", 2026, Counts(procurements=1)),
    ]
    assert by_year(rows) == {
        2027: Counts(procurements=3, people_employed=3, internships=1),
        2026: Counts(procurements=1),
    }


@pytest.mark.parametrize(
    "reserve, employed, of_outside, of_reached",
    [
        # The minutes: 2 547 outside the labour market, 800 reached.
        (Reserve(2027, 2547, 800), 12, Decimal("0.47"), Decimal("1.50")),
        (Reserve(2027, 2547, 800), 0, Decimal("0.00"), Decimal("0.00")),
        # No one reached recorded: no share of them.
        (Reserve(2027, 2547, None), 12, Decimal("0.47"), None),
        # A reserve of nobody: no share, not a division by zero.
        (Reserve(2027, 0, 0), 0, None, None),
        # No labour reserve recorded for the year.
        (None, 5, None, None),
    ],
)
def test_people_employed_against_the_labour_reserve(reserve, employed, of_outside, of_reached):
    counts = {2027: Counts(procurements=1, people_employed=employed, internships=1)}
    (year,) = against_reserve([2027], counts, [reserve] if reserve else [])
    assert (year.people_employed, year.internships) == (employed, 1)
    assert (year.employed_of_outside, year.employed_of_reached) == (of_outside, of_reached)
    assert year.outside == (reserve.outside if reserve else None)


def test_every_year_asked_for_once_oldest_first_even_without_procurements():
    years = against_reserve(
        [2027, 2025, 2027], {2027: Counts(people_employed=1)}, [Reserve(2025, 100, 10), Reserve(2030, 1)]
    )
    assert [(y.year, y.outside, y.people_employed) for y in years] == [(2025, 100, 0), (2027, None, 1)]
    assert against_reserve([], {}, []) == []
