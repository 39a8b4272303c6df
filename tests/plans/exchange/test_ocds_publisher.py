"""
The demo's OCDS packages as a publisher puts them out (issue 17), checked with the Open Contracting
Partnership's own tools, offline against the vendored schema (tests/data/ocds/):

- libcoveocds, the library behind the Data Review Tool, finds no validation error and no additional-check
  finding (nor an unknown field, a deprecated one, a code outside a closed codelist or a malformed ocid
  prefix) in each plan's export, adopted and on remiss, as the public and as the centre reads it, nor in
  the package of every public procurement (the pipeline's);
- ocdskit compiles all their releases into records, one per contracting process, and the compiled
  releases pass libcoveocds too.

No network: libcoveocds reads the standard from a ZIP built here from tests/data/ocds/ (its
`standard_zip` setting), ocdskit merges with the vendored release schema, and every connection other than
to this machine is refused while the tests run, so a library that tried to fetch would fail the test.
"""

import io
import json
import socket
import zipfile
from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import transaction
from libcoveocds.api import ocds_json_output
from libcoveocds.config import LibCoveOCDSConfig
from ocdskit.combine import merge, package_releases

from accounts.models import User
from plans.exchange.exports import export_plan_file
from plans.exchange.ocds import ocid, pipeline_package, with_release_data
from plans.models import Plan, Procurement
from plans.register.disclosure import CENTRE, PUBLIC
from plans.remiss.phases import Phase
from tests.plans.exchange.test_ocds import OCDS, empty_values, load_json

NOW = datetime(2026, 11, 29, 9, 0, tzinfo=ZoneInfo("Europe/Stockholm"))
# libcoveocds reads this file of the standard whatever it validates; it is only used for record
# packages, which are not validated here, and is not vendored: an empty draft-04 schema stands in.
VERSIONED_RELEASE_STANDIN = {"$schema": "http://json-schema.org/draft-04/schema#"}


# --- the tools, offline ----------------------------------------------------------------------------


