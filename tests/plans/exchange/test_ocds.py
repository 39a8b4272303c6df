"""The OCDS export (DESIGN §4): a release package valid against the official 1.1.5 schema, offline."""

import csv
import json
import re
from datetime import date, datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from plans.exchange.ocds import (
    PROCEDURE_NAMES_SV,
    PROCUREMENT_METHODS,
    TENDER_STATUSES,
    add_months,
    duration_in_days,
    ocid,
    release_package,
    tender_status,
    with_release_data,
)
from plans.models import Category, Outcome, Plan, Procedure, Procurement
from plans.register.disclosure import PUBLIC, Disclosure
from plans.remiss.phases import Phase
from plans.scoring.rules import Quadrant
from tests.factories import ProcurementFactory

ROOT = Path(__file__).resolve().parents[3]
OCDS = ROOT / "tests" / "data" / "ocds"
SHARED_OCDS = ROOT.parent / "shared" / "ocds"
RELEASE_SCHEMA_URL = "https://standard.open-contracting.org/schema/1__1__5/release-schema.json"
VENDORED = ("release-package-schema.json", "release-schema.json", "LICENSE")

PUBLISHED = datetime(2026, 12, 1, 9, 30, tzinfo=ZoneInfo("UTC"))
URI = "https://upphandlingsplan.example.se/plans/falun/2027/export.json"
# RFC 3339 date-time with a mandatory offset (jsonschema checks "date-time" only with an extra package).
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")

# DESIGN §4: each LOU procedure, its OCDS method and its Swedish name.
PROCEDURES = [
    (Procedure.OPEN, "open", "Öppet förfarande"),
    (Procedure.SELECTIVE, "selective", "Selektivt förfarande"),
    (Procedure.NEGOTIATED_WITH_NOTICE, "selective", "Förhandlat förfarande med föregående annonsering"),
    (Procedure.NEGOTIATED_WITHOUT_NOTICE, "limited", "Förhandlat förfarande utan föregående annonsering"),
    (Procedure.COMPETITIVE_DIALOGUE, "selective", "Konkurrenspräglad dialog"),
    (Procedure.INNOVATION_PARTNERSHIP, "selective", "Innovationspartnerskap"),
    (Procedure.BELOW_THRESHOLD, "open", "Annonserad upphandling under tröskelvärdena"),
    (Procedure.DIRECT_AWARD, "direct", "Direktupphandling"),
    (Procedure.MINI_COMPETITION, "selective", "Förnyad konkurrensutsättning"),
    (Procedure.DYNAMIC_PURCHASING, "selective", "Dynamiskt inköpssystem"),
]


# --- the schema, offline ---------------------------------------------------------------------------


def load_json(name):
    return json.loads((OCDS / name).read_text(encoding="utf-8"))


def is_rfc3339(value):
    if not isinstance(value, str):
        return True  # type errors are the schema's business
    if not RFC3339.match(value):
        return False
    datetime.fromisoformat(value.replace("Z", "+00:00"))  # raises on 2027-02-30 and the like
    return True


@cache
def validator():
    release_schema = Resource.from_contents(load_json("release-schema.json"), default_specification=DRAFT4)
    registry = Registry().with_resource(RELEASE_SCHEMA_URL, release_schema)
    format_checker = FormatChecker()
    format_checker.checks("date-time", raises=ValueError)(is_rfc3339)
    return Draft4Validator(
        load_json("release-package-schema.json"), registry=registry, format_checker=format_checker
    )


def assert_valid(package):
    """Valid as JSON text, which is what is published: no Decimal, date or other Python-only values."""
    published = json.loads(json.dumps(package))
    errors = [f"{list(error.absolute_path)}: {error.message}" for error in validator().iter_errors(published)]
    assert not errors, "\n".join(errors)


@cache
def codes(codelist):
    with (OCDS / "codelists" / f"{codelist}.csv").open(encoding="utf-8", newline="") as handle:
        return {row["Code"] for row in csv.DictReader(handle)}


