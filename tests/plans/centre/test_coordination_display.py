"""Issue 16: the tenant rules across a coordinated procurement. Who sees which of the other members on a
member's page and in the plan table (plans.centre.display), and the OCDS releases pointing to each other."""

import json
from datetime import date

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from accounts.permissions import access_of
from plans.centre import display
from plans.centre.coordination import group_create
from plans.exchange.ocds import ocid, release_package, with_coordination, with_orders
from plans.models import Procurement
from plans.register.disclosure import CENTRE, PUBLIC
from tests.plans.centre.coordinated import car, ludvika
from tests.plans.exchange.test_ocds import PUBLISHED, URI, assert_valid, codes

pytestmark = pytest.mark.django_db
FALUN_DRAFT = "Elbilar till hemtjänsten"
FALUN_VALUE = 2_345_678


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def cars(centre, falun, borlange, officer):
    """Falun leads; Borlänge and Ludvika take part. Falun's title and value are its draft's."""
    made = (
        car(falun, month=2, title=FALUN_DRAFT, value=FALUN_VALUE),
        car(borlange, month=3, title="Personbilar"),
        car(ludvika(centre), month=4, title="Bilar"),
    )
    group_create(
        centre=centre, year=2027, procurements=made, lead=made[0], user=officer, title="Bilar i Dalarna"
    )
    return [Procurement.objects.select_related("plan__municipality").get(pk=p.pk) for p in made]


def adopt(*procurements):
    for procurement in procurements:
        plan = procurement.plan
        plan.adopted_on = date(2026, 11, 1)
        plan.save()


def page(client_for, user, procurement):
    client = client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    plan = procurement.plan
    url = reverse("plans:procurement", args=[plan.municipality.slug, plan.year, procurement.ref])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode().replace("\u00a0", " ")


# --- What the rule says -----------------------------------------------------------------------------------


def test_a_politician_of_borlange_sees_names_not_faluns_draft(cars, outsider):
    shown = display.coordinated(cars[1], access_of(outsider))
    assert shown.summary == (
        "Coordinated procurement with 2 other municipalities: Falu kommun, Ludvika kommun. Lead: Falu kommun."
    )
    assert [(m.municipality, m.lead, m.visible, m.title, m.value_text, m.url) for m in shown.others] == [
        ("Falu kommun", True, False, "", "", ""),
        ("Ludvika kommun", False, False, "", "", ""),
    ]
    assert (shown.title, shown.group_visible, shown.is_lead) == ("", False, False)


def test_the_centres_officer_sees_every_member(cars, officer):
    shown = display.coordinated(cars[1], access_of(officer))
    assert [(m.visible, m.title) for m in shown.others] == [(True, FALUN_DRAFT), (True, "Bilar")]
    assert shown.others[0].value_text == "SEK\u00a02,345,678"
    assert (shown.title, shown.group_visible) == ("Bilar i Dalarna", True)


def test_the_lead_says_so(cars, politician):
    shown = display.coordinated(cars[0], access_of(politician))
    assert shown.summary.endswith("This procurement leads it.")
    assert shown.title == "Bilar i Dalarna"  # the lead's own plan: the politician's


def test_adopted_plans_are_public(cars, outsider):
    adopt(cars[0])
    shown = display.coordinated(cars[1], access_of(outsider))
    assert [(m.visible, m.title) for m in shown.others] == [(True, FALUN_DRAFT), (False, "")]
    assert (shown.title, shown.group_visible) == ("Bilar i Dalarna", False)
    adopt(cars[2])
    assert display.coordinated(cars[1], access_of(outsider)).group_visible is True


def test_a_confidential_value_stays_confidential(cars, outsider):
    Procurement.objects.filter(pk=cars[0].pk).update(confidential=True)
    adopt(cars[0], cars[2])
    shown = display.coordinated(cars[1], access_of(outsider))
    assert shown.others[0].value_text == "Confidential"
    assert shown.group_visible is False


def test_no_group_no_queries(procurement, officer, django_assert_num_queries):
    access = access_of(officer)
    with django_assert_num_queries(0):
        assert display.coordinated(procurement, access) is None


# --- On the procurement's page ------------------------------------------------------------------------------


