"""Issue 16: coordinated procurements written (plans.centre.coordination): create, join, leave, dissolve,
refresh; every step in every member's history; the combined value in the economic score."""

from datetime import date

import pytest
from django.utils import translation

from accounts.models import ProcurementCentre
from plans.centre import coordination
from plans.centre.coordination import (
    CoordinationRefused,
    StaleGroup,
    group_create,
    group_dissolve,
    group_join,
    group_leave,
    group_refresh,
)
from plans.exchange.exports import export_plan_file
from plans.exchange.imports import plan_import
from plans.models import CentreSettings, CoordinationGroup, HistoryEntry, Procurement
from plans.register import services
from plans.register.disclosure import CENTRE, PUBLIC
from tests.factories import MunicipalityFactory, PlanFactory
from tests.plans.centre.coordinated import CAR_VALUE, car, ludvika, reloaded

pytestmark = pytest.mark.django_db


@pytest.fixture
def cars(centre, falun, borlange):
    """Falun's, Borlänge's and Ludvika's 2 Mkr car procurements of 2027 (Falun's the earliest)."""
    return car(falun, month=2), car(borlange, month=3), car(ludvika(centre), month=4)


@pytest.fixture
def group(centre, cars, officer):
    with translation.override("en"):
        return group_create(centre=centre, year=2027, procurements=cars, lead=cars[0], user=officer)


def notes(procurement, action=None):
    entries = HistoryEntry.objects.filter(procurement=procurement).order_by("pk")
    if action:
        entries = entries.filter(action=action)
    return [entry.changes.get("note") for entry in entries]


# --- Create -------------------------------------------------------------------------------------------


def test_three_2_mkr_needs_are_scored_on_6_mkr(centre, cars, officer):
    before = [procurement.version for procurement in reloaded(*cars)]
    assert {procurement.economic_score for procurement in reloaded(*cars)} == {1}
    group = group_create(centre=centre, year=2027, procurements=cars, lead=cars[0], user=officer)
    members = reloaded(*cars)
    assert [(p.coordination_id, p.coordinated_value_sek, p.coordinated_with) for p in members] == [
        (group.pk, 6_000_000, 2)
    ] * 3
    assert [p.economic_score for p in members] == [3, 3, 3]
    # Nobody edited the procurements: an officer's open form stays valid.
    assert [p.version for p in members] == before
    assert (group.lead_id, group.title, group.version, group.created_by) == (
        cars[0].pk,
        cars[0].title,
        1,
        officer,
    )
    with translation.override("sv"):
        (reason,) = CENTRE.assessment(members[1]).economic.reasons
    assert reason == "Samordnad med 2 andra kommuner: 6,0 Mkr ≥ 5 Mkr → 3"


def test_a_politician_reads_the_band_of_the_combined_value(group, cars):
    falun_car = reloaded(cars[0])[0]
    with translation.override("sv"):
        (reason,) = PUBLIC.assessment(falun_car).economic.reasons
        (shown,) = PUBLIC.assessment(falun_car, group_visible=True).economic.reasons
    assert reason == "Samordnad med 2 andra kommuner: sammanlagt värde mellan 5 Mkr och 20 Mkr → 3"
    assert "6,0 Mkr" in shown


def test_with_the_rubric_setting_off_the_own_value_scores(centre, cars, officer):
    rubric = cars[1].plan.rubric
    rubric.coordinated_value = False
    rubric.save()
    group_create(centre=centre, year=2027, procurements=cars, lead=cars[0], user=officer)
    falun_car, borlange_car, ludvika_car = reloaded(*cars)
    assert (falun_car.economic_score, borlange_car.economic_score, ludvika_car.economic_score) == (3, 1, 3)
    assert borlange_car.coordinated_value_sek == 6_000_000