def empty_values(value, path="$"):
    """Where `value` holds None, "", {} or []."""
    if value is None or (isinstance(value, str | dict | list) and not value):
        return [path]
    if isinstance(value, dict):
        return [found for key, item in value.items() for found in empty_values(item, f"{path}.{key}")]
    if isinstance(value, list):
        return [found for index, item in enumerate(value) for found in empty_values(item, f"{path}[{index}]")]
    return []


def test_the_validator_works_offline_and_rejects_what_ocds_forbids():
    good = {
        "uri": URI,
        "version": "1.1",
        "publishedDate": "2026-12-01T10:30:00+01:00",
        "publisher": {"name": "Upphandlingscenter"},
        "releases": [
            {
                "ocid": "ocds-upplan-falun-2027-1",
                "id": "1",
                "date": "2026-12-01T10:30:00+01:00",
                "tag": ["planning"],
                "initiationType": "tender",
            }
        ],
    }
    assert_valid(good)
    for broken in (
        {**good, "publishedDate": "2026-12-01"},  # no time
        {**good, "publishedDate": "2026-12-01T10:30:00"},  # no offset
        {**good, "releases": [{**good["releases"][0], "tag": ["plan"]}]},  # not in releaseTag
        {**good, "releases": [{**good["releases"][0], "initiationType": "auction"}]},
        {key: value for key, value in good.items() if key != "publisher"},
    ):
        assert not validator().is_valid(json.loads(json.dumps(broken)))


# --- a plan with one of everything -----------------------------------------------------------------


@pytest.fixture
def mixed(falun_plan, serv):
    """Every procedure, every category, with and without a current contract, confidential and not."""
    categories = list(Category)
    made = []
    for index, procedure in enumerate(Procedure):
        made.append(
            ProcurementFactory(
                plan=falun_plan,
                ref=f"2027-{index + 1:03d}",
                title=f"Upphandling {procedure.value}",
                department=serv,
                category=categories[index % len(categories)],
                procedure=procedure,
                cpv="34110000-1" if index % 2 else "98310000",
                current_contract_ends=date(2027, 6, 30) if index % 2 else None,
                description="" if index == 3 else "Beskrivning av behovet.",
                planned_advertisement=date(2027, 1 + index, 15),
            )
        )
    secret = ProcurementFactory(
        plan=falun_plan,
        ref="2027-SEKRET",
        title="Larmcentral",
        description="Säkerhetsklassad beskrivning.",
        department=serv,
        estimated_value_sek=42_000_000,
        confidential=True,
    )
    return [*made, secret]


def export(plan, *, show_confidential=False):
    procurements = with_release_data(Procurement.objects.filter(plan=plan))
    return release_package(
        plan=plan,
        procurements=procurements,
        disclosure=Disclosure(confidential=show_confidential),
        uri=URI,
        published=PUBLISHED,
    )


def release_of(package, ref):
    (release,) = [release for release in package["releases"] if release["tender"]["id"] == ref]
    return release


@pytest.mark.parametrize("show_confidential", [False, True])
def test_a_plan_with_every_procedure_and_category_validates(falun_plan, mixed, show_confidential):
    package = export(falun_plan, show_confidential=show_confidential)

    assert_valid(package)
    assert len(package["releases"]) == len(mixed) == 11
    assert {release["tender"]["mainProcurementCategory"] for release in package["releases"]} == set(Category)
    assert {release["tender"]["procurementMethod"] for release in package["releases"]} == {
        "open",
        "selective",
        "limited",
        "direct",
    }
    assert empty_values(package) == []


def test_the_package_head(falun_plan, mixed):
    package = export(falun_plan)

    assert package["uri"] == URI
    assert package["version"] == "1.1"
    assert package["publishedDate"] == "2026-12-01T10:30:00+01:00"
    # The centre publishes its plans; without its organisation number, by name only.
    assert package["publisher"] == {"name": "Upphandlingscenter Falun Borlänge"}
    assert package["license"] == "https://creativecommons.org/publicdomain/zero/1.0/"
    assert package["publicationPolicy"] == f"{django_settings.SITE_URL}/oppna-data/"