def test_borlanges_politician_on_borlanges_page(client_for, cars, outsider):
    text = page(client_for, outsider, cars[1])
    assert "Coordinated procurement with 2 other municipalities: Falu kommun, Ludvika kommun." in text
    assert "Lead: Falu kommun." in text
    assert FALUN_DRAFT not in text
    assert "2,345,678" not in text
    assert "Bilar i Dalarna" not in text
    # The reason names the band of the combined value, never the sum.
    assert "combined value between" in text
    assert "6,345,678" not in text and "6.3 MSEK" not in text


def test_the_officer_on_borlanges_page(client_for, cars, officer):
    text = page(client_for, officer, cars[1])
    assert FALUN_DRAFT in text and "SEK 2,345,678" in text
    assert "Combined value SEK 6,345,678." in text
    assert "Coordinated with 2 other municipalities: 6.3 MSEK" in text


def test_the_plan_table_marks_a_coordinated_row(client_for, cars, falun, borlange, politician):
    client = client_for(politician)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    car(falun, ref="ENSAM", month=6)
    text = client.get(reverse("plans:plan", args=["falun", 2027])).content.decode()
    assert text.count('<span class="tag tag-coordinated">Coordinated</span>') == 1


# --- OCDS ----------------------------------------------------------------------------------------------


def package(procurement, reader=None, show_confidential=True):
    plan = procurement.plan
    procurements = with_coordination(with_orders(Procurement.objects.filter(plan=plan)))
    made = release_package(
        plan=plan,
        procurements=procurements.select_related("plan__municipality__centre", "department"),
        disclosure=CENTRE if show_confidential else PUBLIC,
        uri=URI,
        published=PUBLISHED,
        reader=reader,
    )
    assert_valid(made)
    (release,) = made["releases"]
    return release


def test_the_leads_release_points_to_the_participants_planning(cars, officer):
    release = package(cars[0], access_of(officer))
    # The group's tender carries the lead's ocid in every member's release, the lead's own too.
    assert release["tender"]["id"] == ocid(cars[0].plan, cars[0])
    assert release["relatedProcesses"] == [
        {
            "id": ocid(cars[1].plan, cars[1]),
            "scheme": "ocid",
            "identifier": ocid(cars[1].plan, cars[1]),
            "title": "Samordnad upphandling, deltagande: Borlänge kommun",
            "relationship": ["planning"],
        },
        {
            "id": ocid(cars[2].plan, cars[2]),
            "scheme": "ocid",
            "identifier": ocid(cars[2].plan, cars[2]),
            "title": "Samordnad upphandling, deltagande: Ludvika kommun",
            "relationship": ["planning"],
        },
    ]
    assert {"planning"} <= codes("relatedProcess") and "ocid" in codes("relatedProcessScheme")


def test_a_participants_release_carries_the_leads_ocid(cars, officer):
    release = package(cars[1], access_of(officer))
    lead = ocid(cars[0].plan, cars[0])
    assert release["tender"]["id"] == lead
    assert [(p["identifier"], p["title"], "relationship" in p) for p in release["relatedProcesses"]] == [
        (lead, "Samordnad upphandling, ledande: Falu kommun", False),
        (ocid(cars[2].plan, cars[2]), "Samordnad upphandling, deltagande: Ludvika kommun", False),
    ]


def test_the_public_package_points_only_to_adopted_plans(cars):
    release = package(cars[1], show_confidential=False)
    assert "relatedProcesses" not in release
    assert release["tender"]["id"] == "BIL"
    adopt(cars[2])
    release = package(cars[1], show_confidential=False)
    assert [p["identifier"] for p in release["relatedProcesses"]] == [ocid(cars[2].plan, cars[2])]
    assert release["tender"]["id"] == "BIL"  # the lead's plan is a draft: its ocid is not given


def test_the_export_asks_two_queries_more_whatever_the_group(client_for, cars, outsider, borlange):
    client = client_for(outsider)
    url = reverse("plans:export", args=["borlange", 2027, "json"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    release = json.loads(b"".join(response.streaming_content) if response.streaming else response.content)
    (release,) = release["releases"]
    assert "relatedProcesses" not in release  # Falun's and Ludvika's plans are drafts to Borlänge
    assert sum("plans_procurement" in query["sql"] for query in queries.captured_queries) <= 3