def test_every_member_has_it_in_its_history(group, cars, officer):
    assert notes(cars[0], HistoryEntry.Action.COORDINATED) == [
        "with Borlänge kommun, Ludvika kommun (lead: Falu kommun)"
    ]
    assert notes(cars[1], HistoryEntry.Action.COORDINATED) == [
        "with Falu kommun, Ludvika kommun (lead: Falu kommun)"
    ]
    assert notes(cars[2], HistoryEntry.Action.COORDINATED) == [
        "with Borlänge kommun, Falu kommun (lead: Falu kommun)"
    ]
    assert set(
        HistoryEntry.objects.filter(action=HistoryEntry.Action.COORDINATED).values_list("user", flat=True)
    ) == {officer.pk}


def test_the_history_note_is_in_the_officers_language(centre, cars, officer):
    with translation.override("sv"):
        group_create(centre=centre, year=2027, procurements=cars[:2], lead=cars[1], user=officer)
    assert notes(cars[0], HistoryEntry.Action.COORDINATED) == [
        "med Borlänge kommun (ledande: Borlänge kommun)"
    ]


def test_a_title_is_the_officers_or_the_leads(centre, cars, officer):
    group = group_create(
        centre=centre,
        year=2027,
        procurements=[p.pk for p in cars],
        lead=cars[2].pk,
        user=officer,
        title="  Bilar  ",
    )
    assert (group.title, group.lead_id) == ("Bilar", cars[2].pk)


def create_refused(centre, procurements, lead, officer, year=2027):
    with translation.override("en"), pytest.raises(CoordinationRefused) as refused:
        group_create(centre=centre, year=year, procurements=procurements, lead=lead, user=officer)
    assert CoordinationGroup.objects.count() == 0 or CoordinationGroup.objects.filter(members__isnull=False)
    return refused.value.message


def test_one_procurement_per_municipality(centre, cars, falun, officer):
    second = car(falun, ref="BIL-2")
    message = create_refused(centre, [cars[0], second, cars[1]], cars[0], officer)
    assert message == "Choose one procurement per municipality: Falu kommun has two."
    assert not Procurement.objects.filter(coordination__isnull=False).exists()


def test_two_municipalities_at_least(centre, cars, officer):
    message = create_refused(centre, [cars[0]], cars[0], officer)
    assert message == "A coordinated procurement needs procurements of two municipalities or more."


def test_the_lead_is_one_of_them(centre, cars, officer):
    message = create_refused(centre, cars[:2], cars[2], officer)
    assert message == "The lead must be one of the coordinated procurements."


def test_the_same_year_only(centre, cars, borlange, officer):
    next_year = car(borlange, ref="BIL-28", plan=PlanFactory(municipality=borlange, year=2028))
    message = create_refused(centre, [cars[0], next_year], cars[0], officer)
    assert message == "Choose among the procurements shown."


def test_the_centres_municipalities_only(centre, cars, officer):
    other = ProcurementCentre.objects.create(name="Annat center", slug="annat")
    stranger = car(MunicipalityFactory(slug="mora", name="Mora kommun", centre=other), ref="MORA")
    message = create_refused(centre, [cars[0], stranger], cars[0], officer)
    # Nothing of another centre's procurement is named: not its reference, municipality or group.
    assert message == "Choose among the procurements shown."


def test_joining_another_centres_procurement_names_nothing_of_it(centre, cars, officer):
    other = ProcurementCentre.objects.create(name="Annat center", slug="annat")
    mora = MunicipalityFactory(slug="mora", name="Mora kommun", centre=other)
    stranger, theirs = car(mora, ref="MORA-HEMLIG"), car(MunicipalityFactory(centre=other), ref="X")
    coordination.group_create(
        centre=other, year=2027, procurements=[stranger, theirs], lead=stranger, user=None
    )
    group = coordination.group_create(
        centre=centre, year=2027, procurements=cars[:2], lead=cars[0], user=officer
    )
    with pytest.raises(coordination.CoordinationRefused) as refused, translation.override("en"):
        coordination.group_join(
            group=group, procurement=stranger, user=officer, expected_version=group.version
        )
    assert refused.value.message == "Choose among the procurements shown."
    assert Procurement.objects.get(pk=stranger.pk).coordination.centre == other