def test_the_package_head_follows_the_settings_and_the_centres_number(falun_plan, mixed, settings):
    settings.OCDS_LICENSE = "https://example.se/licens"
    settings.OCDS_PUBLICATION_POLICY = "https://example.se/policy"
    falun_plan.municipality.centre.org_number = "222000-1602"
    falun_plan.municipality.centre.save()

    package = export(falun_plan)

    assert_valid(package)
    assert package["publisher"] == {
        "name": "Upphandlingscenter Falun Borlänge",
        "scheme": "SE-BLV",
        "uid": "222000-1602",
    }
    assert package["license"] == "https://example.se/licens"
    assert package["publicationPolicy"] == "https://example.se/policy"


def test_an_empty_licence_setting_leaves_the_licence_out(falun_plan, mixed, settings):
    settings.OCDS_LICENSE = ""

    package = export(falun_plan)

    assert "license" not in package
    assert_valid(package)


def test_a_release_in_full(falun_plan, serv, settings):
    settings.OCDS_OCID_PREFIX = "ocds-abc123"
    procurement = ProcurementFactory(
        plan=falun_plan,
        ref="2027-014",
        title="Arbetskläder",
        description="  Arbetskläder till hemtjänsten.  ",
        department=serv,
        category=Category.GOODS,
        cpv="18110000-3",
        estimated_value_sek=3_000_000,
        duration_months=48,
        planned_advertisement=date(2027, 3, 1),
        current_contract_ends=None,
        procedure=Procedure.OPEN,
    )

    (release,) = export(falun_plan)["releases"]

    ocid = "ocds-abc123-falun-2027-014"  # the ref holds the year: not repeated
    assert release["ocid"] == ocid
    assert release["id"] == f"{ocid}-planning-{procurement.version}"
    assert release["date"] == procurement.updated_at.astimezone(ZoneInfo("Europe/Stockholm")).isoformat(
        timespec="seconds"
    )
    assert RFC3339.match(release["date"])
    assert release["tag"] == ["planning"]
    assert release["initiationType"] == "tender"
    assert release["language"] == "sv"
    # Neither the municipality's nor the centre's organisation number is known here: no identifier.
    assert release["parties"] == [
        {"id": "SE-KOMMUN-falun", "name": "Falu kommun", "roles": ["buyer"]},
        {"id": "SE-UHC-uhc", "name": "Upphandlingscenter Falun Borlänge", "roles": ["procuringEntity"]},
    ]
    assert release["buyer"] == {"id": "SE-KOMMUN-falun", "name": "Falu kommun"}
    # No budget amount in a plan: the estimate is the tender's value.
    assert "budget" not in release["planning"]
    assert release["tender"] == {
        "id": "2027-014",
        "title": "Arbetskläder",
        "description": "Arbetskläder till hemtjänsten.",
        "status": "planning",
        "procuringEntity": {"id": "SE-UHC-uhc", "name": "Upphandlingscenter Falun Borlänge"},
        "value": {"amount": 3_000_000, "currency": "SEK"},
        "mainProcurementCategory": "goods",
        "procurementMethod": "open",
        "procurementMethodDetails": "Öppet förfarande",
        "items": [
            {"id": "1", "description": "Arbetskläder", "classification": {"scheme": "CPV", "id": "18110000"}}
        ],
        "tenderPeriod": {"startDate": "2027-03-01T00:00:00+01:00"},
        "contractPeriod": {"durationInDays": 1461},
    }


def test_summer_dates_carry_the_summer_offset(falun_plan, serv):
    ProcurementFactory(plan=falun_plan, department=serv, planned_advertisement=date(2027, 6, 15))

    (release,) = export(falun_plan)["releases"]

    assert release["tender"]["tenderPeriod"] == {"startDate": "2027-06-15T00:00:00+02:00"}


