"""The labour reserve pages (/social/<centre>/labour-reserve/, issue 18) per role: read by everyone the
centre's register is for, kept by the municipality's labour-market coordinator and the centre's plan
administrators; bad input refused beside its field with nothing saved; a stale edit refused."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from plans.models import LabourReserve
from plans.social.reserve_forms import DUPLICATE_YEAR
from plans.social.reserve_views import STALE_EDIT
from tests.factories import CentreFactory, MunicipalityFactory, UserFactory, member


@pytest.fixture
def borlange_coordinator(borlange):
    return member(UserFactory(username="matcharen-borlange"), Role.COORDINATOR, municipality=borlange)


@pytest.fixture
def stranger(db):
    """An officer of another procurement centre."""
    other = CentreFactory(slug="annat", name="Annat upphandlingscenter")
    MunicipalityFactory(slug="mora", name="Mora kommun", centre=other)
    return member(UserFactory(username="annan"), Role.OFFICER, centre=other)


@pytest.fixture
def cast(users, coordinator, borlange_coordinator, stranger):
    return {
        **users,
        "coordinator": coordinator,
        "borlange_coordinator": borlange_coordinator,
        "stranger": stranger,
    }


@pytest.fixture
def reserve(falun):
    return LabourReserve.objects.create(
        municipality=falun, year=2025, outside=2547, reached=800, source="AIK:s årsrapport"
    )


def list_url(centre):
    return reverse("social:labour_reserve", args=[centre.slug])


def new_url(centre, municipality):
    return reverse("social:labour_reserve_new", args=[centre.slug, municipality.slug])


def edit_url(centre, municipality, year):
    return reverse("social:labour_reserve_edit", args=[centre.slug, municipality.slug, year])


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def valid(**changes):
    return {"year": "2026", "outside": "2 547", "reached": "800", "source": "AIK", **changes}


# --- Who reads, who keeps -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, status",
    [
        ("coordinator", 200),
        ("borlange_coordinator", 200),
        ("plan_admin", 200),
        ("officer", 200),
        ("politician", 200),
        ("department_rep", 200),
        # A Borlänge politician: Borlänge is served by the same centre.
        ("outsider", 200),
        ("stranger", 404),
        ("anonymous", 302),
    ],
)
def test_who_reads_the_labour_reserve(who, status, cast, client_for, centre, reserve):
    response = client_for(cast[who]).get(list_url(centre))
    assert response.status_code == status
    if status == 302:
        assert "/accounts/login/" in response["Location"]
    if status == 200:
        assert 'id="reserve-falun-2025"' in response.content.decode()


@pytest.mark.parametrize(
    "who, keeps_falun, keeps_borlange",
    [
        ("coordinator", True, False),
        ("borlange_coordinator", False, True),
        ("plan_admin", True, True),
        ("officer", False, False),
        ("politician", False, False),
    ],
)
def test_the_list_offers_editing_only_where_the_reader_keeps_the_reserve(
    who, keeps_falun, keeps_borlange, cast, client_for, centre, falun, borlange, reserve
):
    body = client_for(cast[who]).get(list_url(centre)).content.decode()
    assert (new_url(centre, falun) in body, new_url(centre, borlange) in body) == (
        keeps_falun,
        keeps_borlange,
    )
    assert (edit_url(centre, falun, 2025) in body) == keeps_falun


@pytest.mark.parametrize(
    "who, status",
    [
        ("coordinator", 302),
        ("plan_admin", 302),
        ("borlange_coordinator", 403),
        ("officer", 403),
        ("politician", 403),
        ("department_rep", 403),
        ("outsider", 403),
        ("stranger", 404),
        ("anonymous", 302),
    ],
)
def test_who_adds_a_year(who, status, cast, client_for, centre, falun):
    client = client_for(cast[who])
    keeper = who in ("coordinator", "plan_admin")
    assert client.get(new_url(centre, falun)).status_code == (200 if keeper else status)
    response = client.post(new_url(centre, falun), valid())
    assert response.status_code == status
    saved = LabourReserve.objects.filter(municipality=falun, year=2026).first()
    if keeper:
        assert (saved.outside, saved.reached, saved.source) == (2547, 800, "AIK")
        assert response["Location"].endswith(list_url(centre) + "#reserve-falun")
    else:
        assert saved is None
    if who == "anonymous":
        assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    "who, status",
    [
        ("coordinator", 302),
        ("plan_admin", 302),
        ("borlange_coordinator", 403),
        ("officer", 403),
        ("politician", 403),
        ("stranger", 404),
        ("anonymous", 302),
    ],
)
def test_who_edits_a_year(who, status, cast, client_for, centre, falun, reserve):
    client = client_for(cast[who])
    keeper = who in ("coordinator", "plan_admin")
    assert client.get(edit_url(centre, falun, 2025)).status_code == (200 if keeper else status)
    response = client.post(edit_url(centre, falun, 2025), valid(year="2025", reached="900", version="1"))
    assert response.status_code == status
    reserve.refresh_from_db()
    assert (reserve.reached, reserve.version) == ((900, 2) if keeper else (800, 1))


def test_the_borlange_coordinator_keeps_borlange_and_not_falun(
    client_for, borlange_coordinator, centre, falun, borlange
):
    client = client_for(borlange_coordinator)
    assert client.post(new_url(centre, borlange), valid()).status_code == 302
    assert client.post(new_url(centre, falun), valid()).status_code == 403
    assert list(LabourReserve.objects.values_list("municipality__slug", flat=True)) == ["borlange"]


def test_a_municipality_of_another_centre_or_a_year_not_recorded_is_not_found(
    client_for, plan_admin, centre, falun, stranger
):
    client = client_for(plan_admin)
    assert client.get(reverse("social:labour_reserve_new", args=[centre.slug, "mora"])).status_code == 404
    assert client.get(reverse("social:labour_reserve_new", args=["annat", "mora"])).status_code == 404
    assert client.get(edit_url(centre, falun, 2031)).status_code == 404
    assert client.get(reverse("social:labour_reserve", args=["finns-inte"])).status_code == 404


def test_changes_are_post_only_and_protected_by_csrf(client, coordinator, centre, falun):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(coordinator)
    assert strict.post(new_url(centre, falun), valid()).status_code == 403
    assert not LabourReserve.objects.exists()
    client.force_login(coordinator)
    assert client.put(new_url(centre, falun)).status_code == 405
    assert client.post(list_url(centre)).status_code == 405


# --- Bad input ------------------------------------------------------------------------------------------


def errors_beside(response, field: str) -> list[str]:
    return response.context["form"].errors.get(field, [])


@pytest.mark.parametrize(
    "changes, field, message",
    [
        # (English text: a lazy message read here, at collection, would be in the default language.)
        (
            {"reached": "2548"},
            "reached",
            "Those reached cannot be more than the people outside the labour market.",
        ),
        ({"outside": ""}, "outside", "This field is required."),
        ({"outside": "-1"}, "outside", "People outside the labour market cannot be negative"),
        ({"outside": "2,5"}, "outside", "People outside the labour market: “2,5” is not a whole number"),
        ({"outside": "9999999999"}, "outside", "People outside the labour market: “9999999999” is too large"),
        ({"reached": "-3"}, "reached", "People reached cannot be negative"),
        ({"year": "1989"}, "year", "At least 1990."),
        ({"year": "2101"}, "year", "At most 2100."),
        ({"year": ""}, "year", "This field is required."),
        ({"year": "nästa år"}, "year", "Enter a whole number."),
        ({"source": "x" * 301}, "source", "At most 300 characters (now 301)."),
    ],
)
def test_bad_input_is_refused_beside_its_field_and_nothing_is_saved(
    changes, field, message, client_for, coordinator, centre, falun
):
    with translation.override("en"):
        response = in_english(client_for(coordinator)).post(new_url(centre, falun), valid(**changes))
        assert response.status_code == 400
        assert errors_beside(response, field) == [message]
        assert f'id="id_{field}_error"' in response.content.decode()
    assert not LabourReserve.objects.exists()


def test_a_year_is_recorded_once_per_municipality(
    client_for, coordinator, plan_admin, centre, falun, borlange, reserve
):
    client = client_for(coordinator)
    response = client.post(new_url(centre, falun), valid(year="2025", outside="10"))
    assert response.status_code == 400
    assert errors_beside(response, "year") == [str(DUPLICATE_YEAR)]
    assert LabourReserve.objects.get(municipality=falun, year=2025).outside == 2547
    # Borlänge's 2025 is another municipality's.
    assert client_for(plan_admin).post(new_url(centre, borlange), valid(year="2025")).status_code == 302


def test_an_edit_cannot_move_a_year_onto_another(client_for, coordinator, centre, falun, reserve):
    LabourReserve.objects.create(municipality=falun, year=2026, outside=2400)
    response = client_for(coordinator).post(edit_url(centre, falun, 2026), valid(year="2025", version="1"))
    assert response.status_code == 400
    assert errors_beside(response, "year") == [str(DUPLICATE_YEAR)]
    assert sorted(LabourReserve.objects.values_list("year", "outside")) == [(2025, 2547), (2026, 2400)]


def test_reached_may_be_left_empty_and_equal_to_outside(client_for, coordinator, centre, falun):
    client = client_for(coordinator)
    assert client.post(new_url(centre, falun), valid(reached="")).status_code == 302
    assert (
        client.post(new_url(centre, falun), valid(year="2027", outside="5", reached="5")).status_code == 302
    )
    assert sorted(LabourReserve.objects.values_list("year", "reached")) == [(2026, None), (2027, 5)]


# --- Stale edits ----------------------------------------------------------------------------------------


def test_a_stale_edit_is_refused_and_keeps_what_was_typed(
    client_for, coordinator, plan_admin, centre, falun, reserve
):
    form = client_for(coordinator).get(edit_url(centre, falun, 2025)).context["form"]
    assert form["version"].value() == 1
    # The plan administrator saves meanwhile.
    assert (
        client_for(plan_admin).post(
            edit_url(centre, falun, 2025), valid(year="2025", reached="850", version="1")
        )
    ).status_code == 302
    client = client_for(coordinator)
    response = client.post(edit_url(centre, falun, 2025), valid(year="2025", reached="900", version="1"))
    assert response.status_code == 400
    assert str(STALE_EDIT) in response.context["form"].non_field_errors()
    reserve.refresh_from_db()
    assert (reserve.reached, reserve.version) == (850, 2)
    # The form now carries the saved version: saving again knowingly replaces the other edit.
    assert response.context["form"].data["version"] == 2
    again = client.post(edit_url(centre, falun, 2025), valid(year="2025", reached="900", version="2"))
    assert again.status_code == 302
    reserve.refresh_from_db()
    assert (reserve.reached, reserve.version) == (900, 3)


def test_an_edit_without_its_version_is_refused(client_for, coordinator, centre, falun, reserve):
    response = client_for(coordinator).post(edit_url(centre, falun, 2025), valid(year="2025", reached="1"))
    assert response.status_code == 400
    reserve.refresh_from_db()
    assert reserve.reached == 800


def test_an_edit_that_changes_nothing_keeps_the_version(client_for, coordinator, centre, falun, reserve):
    data = {"year": "2025", "outside": "2547", "reached": "800", "source": "AIK:s årsrapport", "version": "1"}
    assert client_for(coordinator).post(edit_url(centre, falun, 2025), data).status_code == 302
    reserve.refresh_from_db()
    assert reserve.version == 1


# --- What the page shows --------------------------------------------------------------------------------


def test_the_list_shows_each_municipality_with_its_years_newest_first(
    client_for, politician, centre, falun, borlange, reserve
):
    LabourReserve.objects.create(municipality=falun, year=2026, outside=2400, reached=None)
    with translation.override("en"):
        response = in_english(client_for(politician)).get(list_url(centre))
    body = response.content.decode()
    assert body.index('id="reserve-falun-2026"') < body.index('id="reserve-falun-2025"')
    assert 'id="reserve-borlange"' in body and "No year recorded yet." in body
    assert "2547" in body and "AIK:s årsrapport" in body
    # 800 of 2 547 reached.
    assert "31.4&nbsp;%" in body


def test_the_form_speaks_swedish_by_default(client_for, coordinator, centre, falun):
    body = client_for(coordinator).get(new_url(centre, falun)).content.decode()
    assert "<html" in body and 'lang="sv"' in body
    assert 'name="csrfmiddlewaretoken"' in body
    for name in ("year", "outside", "reached", "source"):
        assert f'for="id_{name}"' in body