def test_a_deleted_procurement_refuses(centre, cars, officer):
    pk = cars[1].pk
    Procurement.objects.filter(pk=pk).delete()
    message = create_refused(centre, [cars[0].pk, pk], cars[0].pk, officer)
    assert message == "A procurement has been deleted meanwhile. Nothing was changed."


def test_a_procurement_takes_part_in_one_group(centre, group, cars, falun, borlange, officer):
    other = car(falun, ref="BIL-2")
    with translation.override("en"), pytest.raises(CoordinationRefused) as refused:
        group_create(centre=centre, year=2027, procurements=[other, cars[1]], lead=other, user=officer)
    assert refused.value.message == (
        "BIL of Borlänge kommun is already in a coordinated procurement; it can take part in one only. "
        "Nothing was changed."
    )
    assert CoordinationGroup.objects.count() == 1
    assert reloaded(other)[0].coordination_id is None


def test_an_adopted_plan_is_frozen(centre, cars, officer):
    gagnef = MunicipalityFactory(slug="gagnef", name="Gagnefs kommun", centre=centre)
    adopted = PlanFactory(municipality=gagnef, year=2027, adopted_on=date(2026, 12, 1))
    frozen = car(gagnef, ref="FRUSEN", plan=adopted)
    message = create_refused(centre, [frozen, cars[1]], frozen, officer)
    assert message == "FRUSEN of Gagnefs kommun is in an adopted plan, which can no longer change."


# --- Join -----------------------------------------------------------------------------------------------


def test_a_fourth_joins(centre, group, cars, officer):
    smedjebacken = MunicipalityFactory(slug="smedjebacken", name="Smedjebackens kommun", centre=centre)
    fourth = car(smedjebacken, month=5)
    with translation.override("en"):
        joined = group_join(group=group, procurement=fourth, user=officer, expected_version=1)
    assert joined.version == 2
    members = reloaded(*cars, fourth)
    assert {(p.coordinated_value_sek, p.coordinated_with, p.economic_score) for p in members} == {
        (8_000_000, 3, 3)
    }
    assert notes(fourth) == ["with Borlänge kommun, Falu kommun, Ludvika kommun (lead: Falu kommun)"]
    assert notes(cars[1], HistoryEntry.Action.COORDINATED)[-1] == (
        "Smedjebackens kommun joined; now with Falu kommun, Ludvika kommun, Smedjebackens kommun "
        "(lead: Falu kommun)"
    )


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("member", "BIL is already in this coordinated procurement."),
        ("same municipality", "Choose one procurement per municipality: Falu kommun has two."),
    ],
)
def test_a_join_refused(group, cars, falun, officer, who, message):
    joiner = cars[0] if who == "member" else car(falun, ref="BIL-2")
    with translation.override("en"), pytest.raises(CoordinationRefused) as refused:
        group_join(group=group, procurement=joiner, user=officer, expected_version=1)
    assert refused.value.message == message
    assert CoordinationGroup.objects.get().version == 1
    assert Procurement.objects.filter(coordination=group).count() == 3


def test_a_stale_join_changes_nothing(centre, group, cars, officer):
    fourth = car(MunicipalityFactory(slug="gagnef", name="Gagnefs kommun", centre=centre))
    with pytest.raises(StaleGroup) as stale:
        group_join(group=group, procurement=fourth, user=officer, expected_version=0)
    assert stale.value.current.version == 1
    assert reloaded(fourth)[0].coordination_id is None


# --- Leave ----------------------------------------------------------------------------------------------