def test_a_naive_or_foreign_publication_time_is_written_in_swedish_time(falun_plan, procurement):
    procurements = Procurement.objects.filter(plan=falun_plan).select_related("plan__municipality__centre")
    for published in (datetime(2027, 7, 1, 12, 0), datetime(2027, 7, 1, 10, 0, tzinfo=ZoneInfo("UTC"))):
        package = release_package(
            plan=falun_plan, procurements=procurements, disclosure=PUBLIC, uri=URI, published=published
        )
        assert package["publishedDate"] == "2027-07-01T12:00:00+02:00"


def test_an_empty_plan_gives_a_package_without_releases_which_ocds_does_not_accept(falun_plan):
    """OCDS wants one release or more; the caller decides what to show for a plan with nothing in it."""
    package = export(falun_plan)

    assert package["releases"] == []
    messages = [error.message for error in validator().iter_errors(json.loads(json.dumps(package)))]
    assert messages == ["[] should be non-empty"]


# --- the demo --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_demo_plan_validates():
    call_command("load_demo", verbosity=0)
    plan = Plan.objects.select_related("municipality__centre").get(municipality__slug="falun", year=2017)

    for show_confidential in (False, True):
        package = export(plan, show_confidential=show_confidential)
        assert len(package["releases"]) == 99
        assert_valid(package)
        assert empty_values(package) == []
        assert len({release["ocid"] for release in package["releases"]}) == 99


# --- codes from the codelists ----------------------------------------------------------------------


def test_every_code_comes_from_its_codelist(falun_plan, mixed):
    package = export(falun_plan, show_confidential=True)

    for release in package["releases"]:
        assert set(release["tag"]) <= codes("releaseTag")
        assert release["initiationType"] in codes("initiationType")
        assert {role for party in release["parties"] for role in party["roles"]} <= codes("partyRole")
        assert release["tender"]["procurementMethod"] in codes("method")
        assert release["tender"]["mainProcurementCategory"] in codes("procurementCategory")
        assert release["tender"]["status"] in codes("tenderStatus")
        assert release["tender"]["value"]["currency"] in codes("currency")
        for item in release["tender"]["items"]:
            assert item["classification"]["scheme"] in codes("itemClassificationScheme")


def test_every_category_and_method_is_an_ocds_code():
    assert set(Category.values) <= codes("procurementCategory")
    assert set(PROCUREMENT_METHODS.values()) <= codes("method")


# --- procedures ------------------------------------------------------------------------------------


def test_every_procedure_has_a_method_and_a_swedish_name():
    assert set(PROCUREMENT_METHODS) == set(Procedure) == set(PROCEDURE_NAMES_SV)


def test_the_table_covers_every_procedure():
    assert [procedure for procedure, _method, _name in PROCEDURES] == list(Procedure)


@pytest.mark.parametrize(("procedure", "method", "name"), PROCEDURES)
def test_each_procedure_maps_to_its_method_and_swedish_name(falun_plan, serv, procedure, method, name):
    ProcurementFactory(plan=falun_plan, department=serv, procedure=procedure)

    with translation.override("en"):  # the details are Swedish whatever the language of the request
        (release,) = export(falun_plan)["releases"]

    assert release["tender"]["procurementMethod"] == method
    assert release["tender"]["procurementMethodDetails"] == name


# --- identifiers -----------------------------------------------------------------------------------


def test_ocids_are_unique_and_stable(falun_plan, mixed):
    first = export(falun_plan)
    second = export(falun_plan)

    ocids = [release["ocid"] for release in first["releases"]]
    assert len(set(ocids)) == len(ocids) == len(mixed)
    assert ocids == [release["ocid"] for release in second["releases"]]
    ids = [release["id"] for release in first["releases"]]
    assert len(set(ids)) == len(ids)
    assert all(ocid.startswith("ocds-upplan-falun-2027-") for ocid in ocids)


