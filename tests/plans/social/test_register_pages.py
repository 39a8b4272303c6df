"""The register's pages (issue 18): who reads them, who keeps the register, and what bad input and stale
edits get."""

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import Role
from plans.models import SocialEnterprise
from tests.factories import (
    CentreFactory,
    MunicipalityFactory,
    SocialEnterpriseFactory,
    UserFactory,
    member,
    valid_org_number,
)
from tests.forms import versions_of

KEEPERS = ("officer", "plan_admin", "coordinator")
READERS = ("politician", "department_rep", "outsider")  # the outsider: Borlänge, served by the same centre


def english(client):
    """The client asking for the pages in English (a logout clears the cookie: set it after logging in)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def people(users, falun):
    """The conftest's cast, Falun's labour-market coordinator, and an officer and a coordinator of
    another centre."""
    other = MunicipalityFactory(
        slug="mora", name="Mora kommun", centre=CentreFactory(slug="annat", name="Annat")
    )
    return users | {
        "coordinator": member(UserFactory(username="matcharen"), Role.COORDINATOR, municipality=falun),
        "other_officer": member(UserFactory(username="annan"), Role.OFFICER, centre=other.centre),
        "other_coordinator": member(
            UserFactory(username="mora-matchare"), Role.COORDINATOR, municipality=other
        ),
    }


@pytest.fixture
def laundry(falun):
    return SocialEnterpriseFactory(
        municipality=falun,
        name="Tvätteriet Kvarnen",
        cpv_codes=["98310000", "03220000"],
        categories=["services"],
        services="Tvätt av arbetskläder",
        capacity=12,
        contact_name="Anna Andersson",
        contact_email="anna@kvarnen.example",
    )


@pytest.fixture
def parks(borlange):
    return SocialEnterpriseFactory(
        municipality=borlange,
        name="Parkgruppen",
        cpv_codes=["77310000"],
        capacity=8,
        reserved_qualified=False,
    )


def url(name, *args, centre="uhc"):
    return reverse(f"social:{name}", args=[centre, *args])


def form_data(municipality, **changes):
    return {
        "name": "Skräpplockarna",
        "org_number": valid_org_number(700),
        "municipality": str(municipality.pk),
        "cpv_codes": "90910000",
        "services": "Skräpplockning",
        "capacity": "5",
        "reserved_qualified": "on",
    } | changes


# --- Reading --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "may_edit"), [*((r, True) for r in KEEPERS), *((r, False) for r in READERS)]
)
def test_the_register_per_role(role, may_edit, people, client_for, laundry, parks):
    response = english(client_for(people[role])).get(url("enterprises"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tvätteriet Kvarnen" in page and "Parkgruppen" in page
    assert laundry.org_number in page
    assert "98310000" in page and "Washing and dry-cleaning services" in page  # the code and its label
    assert "2 enterprises" in page and "20 people a year" in page
    assert "anna@kvarnen.example" in page
    assert (url("enterprise_new") in page) is may_edit
    assert (url("enterprise_import") in page) is may_edit
    assert (url("enterprise_edit", laundry.pk) in page) is may_edit
    assert (url("enterprise_delete", laundry.pk) in page) is may_edit
    assert url("enterprises_export", "xlsx") in page


@pytest.mark.parametrize("role", ["other_officer", "other_coordinator"])
def test_another_centres_people_get_404(role, people, client_for, laundry):
    client = client_for(people[role])
    assert client.get(url("enterprises")).status_code == 404
    assert client.get(url("enterprise_edit", laundry.pk)).status_code == 404
    assert client.get(url("enterprises_export", "csv")).status_code == 404


def test_an_unknown_centre_is_404(people, client_for):
    assert client_for(people["officer"]).get(url("enterprises", centre="finns-inte")).status_code == 404


@pytest.mark.parametrize("name", ["enterprises", "enterprise_new", "enterprise_import"])
def test_an_anonymous_visitor_is_asked_to_log_in(name, client, centre, falun):
    response = client.get(url(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_filters(people, client_for, laundry, parks):
    client = english(client_for(people["politician"]))
    page = client.get(url("enterprises"), {"municipality": "borlange"}).content.decode()
    assert "Parkgruppen" in page and "Tvätteriet Kvarnen" not in page
    assert "1 of 2 enterprises" in page
    page = client.get(url("enterprises"), {"reserved": "yes"}).content.decode()
    assert "Tvätteriet Kvarnen" in page and "Parkgruppen" not in page
    page = client.get(url("enterprises"), {"q": "tvätt"}).content.decode()
    assert "Tvätteriet Kvarnen" in page and "Parkgruppen" not in page
    page = client.get(url("enterprises"), {"q": "7731"}).content.decode()
    assert "Parkgruppen" in page and "Tvätteriet Kvarnen" not in page
    page = client.get(url("enterprises"), {"category": "services"}).content.decode()
    assert "Tvätteriet Kvarnen" in page and "Parkgruppen" not in page
    assert client.get(url("enterprises"), {"municipality": "mora"}).status_code == 400


# --- Keeping the register -------------------------------------------------------------------------


@pytest.mark.parametrize("role", KEEPERS)
def test_keepers_add_an_enterprise(role, people, client_for, falun):
    user = people[role]
    response = client_for(user).post(url("enterprise_new"), form_data(falun, cpv_codes="90910000, 3220000"))
    assert response.status_code == 302
    enterprise = SocialEnterprise.objects.get(name="Skräpplockarna")
    assert enterprise.centre == falun.centre
    assert enterprise.cpv_codes == ["90910000", "03220000"]
    assert enterprise.updated_by == user
    assert enterprise.version == 1


@pytest.mark.parametrize("role", READERS)
def test_readers_may_not_keep_the_register(role, people, client_for, falun, laundry):
    client = client_for(people[role])
    assert client.get(url("enterprise_new")).status_code == 403
    assert client.post(url("enterprise_new"), form_data(falun)).status_code == 403
    assert client.get(url("enterprise_edit", laundry.pk)).status_code == 403
    assert client.post(url("enterprise_delete", laundry.pk), {"version": "1"}).status_code == 403
    assert client.get(url("enterprise_import")).status_code == 403
    assert SocialEnterprise.objects.count() == 1
    assert not SocialEnterprise.objects.filter(name="Skräpplockarna").exists()


def test_another_centres_enterprise_is_not_found(people, client_for):
    other = MunicipalityFactory(
        slug="mora", name="Mora kommun", centre=CentreFactory(slug="annat", name="Annat")
    )
    theirs = SocialEnterpriseFactory(municipality=other)
    client = client_for(people["officer"])
    assert client.get(url("enterprise_edit", theirs.pk)).status_code == 404
    assert client.post(url("enterprise_delete", theirs.pk), {"version": "1"}).status_code == 404
    assert SocialEnterprise.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"cpv_codes": "98310000 9831000x"}, "cpv_codes"),
        ({"cpv_codes": ""}, "cpv_codes"),
        (
            {"org_number": valid_org_number(700)[:-1] + "0" if valid_org_number(700)[-1] != "0" else "1"},
            "org_number",
        ),
    ],
)
def test_bad_input_is_refused_with_400_and_nothing_saved(changes, field, people, client_for, falun):
    response = client_for(people["coordinator"]).post(url("enterprise_new"), form_data(falun, **changes))
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not SocialEnterprise.objects.exists()


def test_a_duplicate_org_number_is_named_beside_the_field(people, client_for, falun, laundry):
    response = english(client_for(people["officer"])).post(
        url("enterprise_new"), form_data(falun, org_number=laundry.org_number.replace("-", ""))
    )
    assert response.status_code == 400
    assert "already has an enterprise with this organisation number" in response.content.decode()
    assert SocialEnterprise.objects.count() == 1


def test_an_edit_saves_and_moves_the_version(people, client_for, falun, laundry):
    client = client_for(people["coordinator"])
    versions = versions_of(client, url("enterprise_edit", laundry.pk))
    response = client.post(
        url("enterprise_edit", laundry.pk),
        form_data(falun, name="Tvätteriet Kvarnen AB", org_number=laundry.org_number) | versions,
    )
    assert response.status_code == 302
    laundry.refresh_from_db()
    assert laundry.name == "Tvätteriet Kvarnen AB"
    assert laundry.version == 2
    assert laundry.updated_by == people["coordinator"]


def test_a_stale_edit_is_refused(people, client_for, falun, laundry):
    client = english(client_for(people["officer"]))
    versions = versions_of(client, url("enterprise_edit", laundry.pk))
    SocialEnterprise.objects.filter(pk=laundry.pk).update(name="Someone else's", version=2)
    response = client.post(
        url("enterprise_edit", laundry.pk), form_data(falun, org_number=laundry.org_number) | versions
    )
    assert response.status_code == 400
    assert "Someone else saved this enterprise" in response.content.decode()
    laundry.refresh_from_db()
    assert laundry.name == "Someone else's"
    # The page now carries the newer version: saving again knowingly replaces it.
    assert 'name="version" value="2"' in response.content.decode()


def test_delete_asks_first_and_then_removes(people, client_for, laundry):
    client = client_for(people["plan_admin"])
    response = client.get(url("enterprise_delete", laundry.pk))
    assert response.status_code == 200
    assert SocialEnterprise.objects.filter(pk=laundry.pk).exists()
    response = client.post(
        url("enterprise_delete", laundry.pk), versions_of(client, url("enterprise_delete", laundry.pk))
    )
    assert response.status_code == 302
    assert not SocialEnterprise.objects.filter(pk=laundry.pk).exists()


def test_a_stale_delete_removes_nothing(people, client_for, laundry):
    client = english(client_for(people["officer"]))
    SocialEnterprise.objects.filter(pk=laundry.pk).update(version=3)
    response = client.post(url("enterprise_delete", laundry.pk), {"version": "1"})
    assert response.status_code == 400
    assert "changed this enterprise" in response.content.decode()
    assert SocialEnterprise.objects.filter(pk=laundry.pk).exists()
    assert client.post(url("enterprise_delete", laundry.pk), {}).status_code == 400


# --- Links to the register ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "linked"), [*((r, True) for r in KEEPERS + READERS), ("other_officer", False)]
)
def test_the_home_page_links_to_the_register(role, linked, people, client_for, centre):
    page = client_for(people[role]).get(reverse("home")).content.decode()
    assert (url("enterprises") in page) is linked
    # The register's keepers work with its matches too (the coordinator's working list).
    assert (url("matches") in page) is (role in KEEPERS)


def test_the_centre_desk_links_to_the_register(people, client_for, centre):
    page = client_for(people["officer"]).get(reverse("centre:year", args=["uhc", 2027])).content.decode()
    assert url("enterprises") in page
