"""Two officers join the same procurement into two coordinated procurements at once, on PostgreSQL: one
wins, the other is told (CoordinationRefused) and nothing of theirs is written (issue 16)."""

from functools import partial

import pytest
from django.db import connection

from accounts.models import Role
from plans.centre.coordination import CoordinationRefused, group_create, group_join
from plans.models import CoordinationGroup, Procurement
from tests.factories import MunicipalityFactory, UserFactory, member
from tests.integration.at_once import at_once
from tests.plans.centre.coordinated import car

pytestmark = pytest.mark.integration
ROUNDS = 5


@pytest.fixture
def on_postgresql(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("the concurrent-writers test needs PostgreSQL's row locks (set DATABASE_URL)")


@pytest.fixture
def towns(centre, falun, borlange):
    return falun, borlange, MunicipalityFactory(slug="ludvika", name="Ludvika kommun", centre=centre)


def create(user, mine, shared):
    group_create(
        centre=mine.plan.municipality.centre, year=2027, procurements=[mine, shared], lead=mine, user=user
    )
    return "won"


def join(user, group, joiner):
    group_join(group=group, procurement=joiner, user=user, expected_version=1)
    return "won"


def outcome(result) -> str:
    return "told" if isinstance(result, CoordinationRefused) else "won"


def test_two_new_groups_claiming_one_procurement(on_postgresql, centre, towns, officer):
    other = member(UserFactory(username="olle"), Role.OFFICER, centre=centre)
    falun, borlange, ludvika_ = towns
    for number in range(ROUNDS):
        shared = car(borlange, ref=f"DELAD-{number}")
        first, second = car(falun, ref=f"F-{number}"), car(ludvika_, ref=f"L-{number}")

        results = at_once(
            partial(create, officer, first, shared),
            partial(create, other, second, shared),
            expected=[CoordinationRefused],
        )
        assert sorted(map(outcome, results)) == ["told", "won"]
        (told,) = [result for result in results if isinstance(result, CoordinationRefused)]
        assert "ingår redan i en samordnad upphandling" in told.message  # Swedish, the default language
        shared.refresh_from_db()
        group = CoordinationGroup.objects.get(pk=shared.coordination_id)
        # The winner's group holds two members; the loser's procurement is on its own, no group made.
        assert Procurement.objects.filter(coordination=group).count() == 2
        loser = second if group.lead_id == first.pk else first
        loser.refresh_from_db()
        assert (loser.coordination_id, loser.coordinated_value_sek, loser.coordinated_with) == (None, None, 0)
        assert CoordinationGroup.objects.filter(lead=loser).count() == 0


def test_joining_one_procurement_into_two_groups(on_postgresql, centre, towns, officer):
    other = member(UserFactory(username="olle"), Role.OFFICER, centre=centre)
    falun, borlange, ludvika_ = towns
    smedjebacken = MunicipalityFactory(slug="smedjebacken", name="Smedjebackens kommun", centre=centre)
    for number in range(ROUNDS):
        groups = [
            group_create(
                centre=centre,
                year=2027,
                procurements=[car(falun, ref=f"F{side}-{number}"), car(borlange, ref=f"B{side}-{number}")],
                lead=Procurement.objects.get(ref=f"F{side}-{number}"),
                user=officer,
            )
            for side in "AB"
        ]
        joiner = car(smedjebacken if number % 2 else ludvika_, ref=f"J-{number}")

        results = at_once(
            partial(join, officer, groups[0], joiner),
            partial(join, other, groups[1], joiner),
            expected=[CoordinationRefused],
        )
        assert sorted(map(outcome, results)) == ["told", "won"]
        joiner.refresh_from_db()
        winner = CoordinationGroup.objects.get(pk=joiner.coordination_id)
        loser = next(group for group in groups if group.pk != winner.pk)
        loser.refresh_from_db()
        assert (winner.version, loser.version) == (2, 1)
        assert Procurement.objects.filter(coordination=loser).count() == 2
        assert joiner.coordinated_with == 2