def test_the_same_ref_in_two_municipalities_or_years_has_different_ocids(falun_plan, borlange, falun):
    other_year = Plan.objects.create(municipality=falun, year=2028)
    other_town = Plan.objects.create(municipality=borlange, year=2027)
    ocids = set()
    for plan in (falun_plan, other_year, other_town):
        ProcurementFactory(plan=plan, ref="2027-001")
        (release,) = export(plan)["releases"]
        ocids.add(release["ocid"])

    assert len(ocids) == 3


def test_a_new_version_is_a_new_release_of_the_same_process(falun_plan, procurement):
    (before,) = export(falun_plan)["releases"]
    procurement.title = "Arbetskläder och skor"
    procurement.version += 1  # as services.procurement_update does on every edit
    procurement.save()

    (after,) = export(falun_plan)["releases"]

    assert after["ocid"] == before["ocid"]
    assert after["id"] != before["id"]
    assert after["tender"]["title"] == "Arbetskläder och skor"


# The ocid (issue 17): the year once. (ref, plan year, ocid with the prefix ocds-upplan and falun)
OCIDS = [
    ("2027-001", 2027, "ocds-upplan-falun-2027-001"),  # the demo's refs
    ("2027/001", 2027, "ocds-upplan-falun-2027/001"),
    ("001-2027", 2027, "ocds-upplan-falun-001-2027"),  # the year anywhere, as a run of its own
    ("P2027", 2027, "ocds-upplan-falun-P2027"),
    ("2027", 2027, "ocds-upplan-falun-2027"),
    ("001", 2027, "ocds-upplan-falun-2027-001"),  # no year: it is added
    ("2026-014", 2027, "ocds-upplan-falun-2027-2026-014"),  # another year's ref (carried over)
    ("2027-001", 2028, "ocds-upplan-falun-2028-2027-001"),
    ("12027-1", 2027, "ocds-upplan-falun-2027-12027-1"),  # a longer run is not the year
    ("202-7001", 2027, "ocds-upplan-falun-2027-202-7001"),
    ("027-001", 2027, "ocds-upplan-falun-2027-027-001"),  # nor a shorter one
    ("20270", 2027, "ocds-upplan-falun-2027-20270"),
    ("X", 2027, "ocds-upplan-falun-2027-X"),
]


@pytest.mark.parametrize(("ref", "year", "expected"), OCIDS)
def test_the_ocid_names_the_year_once(falun, ref, year, expected):
    plan = Plan(municipality=falun, year=year)

    assert ocid(plan, Procurement(plan=plan, ref=ref)) == expected


# tender.status by the plan's phase and the outcome (issue 17).
STATUSES = [
    (Phase.DRAFT, None, "planning"),
    (Phase.DRAFT, Outcome.Status.AWARDED, "planning"),  # a draft's outcome changes nothing
    (Phase.REMISS, None, "planning"),
    (Phase.REMISS, Outcome.Status.ADVERTISED, "planning"),
    (Phase.AWAITING_DECISION, None, "planning"),
    (Phase.AWAITING_DECISION, Outcome.Status.CANCELLED, "planning"),
    (Phase.ADOPTED, None, "planned"),
    (Phase.ADOPTED, Outcome.Status.NOT_STARTED, "planned"),
    (Phase.ADOPTED, Outcome.Status.ADVERTISED, "active"),
    (Phase.ADOPTED, Outcome.Status.APPEALED, "active"),
    (Phase.ADOPTED, Outcome.Status.AWARDED, "complete"),
    (Phase.ADOPTED, Outcome.Status.CANCELLED, "cancelled"),
]


@pytest.mark.parametrize(("phase", "outcome", "status"), STATUSES)
def test_the_tender_status_follows_the_plan_and_the_outcome(phase, outcome, status):
    assert tender_status(phase, outcome) == status
    assert status in codes("tenderStatus")


def test_every_outcome_has_a_tender_status():
    assert set(TENDER_STATUSES) == {None, *Outcome.Status}
    assert set(TENDER_STATUSES.values()) <= codes("tenderStatus")