def test_a_participant_leaves(group, cars, officer):
    with translation.override("en"):
        left = group_leave(group=group, procurement=cars[1], user=officer, expected_version=1)
    assert (left.is_active, left.version, left.lead_id) == (True, 2, cars[0].pk)
    falun_car, borlange_car, ludvika_car = reloaded(*cars)
    assert (
        borlange_car.coordination_id,
        borlange_car.coordinated_value_sek,
        borlange_car.coordinated_with,
    ) == (
        None,
        None,
        0,
    )
    assert borlange_car.economic_score == 1
    assert {
        (p.coordinated_value_sek, p.coordinated_with, p.economic_score) for p in (falun_car, ludvika_car)
    } == {(4_000_000, 1, 2)}
    assert notes(borlange_car, HistoryEntry.Action.LEFT_GROUP) == [
        "Borlänge kommun left the coordinated procurement with Falu kommun, Ludvika kommun"
    ]
    assert notes(falun_car, HistoryEntry.Action.LEFT_GROUP) == [
        "Borlänge kommun left; now with Ludvika kommun (lead: Falu kommun)"
    ]


def test_the_lead_leaving_hands_the_lead_to_the_earliest_remaining(group, cars, officer):
    left = group_leave(group=group, procurement=cars[0], user=officer, expected_version=1)
    assert (left.is_active, left.lead_id) == (True, cars[1].pk)


def test_fewer_than_two_left_dissolves_the_group(group, cars, officer):
    group = group_leave(group=group, procurement=cars[0], user=officer, expected_version=1)
    with translation.override("en"):
        ended = group_leave(group=group, procurement=cars[2], user=officer, expected_version=2)
    assert not ended.is_active
    assert [(p.coordination_id, p.coordinated_value_sek, p.economic_score) for p in reloaded(*cars)] == [
        (None, None, 1)
    ] * 3
    assert notes(cars[1], HistoryEntry.Action.DISSOLVED) == [
        "Ludvika kommun left; fewer than two municipalities remained"
    ]
    with translation.override("en"), pytest.raises(CoordinationRefused) as refused:
        group_leave(group=ended, procurement=cars[1], user=officer, expected_version=ended.version)
    assert refused.value.message == "The coordinated procurement has been dissolved."


def test_a_stale_leave_changes_nothing(group, cars, officer):
    with pytest.raises(StaleGroup):
        group_leave(group=group, procurement=cars[1], user=officer, expected_version=2)
    assert reloaded(cars[1])[0].coordination_id == group.pk


def test_leaving_a_group_one_is_not_in(centre, group, officer):
    stranger = car(MunicipalityFactory(slug="gagnef", name="Gagnefs kommun", centre=centre))
    with translation.override("en"), pytest.raises(CoordinationRefused) as refused:
        group_leave(group=group, procurement=stranger, user=officer, expected_version=1)
    assert refused.value.message == "The procurement is no longer in this coordinated procurement."


# --- Dissolve ---------------------------------------------------------------------------------------------


def test_dissolve(group, cars, officer):
    with translation.override("en"):
        ended = group_dissolve(group=group, user=officer, expected_version=1)
    assert (ended.is_active, ended.version) == (False, 2)
    assert [(p.coordination_id, p.coordinated_with, p.economic_score) for p in reloaded(*cars)] == [
        (None, 0, 1)
    ] * 3
    assert notes(cars[2], HistoryEntry.Action.DISSOLVED) == ["with Borlänge kommun, Falu kommun"]
    assert HistoryEntry.objects.filter(action=HistoryEntry.Action.DISSOLVED).count() == 3


def test_a_stale_dissolve_changes_nothing(group, officer):
    with pytest.raises(StaleGroup):
        group_dissolve(group=group, user=officer, expected_version=7)
    assert CoordinationGroup.objects.get().is_active


def test_a_dissolved_procurement_can_be_coordinated_again(centre, group, cars, officer):
    group_dissolve(group=group, user=officer, expected_version=1)
    again = group_create(centre=centre, year=2027, procurements=cars[:2], lead=cars[1], user=officer)
    assert again.is_active and again.pk != group.pk


