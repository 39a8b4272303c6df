"""The OCDS package over many plans (issue 17: the public pipeline calls it): pipeline_package() gives every
release its own municipality as buyer and that municipality's centre as procuring entity, shows what the
public may see and no more, is published by the site, and with_release_data() reads it all in a few
queries however many procurements there are."""

import json
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans.centre.coordination import group_create
from plans.exchange.ocds import ocid, pipeline_package, with_release_data
from plans.models import Outcome, Procurement
from tests.factories import CentreFactory, MunicipalityFactory, PlanFactory, ProcurementFactory
from tests.plans.centre.coordinated import car, ludvika
from tests.plans.exchange.test_ocds import PUBLISHED, assert_valid, empty_values
from tests.plans.exchange.test_ocds_rationale import order_for

pytestmark = pytest.mark.django_db
URI = "https://upphandlingsplan.example.se/kommande/export.json?q=bil"
ADOPTED = date(2026, 11, 1)


def package(procurements=None):
    procurements = procurements if procurements is not None else Procurement.objects.all()
    return pipeline_package(
        procurements=with_release_data(procurements.order_by("plan__municipality__slug", "ref")),
        uri=URI,
        published=PUBLISHED,
    )


def adopt(*plans):
    for plan in plans:
        plan.adopted_on = ADOPTED
        plan.save()


@pytest.fixture
def two_towns(falun, borlange):
    """An adopted plan in Falun and in Borlänge, the two towns with their organisation numbers."""
    falun.org_number, borlange.org_number = "212000-2262", "212000-2270"
    falun.save()
    borlange.save()
    plans = PlanFactory(municipality=falun, year=2027), PlanFactory(municipality=borlange, year=2027)
    adopt(*plans)
    return plans


def test_each_release_has_its_own_municipality_as_buyer_and_its_centre_as_procuring_entity(two_towns):
    falun_plan, borlange_plan = two_towns
    ProcurementFactory(plan=falun_plan, ref="2027-001", title="Skolmat")
    ProcurementFactory(plan=borlange_plan, ref="2027-001", title="Snöröjning")

    made = package()

    assert_valid(made)
    assert empty_values(made) == []
    releases = {release["buyer"]["id"]: release for release in made["releases"]}
    assert set(releases) == {"SE-KOMMUN-falun", "SE-KOMMUN-borlange"}
    for slug, name, number in (
        ("falun", "Falu kommun", "212000-2262"),
        ("borlange", "Borlänge kommun", "212000-2270"),
    ):
        release = releases[f"SE-KOMMUN-{slug}"]
        assert release["ocid"] == f"ocds-upplan-{slug}-2027-001"
        assert release["buyer"] == {"id": f"SE-KOMMUN-{slug}", "name": name}
        assert release["parties"][0]["identifier"] == {"scheme": "SE-BLV", "id": number, "legalName": name}
        assert release["tender"]["procuringEntity"] == {
            "id": "SE-UHC-uhc",
            "name": "Upphandlingscenter Falun Borlänge",
        }
        assert release["tender"]["status"] == "planned"


def test_a_municipality_of_another_centre_has_its_own_procuring_entity(two_towns):
    other = MunicipalityFactory(
        slug="gavle", name="Gävle kommun", centre=CentreFactory(slug="ghuc", name="Gästrike upphandling")
    )
    plan = PlanFactory(municipality=other, year=2027)
    adopt(plan)
    ProcurementFactory(plan=plan, ref="G-1")
    ProcurementFactory(plan=two_towns[0], ref="F-1")

    made = package()

    assert_valid(made)
    entities = {
        release["buyer"]["name"]: release["tender"]["procuringEntity"] for release in made["releases"]
    }
    assert entities == {
        "Gävle kommun": {"id": "SE-UHC-ghuc", "name": "Gästrike upphandling"},
        "Falu kommun": {"id": "SE-UHC-uhc", "name": "Upphandlingscenter Falun Borlänge"},
    }


def test_the_site_publishes_it_by_name_alone_by_default(two_towns):
    ProcurementFactory(plan=two_towns[0])

    made = package()

    assert made["publisher"] == {"name": "Upphandlingsplan"}
    assert made["uri"] == URI
    assert made["license"] == "https://creativecommons.org/publicdomain/zero/1.0/"
    assert made["publicationPolicy"].endswith("/oppna-data/")