@pytest.mark.parametrize(
    ("outcome", "status"),
    [(None, "planned"), *((outcome, TENDER_STATUSES[outcome]) for outcome in Outcome.Status)],
)
def test_an_adopted_plans_release_carries_its_outcomes_status(adopted_plan, serv, outcome, status):
    procurement = ProcurementFactory(plan=adopted_plan, ref="2017-001", department=serv)
    if outcome is not None:
        Outcome.objects.create(procurement=procurement, status=outcome)

    package = export(adopted_plan)

    assert_valid(package)
    (release,) = package["releases"]
    assert release["tender"]["status"] == status
    assert release["ocid"] == "ocds-upplan-falun-2017-001"


def test_a_plan_on_remiss_is_still_in_planning_whatever_the_outcome(falun_plan, serv, in_remiss):
    procurement = ProcurementFactory(plan=falun_plan, department=serv)
    Outcome.objects.create(procurement=procurement, status=Outcome.Status.AWARDED)

    (release,) = export(falun_plan)["releases"]

    assert release["tender"]["status"] == "planning"


# --- parties -----------------------------------------------------------------------------------------


def test_the_parties_carry_their_organisation_numbers(falun_plan, procurement):
    falun = falun_plan.municipality
    falun.org_number, falun.centre.org_number = "212000-2262", "222000-1602"
    falun.save()
    falun.centre.save()

    package = export(falun_plan)

    assert_valid(package)
    (release,) = package["releases"]
    assert release["parties"] == [
        {
            "id": "SE-KOMMUN-falun",
            "name": "Falu kommun",
            "identifier": {"scheme": "SE-BLV", "id": "212000-2262", "legalName": "Falu kommun"},
            "roles": ["buyer"],
        },
        {
            "id": "SE-UHC-uhc",
            "name": "Upphandlingscenter Falun Borlänge",
            "identifier": {
                "scheme": "SE-BLV",
                "id": "222000-1602",
                "legalName": "Upphandlingscenter Falun Borlänge",
            },
            "roles": ["procuringEntity"],
        },
    ]
    # The municipality buys; its centre runs the procurement.
    assert release["buyer"] == {"id": "SE-KOMMUN-falun", "name": "Falu kommun"}
    assert release["tender"]["procuringEntity"] == {
        "id": "SE-UHC-uhc",
        "name": "Upphandlingscenter Falun Borlänge",
    }
    assert {role for party in release["parties"] for role in party["roles"]} <= codes("partyRole")


def test_a_filtered_export_keeps_its_query_in_the_uri(client_for, officer, falun_plan, serv):
    ProcurementFactory(plan=falun_plan, ref="2027-001", title="Arbetskläder", department=serv)
    ProcurementFactory(plan=falun_plan, ref="2027-002", title="Skolmat", department=serv)
    url = reverse("plans:export", args=["falun", 2027, "json"])

    filtered = json.loads(client_for(officer).get(url, {"q": "Arbetskläder", "lang": "sv"}).content)
    whole = json.loads(client_for(officer).get(url).content)

    address = f"{django_settings.SITE_URL}/plans/falun/2027/export.json"
    assert filtered["uri"] == f"{address}?q=Arbetskl%C3%A4der&lang=sv"
    assert [release["tender"]["id"] for release in filtered["releases"]] == ["2027-001"]
    assert_valid(filtered)
    assert whole["uri"] == address


# --- confidentiality -------------------------------------------------------------------------------


def test_a_confidential_procurement_hides_its_value_and_description(falun_plan, mixed):
    hidden = release_of(export(falun_plan, show_confidential=False), "2027-SEKRET")
    shown = release_of(export(falun_plan, show_confidential=True), "2027-SEKRET")

    assert "value" not in hidden["tender"]
    assert "budget" not in hidden["planning"]
    assert "description" not in hidden["tender"]
    assert "42000000" not in json.dumps(hidden)
    assert "Säkerhetsklassad" not in json.dumps(hidden)
    assert hidden["planning"]["rationale"]
    assert hidden["tender"]["title"] == "Larmcentral"

    assert shown["tender"]["value"] == {"amount": 42_000_000, "currency": "SEK"}
    assert shown["tender"]["description"] == "Säkerhetsklassad beskrivning."