# --- Adopted members -------------------------------------------------------------------------------------


@pytest.fixture
def adopted_member(group, cars):
    plan = cars[2].plan
    plan.adopted_on = date(2026, 12, 1)
    plan.save()
    return cars[2]


def test_an_adopted_member_cannot_leave_or_be_dissolved(group, adopted_member, cars, officer):
    with translation.override("en"):
        with pytest.raises(CoordinationRefused) as leave:
            group_leave(group=group, procurement=adopted_member, user=officer, expected_version=1)
        with pytest.raises(CoordinationRefused) as dissolve:
            group_dissolve(group=group, user=officer, expected_version=1)
    assert leave.value.message == (
        "BIL of Ludvika kommun is in an adopted plan: it stays in the coordinated procurement."
    )
    assert dissolve.value.message.startswith("BIL of Ludvika kommun is in an adopted plan")
    assert Procurement.objects.filter(coordination=group).count() == 3


def test_the_others_leave_until_the_adopted_one_would_be_alone(group, adopted_member, cars, officer):
    group = group_leave(group=group, procurement=cars[0], user=officer, expected_version=1)
    with pytest.raises(CoordinationRefused):
        group_leave(group=group, procurement=cars[1], user=officer, expected_version=2)
    # The adopted row keeps what was adopted: its combined value is not rewritten.
    assert reloaded(adopted_member)[0].coordinated_value_sek == 6_000_000


# --- Refresh: the value changed or a member deleted elsewhere ----------------------------------------


def test_a_members_new_value_refreshes_the_group(group, cars, officer):
    borlange_car = reloaded(cars[1])[0]
    saved = services.procurement_update(
        procurement=borlange_car, data={"estimated_value_sek": 20_000_000}, expected_version=1, user=officer
    )
    assert (saved.version, saved.coordinated_value_sek) == (2, 24_000_000)
    falun_car, _, ludvika_car = reloaded(*cars)
    assert (falun_car.coordinated_value_sek, falun_car.economic_score, falun_car.version) == (
        24_000_000,
        4,
        1,
    )
    assert ludvika_car.coordinated_value_sek == 24_000_000
    # The other members' rows were scored again: their history says so, naming no value.
    (entry,) = HistoryEntry.objects.filter(procurement=falun_car, action=HistoryEntry.Action.REGROUPED)
    assert entry.changes["economic_score"] == ["3", "4"] and entry.user == officer
    assert "20000000" not in str(entry.changes) and "24000000" not in str(entry.changes)


def test_a_group_is_dissolved_never_deleted(group):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        CoordinationGroup.objects.get().delete()


def test_another_field_changed_leaves_the_group_alone(group, cars, officer, django_assert_max_num_queries):
    borlange_car = reloaded(cars[1])[0]
    services.procurement_update(
        procurement=borlange_car, data={"title": "Bilar"}, expected_version=1, user=officer
    )
    assert CoordinationGroup.objects.get().version == 1


def test_an_import_with_a_members_new_value_refreshes_the_group(group, cars, officer):
    plan = cars[1].plan
    content, _type, extension = export_plan_file(
        plan=plan, procurements=plan.procurements.all(), fmt="csv", language="en", disclosure=CENTRE, now=None
    )
    changed = content.decode("utf-8-sig").replace("2000000", "8000000").replace("2,000,000", "8,000,000")
    assert changed != content.decode("utf-8-sig")
    result = plan_import(plan=plan, filename=f"plan.{extension}", content=changed.encode(), user=officer)
    assert result.ok and result.updated == ["BIL"], result.errors
    falun_car, borlange_car, _ = reloaded(*cars)
    assert (falun_car.coordinated_value_sek, borlange_car.coordinated_value_sek) == (12_000_000, 12_000_000)
    assert borlange_car.economic_score == falun_car.economic_score == 3