@cache
def standard_zip() -> bytes:
    """tests/data/ocds/ laid out as the standard's repository ZIP that libcoveocds would download."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("standard/", "")
        for path in sorted(OCDS.rglob("*")):
            if path.is_file():
                archive.write(path, f"standard/schema/{path.relative_to(OCDS).as_posix()}")
        archive.writestr(
            "standard/schema/versioned-release-validation-schema.json", json.dumps(VERSIONED_RELEASE_STANDIN)
        )
    return buffer.getvalue()


def review(package: dict) -> dict:
    """What libcoveocds says of `package` (as published: JSON text), in its API form."""
    config = LibCoveOCDSConfig({"standard_zip": standard_zip(), "context": "api"})
    return ocds_json_output(json_data=json.loads(json.dumps(package)), lib_cove_ocds_config=config)


def findings(result: dict) -> dict:
    """Every kind of finding libcoveocds reports, with what it found; {} for a clean package."""
    found = {
        "validation errors": result["validation_errors"],
        "additional checks": result.get("additional_checks", {}),
        "unknown fields": result["all_additional_fields"],
        "deprecated fields": result["deprecated_fields"],
        "codes outside closed codelists": result["additional_closed_codelist_values"],
        "codes outside open codelists": result["additional_open_codelist_values"],
        "malformed ocid prefixes": result.get("conformance_errors", {}),
        "unresolved references": result.get("json_deref_error"),
    }
    return {kind: what for kind, what in found.items() if what}


def assert_clean(package: dict):
    result = review(package)
    assert findings(result) == {}
    # libcoveocds read the releases (and the codelists: see test_the_checks_can_find_something).
    assert result["count"] == result["unique_ocids_count"] == len(package["releases"]) > 0


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    """Connections to this machine only (the test database); any other fails the test."""
    connect = socket.socket.connect

    def local_only(sock, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and not host.startswith(("127.", "::1", "localhost", "/")):
            raise AssertionError(f"the OCDS checks tried to reach {address}")
        return connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", local_only)


# --- the demo, loaded once for the module ----------------------------------------------------------


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once and rolled back after the module's tests (each runs inside it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", verbosity=0)
        yield
        transaction.set_rollback(True)


def demo_plan(slug: str, phase: Phase) -> Plan:
    plans = Plan.objects.select_related("municipality__centre").filter(municipality__slug=slug)
    return next(plan for plan in plans.order_by("-year") if plan.phase == phase)


def plan_export(plan, reader: str) -> dict:
    """The plan's export.json as the public (politicians, anyone for an adopted plan) or the centre's
    officer downloads it, filtered by nothing."""
    centre = reader == "centre"
    content, _type, _extension = export_plan_file(
        plan=plan,
        procurements=plan.procurements.all(),
        fmt="ocds",
        language="sv",
        disclosure=CENTRE if centre else PUBLIC,
        now=NOW,
        reader=User.objects.get(username="upphandlare").access if centre else None,
    )
    return json.loads(content)


def public_procurements():
    """Every procurement of the plans the public sees."""
    public = Plan.objects.visible_to(AnonymousUser())
    return Procurement.objects.filter(plan__in=public).order_by(
        "plan__municipality__slug", "plan__year", "ref"
    )


def public_pipeline() -> dict:
    return pipeline_package(
        procurements=with_release_data(public_procurements()),
        uri=f"{settings.SITE_URL}/kommande/export.json",
        published=NOW,
    )


PLANS = [
    ("falun", Phase.ADOPTED),  # 2016, with its outcomes
    ("falun", Phase.AWAITING_DECISION),  # 2017, its 99 orders
    ("falun", Phase.REMISS),  # the coming year's, with orders and a coordinated procurement
    ("borlange", Phase.REMISS),
]


@pytest.mark.parametrize("reader", ["public", "centre"])
@pytest.mark.parametrize(("slug", "phase"), PLANS, ids=[f"{slug}-{phase}" for slug, phase in PLANS])
def test_libcoveocds_finds_nothing_in_a_demo_plans_export(demo, db, slug, phase, reader):
    package = plan_export(demo_plan(slug, phase), reader)

    assert_clean(package)
    assert empty_values(package) == []
    statuses = {release["tender"]["status"] for release in package["releases"]}
    if phase == Phase.ADOPTED:  # 2016's outcomes: advertised, awarded, cancelled
        assert statuses == {"active", "complete", "cancelled"}
    else:
        assert statuses == {"planning"}


def test_the_demos_parties_are_identified_by_their_organisation_numbers(demo, db):
    package = plan_export(demo_plan("borlange", Phase.REMISS), "public")

    assert package["publisher"] == {
        "name": "Upphandlingscenter Falun Borlänge",
        "scheme": "SE-BLV",
        "uid": "222000-1602",
    }
    identifiers = {
        party["id"]: party["identifier"]["id"]
        for release in package["releases"]
        for party in release["parties"]
    }
    assert identifiers == {"SE-KOMMUN-borlange": "212000-2270", "SE-UHC-uhc": "222000-1602"}


def test_libcoveocds_finds_nothing_in_the_package_of_every_public_procurement(demo, db):
    package = public_pipeline()

    assert_clean(package)
    assert empty_values(package) == []
    # Falun's adopted plans of 2014–2016 at least, every process once (assert_clean).
    public = public_procurements()
    assert len(package["releases"]) == public.count() > 200
    assert {release["buyer"]["id"] for release in package["releases"]} == {
        f"SE-KOMMUN-{slug}" for slug in public.values_list("plan__municipality__slug", flat=True)
    }
    # Its confidential procurements (OSL 19:3) are there without their value and description.
    secret = {ocid(p.plan, p) for p in public.filter(confidential=True).select_related("plan__municipality")}
    hidden = [release["tender"] for release in package["releases"] if release["ocid"] in secret]
    assert len(hidden) == len(secret) > 0
    assert [tender for tender in hidden if "value" in tender or "description" in tender] == []


def test_ocdskit_compiles_the_demos_releases_into_records(demo, db):
    packages = [plan_export(demo_plan(slug, phase), "public") for slug, phase in PLANS]
    packages.append(public_pipeline())
    releases = [release for package in packages for release in package["releases"]]

    (records,) = merge(
        packages,
        uri=f"{settings.SITE_URL}/records.json",
        published_date=packages[0]["publishedDate"],
        schema=load_json("release-schema.json"),
        return_package=True,
    )

    # A process in an adopted plan is in the plan's export and in the pipeline: one record each.
    ocids = {release["ocid"] for release in releases}
    assert len(records["records"]) == len(ocids) < len(releases)
    compiled = [record["compiledRelease"] for record in records["records"]]
    assert {release["ocid"] for release in compiled} == ocids
    # What the releases say is what the records say: the tender's status and value, the parties.
    latest = {release["ocid"]: release for release in releases}
    for release in compiled:
        assert release["tender"]["status"] == latest[release["ocid"]]["tender"]["status"]
        assert release["tender"].get("value") == latest[release["ocid"]]["tender"].get("value")
        assert [party["roles"] for party in release["parties"]] == [["buyer"], ["procuringEntity"]]
    # The compiled releases are OCDS as well.
    assert_clean(package_releases(compiled, uri=records["uri"], published_date=records["publishedDate"]))


# --- the checks can fail ---------------------------------------------------------------------------


def good_package() -> dict:
    return {
        "uri": "https://upphandlingsplan.example.se/plans/falun/2027/export.json",
        "version": "1.1",
        "publishedDate": "2026-11-29T09:00:00+01:00",
        "publisher": {"name": "Upphandlingscenter Falun Borlänge"},
        "releases": [
            {
                "ocid": "ocds-upplan-falun-2027-001",
                "id": "ocds-upplan-falun-2027-001-planning-1",
                "date": "2026-11-29T09:00:00+01:00",
                "tag": ["planning"],
                "initiationType": "tender",
                "parties": [{"id": "SE-KOMMUN-falun", "name": "Falu kommun", "roles": ["buyer"]}],
                "tender": {"id": "2027-001", "status": "planning"},
            }
        ],
    }


def broken(change) -> dict:
    package = good_package()
    change(package["releases"][0])
    return package


@pytest.mark.parametrize(
    ("change", "kind"),
    [
        (lambda release: release["tender"].update(status="kommande"), "codes outside closed codelists"),
        (lambda release: release.update(date="2026-11-29"), "validation errors"),
        (
            lambda release: release["tender"].update(value={"amount": "1 000", "currency": "SEK"}),
            "validation errors",
        ),
        (lambda release: release["tender"].update(description=" "), "additional checks"),
        (lambda release: release["tender"].update(budget=1), "unknown fields"),
        (
            lambda release: release["parties"][0].update(roles=["kommunstyrelse"]),
            "codes outside open codelists",
        ),
        (lambda release: release.update(ocid="upplan-falun-2027-001"), "malformed ocid prefixes"),
    ],
)
def test_the_checks_can_find_something(change, kind):
    assert findings(review(good_package())) == {}

    assert kind in findings(review(broken(change)))


def test_nothing_is_fetched():
    with socket.socket() as sock, pytest.raises(AssertionError, match="tried to reach"):
        sock.connect(("192.0.2.1", 80))