def test_an_open_procurement_shows_its_value_to_everyone(falun_plan, mixed):
    release = release_of(export(falun_plan, show_confidential=False), "2027-001")

    assert release["tender"]["value"] == {"amount": 3_000_000, "currency": "SEK"}
    assert release["tender"]["description"] == "Beskrivning av behovet."


def test_an_empty_description_is_left_out(falun_plan, mixed):
    release = release_of(export(falun_plan, show_confidential=True), "2027-004")

    assert "description" not in release["tender"]


# --- the rationale ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("inputs", "quadrant", "label"),
    [
        (
            {"estimated_value_sek": 30_000_000, "possible_suppliers": 1, "business_critical": True},
            Quadrant.STRATEGIC,
            "Strategisk",
        ),
        ({"estimated_value_sek": 30_000_000, "possible_suppliers": 5}, Quadrant.LEVERAGE, "Hävstång"),
        (
            {"estimated_value_sek": 100_000, "possible_suppliers": 1, "business_critical": True},
            Quadrant.BOTTLENECK,
            "Flaskhals",
        ),
        ({"estimated_value_sek": 100_000, "possible_suppliers": 5}, Quadrant.ROUTINE, "Rutin"),
    ],
)
def test_the_rationale_tells_the_scores_in_swedish(falun_plan, serv, inputs, quadrant, label):
    procurement = ProcurementFactory(plan=falun_plan, department=serv, **inputs)
    assert procurement.kraljic == quadrant

    (release,) = export(falun_plan)["releases"]

    rationale = release["planning"]["rationale"]
    assert f"Kraljickvadrant: {label}." in rationale
    assert f"Ekonomisk vikt (E) {procurement.economic_score}," in rationale
    assert f"social vikt (S) {procurement.social_score}," in rationale
    assert f"miljövikt (M) {procurement.environmental_score}," in rationale
    assert f"leveransrisk (R) {procurement.supply_risk_score}." in rationale
    strategic = "ja" if procurement.strategic else "nej"
    assert f"Strategisk för granskning: {strategic}." in rationale
    assert f"Prioritet {procurement.priority:.1f}".replace(".", ",") in rationale


def test_the_rationale_says_whether_it_is_strategic_for_review(falun_plan, serv):
    ProcurementFactory(plan=falun_plan, ref="stor", department=serv, estimated_value_sek=150_000_000)
    ProcurementFactory(plan=falun_plan, ref="liten", department=serv, estimated_value_sek=100_000)

    package = export(falun_plan)

    assert "Strategisk för granskning: ja." in release_of(package, "stor")["planning"]["rationale"]
    assert "Strategisk för granskning: nej." in release_of(package, "liten")["planning"]["rationale"]


# --- the contract period ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2027, 2, 1), 1, date(2027, 3, 1)),
        (date(2027, 1, 31), 1, date(2027, 2, 28)),  # clamped to the month's end
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # leap year
        (date(2027, 3, 31), 1, date(2027, 4, 30)),
        (date(2027, 12, 31), 2, date(2028, 2, 29)),
        (date(2027, 11, 15), 2, date(2028, 1, 15)),  # across the new year
        (date(2027, 12, 1), 12, date(2028, 12, 1)),
        (date(2027, 6, 1), 120, date(2037, 6, 1)),
        (date(2027, 5, 31), 0, date(2027, 5, 31)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("months", "days"), [(1, 30), (2, 61), (12, 365), (24, 731), (48, 1461), (120, 3653)]
)
def test_duration_in_days_without_a_current_contract(months, days):
    assert duration_in_days(months) == days