def test_a_deleted_member_leaves_the_group(group, cars, officer):
    with translation.override("en"):
        services.procurement_delete(procurement=reloaded(cars[0])[0], user=officer)
    group.refresh_from_db()
    assert (group.is_active, group.lead_id) == (True, cars[1].pk)
    borlange_car, ludvika_car = reloaded(cars[1], cars[2])
    assert (borlange_car.coordinated_value_sek, borlange_car.coordinated_with) == (4_000_000, 1)
    assert notes(ludvika_car, HistoryEntry.Action.LEFT_GROUP) == [
        "Falu kommun's procurement was deleted; now with Borlänge kommun (lead: Borlänge kommun)"
    ]


def test_two_deleted_dissolve_the_group(group, cars, officer):
    services.procurement_delete(procurement=reloaded(cars[0])[0], user=officer)
    services.procurement_delete(procurement=reloaded(cars[1])[0], user=officer)
    group.refresh_from_db()
    assert not group.is_active
    assert reloaded(cars[2])[0].coordination_id is None
    assert HistoryEntry.objects.filter(procurement=cars[2], action=HistoryEntry.Action.DISSOLVED).count() == 1


def test_refresh_is_idempotent_and_takes_a_pk(group, cars):
    assert group_refresh(group.pk).version == 1
    assert group_refresh(None) is None
    assert {p.coordinated_value_sek for p in reloaded(*cars)} == {6_000_000}


# --- Reading for the rule -----------------------------------------------------------------------------


def test_candidates_and_suggestion_ids(centre, cars, falun, officer):
    assert coordination.suggestion_ids(centre, 2027) == {p.pk for p in cars}
    adopted = PlanFactory(municipality=falun, year=2026, adopted_on=date(2025, 12, 1))
    car(falun, ref="GAMMAL", plan=adopted)
    assert len(coordination.candidates(centre, 2027)) == 3
    group = group_create(centre=centre, year=2027, procurements=cars[:2], lead=cars[0], user=officer)
    rows = {candidate.pk: candidate for candidate in coordination.candidates(centre, 2027)}
    assert rows[cars[0].pk].coordination_id == group.pk and rows[cars[2].pk].coordination_id is None
    (join,) = coordination.suggestions(centre, 2027)
    assert (join.group_id, join.free) == (group.pk, (cars[2].pk,))
    assert coordination.suggestion_ids(centre, 2027) == {cars[2].pk}


def test_the_centres_settings_and_overrides(centre, cars):
    settings = CentreSettings.of(centre)
    settings.coordination_months = 0
    settings.save()
    assert coordination.suggestion_ids(centre, 2027) == set()
    assert len(coordination.suggestions(centre, 2027, months=2)) == 1
    assert coordination.suggestions(centre, 2027, settings, cpv_digits=8, months=None) == []


def test_candidates_is_one_query(centre, cars, django_assert_num_queries):
    with django_assert_num_queries(1):
        coordination.candidates(centre, 2027)


def test_candidate_value_stays_own(cars):
    assert reloaded(cars[0])[0].estimated_value_sek == CAR_VALUE


@pytest.mark.parametrize(
    ("today", "weighed"),
    [
        (date(2027, 2, 28), {"BIL-F", "BIL-B"}),
        (date(2027, 3, 1), {"BIL-F", "BIL-B"}),  # advertised today: still to come
        (date(2027, 3, 2), {"BIL-B"}),  # Falun's was advertised yesterday: bought on its own
    ],
)
def test_a_procurement_already_advertised_is_not_weighed(centre, falun, borlange, today, weighed):
    car(falun, ref="BIL-F", month=3)
    car(borlange, ref="BIL-B", month=4)
    refs = dict(Procurement.objects.values_list("pk", "ref"))
    assert {refs[c.pk] for c in coordination.candidates(centre, 2027, today=today)} == weighed