def test_the_publisher_follows_the_settings(two_towns, settings):
    settings.OCDS_PUBLISHER_NAME = "Region Dalarna"
    settings.OCDS_PUBLISHER_SCHEME = "SE-BLV"
    settings.OCDS_PUBLISHER_UID = "232100-0180"
    settings.OCDS_PUBLISHER_URI = "https://www.regiondalarna.se/"
    ProcurementFactory(plan=two_towns[0])

    made = package()

    assert_valid(made)
    assert made["publisher"] == {
        "name": "Region Dalarna",
        "scheme": "SE-BLV",
        "uid": "232100-0180",
        "uri": "https://www.regiondalarna.se/",
    }


def test_a_confidential_value_and_description_never_leave(two_towns, serv):
    secret = ProcurementFactory(
        plan=two_towns[0],
        ref="2027-LARM",
        title="Larmcentral",
        description="Säkerhetsklassad beskrivning.",
        department=serv,
        estimated_value_sek=42_424_242,
        confidential=True,
    )
    order_for(secret, serv, need="Larmcentralens placering.")
    ProcurementFactory(plan=two_towns[0], ref="2027-002", estimated_value_sek=3_000_000)

    made = package()

    assert_valid(made)
    text = json.dumps(made, ensure_ascii=False)
    assert "42424242" not in text and "Säkerhetsklassad" not in text and "Larmcentralens" not in text
    shown, hidden = made["releases"]  # by ref: 2027-002, 2027-LARM
    assert "value" not in hidden["tender"] and "description" not in hidden["tender"]
    assert hidden["tender"]["title"] == "Larmcentral"
    assert shown["tender"]["value"] == {"amount": 3_000_000, "currency": "SEK"}


def test_a_coordinated_procurement_points_only_to_members_the_public_may_see(
    centre, falun, borlange, officer
):
    cars = [car(falun, month=2), car(borlange, month=3), car(ludvika(centre), month=4)]
    group_create(centre=centre, year=2027, procurements=cars, lead=cars[0], user=officer)
    adopt(cars[0].plan, cars[1].plan)  # Ludvika's plan stays a draft

    made = package(Procurement.objects.filter(plan__adopted_on__isnull=False))

    assert_valid(made)
    releases = {release["buyer"]["id"]: release for release in made["releases"]}
    lead = ocid(cars[0].plan, cars[0])
    assert [process["identifier"] for process in releases["SE-KOMMUN-falun"]["relatedProcesses"]] == [
        ocid(cars[1].plan, cars[1])
    ]
    assert releases["SE-KOMMUN-borlange"]["tender"]["id"] == lead
    assert "ludvika" not in json.dumps(made)


def test_the_tender_status_follows_each_plan_and_outcome(two_towns, falun):
    falun_plan, borlange_plan = two_towns
    draft = PlanFactory(municipality=falun, year=2028)
    for plan, ref, status in (
        (falun_plan, "A", Outcome.Status.AWARDED),
        (borlange_plan, "B", Outcome.Status.CANCELLED),
        (falun_plan, "C", None),
        (draft, "D", Outcome.Status.ADVERTISED),
    ):
        procurement = ProcurementFactory(plan=plan, ref=ref)
        if status:
            Outcome.objects.create(procurement=procurement, status=status)

    made = package(Procurement.objects.all())

    assert_valid(made)
    assert {release["tender"]["id"]: release["tender"]["status"] for release in made["releases"]} == {
        "A": "complete",
        "B": "cancelled",
        "C": "planned",
        "D": "planning",
    }


# --- queries -------------------------------------------------------------------------------------------


def rows(towns, numbers: range, serv):
    """A procurement numbered so in each town's plan: Falun's with an order, every other with an outcome."""
    made = []
    for plan in towns:
        for index in numbers:
            procurement = ProcurementFactory(plan=plan, ref=f"R-{index}-{plan.municipality.slug}")
            if plan.municipality.slug == "falun":
                order_for(procurement, serv, title=f"Beställning {index}")
            if index % 2:
                Outcome.objects.create(procurement=procurement, status=Outcome.Status.ADVERTISED)
            made.append(procurement)
    return made


def queries_for_a_package() -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        made = package()
    return len(queries.captured_queries), len(made["releases"])


def test_the_number_of_queries_does_not_grow_with_the_rows(centre, falun, borlange, serv, officer):
    towns = PlanFactory(municipality=falun, year=2027), PlanFactory(municipality=borlange, year=2027)
    first = rows(towns, range(2), serv)
    # One coordinated procurement across the two towns.
    group_create(centre=centre, year=2027, procurements=[first[0], first[2]], lead=first[0], user=officer)
    adopt(*towns)
    few, few_releases = queries_for_a_package()
    rows(towns, range(2, 12), serv)
    many, many_releases = queries_for_a_package()

    assert (few_releases, many_releases) == (4, 24)
    # The procurements with plan, municipality, centre, department, outcome and coordinated procurement;
    # the orders; the coordinated procurements' members.
    assert few == many == 3