@pytest.mark.parametrize(
    ("ends", "months", "period"),
    [
        (
            date(2027, 1, 31),
            1,
            {
                "startDate": "2027-02-01T00:00:00+01:00",
                "endDate": "2027-03-01T00:00:00+01:00",
                "durationInDays": 28,
            },
        ),
        (
            date(2027, 1, 30),
            1,
            {
                "startDate": "2027-01-31T00:00:00+01:00",
                "endDate": "2027-02-28T00:00:00+01:00",
                "durationInDays": 28,
            },
        ),
        (
            date(2027, 12, 31),
            2,
            {
                "startDate": "2028-01-01T00:00:00+01:00",
                "endDate": "2028-03-01T00:00:00+01:00",
                "durationInDays": 60,
            },
        ),
        (
            date(2027, 12, 30),
            2,
            {
                "startDate": "2027-12-31T00:00:00+01:00",
                "endDate": "2028-02-29T00:00:00+01:00",
                "durationInDays": 60,
            },
        ),
        (
            date(2028, 5, 14),
            48,
            {
                "startDate": "2028-05-15T00:00:00+02:00",
                "endDate": "2032-05-15T00:00:00+02:00",
                "durationInDays": 1461,
            },
        ),
        (
            date(2027, 3, 27),
            1,  # the period starts on the day clocks go forward
            {
                "startDate": "2027-03-28T00:00:00+01:00",
                "endDate": "2027-04-28T00:00:00+02:00",
                "durationInDays": 31,
            },
        ),
    ],
)
def test_the_contract_period_follows_the_current_contract(falun_plan, serv, ends, months, period):
    ProcurementFactory(plan=falun_plan, department=serv, current_contract_ends=ends, duration_months=months)

    (release,) = export(falun_plan)["releases"]

    assert release["tender"]["contractPeriod"] == period


def test_without_a_current_contract_only_the_length_is_known(falun_plan, serv):
    ProcurementFactory(plan=falun_plan, department=serv, current_contract_ends=None, duration_months=36)

    (release,) = export(falun_plan)["releases"]

    assert release["tender"]["contractPeriod"] == {"durationInDays": 1096}


# --- purity ----------------------------------------------------------------------------------------


def test_two_queries_for_the_whole_package(falun_plan, mixed, django_assert_num_queries):
    plan = Plan.objects.select_related("municipality__centre").get(pk=falun_plan.pk)
    Outcome.objects.create(procurement=mixed[0], status=Outcome.Status.ADVERTISED)
    procurements = with_release_data(Procurement.objects.filter(plan=plan))

    # The procurements with their outcomes (none for most: no query each), and the orders they came
    # from (for the rationale); no coordinated procurement, so no query for one.
    with django_assert_num_queries(2):
        package = release_package(
            plan=plan, procurements=procurements, disclosure=PUBLIC, uri=URI, published=PUBLISHED
        )

    assert len(package["releases"]) == len(mixed)


def test_the_export_writes_nothing(falun_plan, mixed):
    before = list(Procurement.objects.order_by("pk").values())

    export(falun_plan, show_confidential=True)

    assert list(Procurement.objects.order_by("pk").values()) == before


# --- the vendored schema ---------------------------------------------------------------------------


def vendored_files(folder):
    return sorted(
        [*VENDORED, *(f"codelists/{path.name}" for path in (folder / "codelists").glob("*.csv"))],
    )


def test_the_schema_is_vendored_in_full():
    for name in vendored_files(OCDS):
        assert (OCDS / name).is_file(), name
    assert load_json("release-package-schema.json")["$schema"] == "http://json-schema.org/draft-04/schema#"
    assert codes("method") == {"open", "selective", "limited", "direct"}


@pytest.mark.skipif(not SHARED_OCDS.is_dir(), reason="no ../shared/ocds next to this checkout")
def test_the_vendored_schema_is_an_unmodified_copy_of_the_shared_one():
    assert vendored_files(OCDS) == vendored_files(SHARED_OCDS)
    for name in vendored_files(SHARED_OCDS):
        assert (OCDS / name).read_bytes() == (SHARED_OCDS / name).read_bytes(), name
