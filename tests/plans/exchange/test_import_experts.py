"""The department's expert (Sakkunnig, Sakkunnigs e-post) travels with the plan's spreadsheet (issue 14):
optional on import, exported after the officer, and an export imports back unchanged."""

import pytest

from plans.exchange.exports import export_plan_file
from plans.models import HistoryEntry, Procurement
from plans.register.disclosure import CENTRE
from tests.plans.exchange.test_imports import GOOD, SV_HEADER, csv_bytes, run

HEADER = [*SV_HEADER, "Sakkunnig", "Sakkunnigs e-post"]


def rows(*experts):
    """One good row per (name, e-mail), with refs 2027-001, 2027-002 …"""
    return [[f"2027-{n:03d}", *GOOD[1:], *expert] for n, expert in enumerate(experts, 1)]


@pytest.fixture
def plan(falun_plan, serv, omv):
    return falun_plan


def test_the_expert_columns_are_imported(plan):
    result = run(plan, csv_bytes(rows(("Karin Kock", "karin.kock@falun.se"), ("", "")), header=HEADER))
    assert result.ok and result.applied, result.errors
    first, second = Procurement.objects.filter(plan=plan).order_by("ref")
    assert (first.expert_name, first.expert_email) == ("Karin Kock", "karin.kock@falun.se")
    assert (second.expert_name, second.expert_email) == ("", "")


@pytest.mark.parametrize(
    ("name", "email", "message"),
    [
        ("Karin", "karin", "rad 2: Sakkunnigs e-post: "),
        ("Karin", "karin@", "rad 2: Sakkunnigs e-post: "),
        ("Karin", "a" * 250 + "@falun.se", "rad 2: Sakkunnigs e-post "),
        ("K" * 201, "", "rad 2: Sakkunnig "),
    ],
)
def test_a_bad_expert_names_its_row_and_imports_nothing(plan, name, email, message):
    result = run(plan, csv_bytes(rows((name, email), ("Per", "per@falun.se")), header=HEADER))
    assert not result.ok and not result.applied
    assert [str(error) for error in result.errors if str(error).startswith(message)], result.errors
    assert not Procurement.objects.filter(plan=plan).exists()


def test_a_file_without_the_expert_columns_leaves_the_experts_alone(plan):
    run(plan, csv_bytes(rows(("Karin Kock", "karin.kock@falun.se")), header=HEADER))
    changed = ["2027-001", *GOOD[1:]]
    changed[SV_HEADER.index("Benämning")] = "Personbilar och skåpbilar"
    result = run(plan, csv_bytes([changed]))
    assert result.ok and result.updated == ["2027-001"]
    procurement = Procurement.objects.get(plan=plan)
    assert procurement.expert_email == "karin.kock@falun.se"


def test_a_changed_expert_is_recorded_in_the_history(plan):
    run(plan, csv_bytes(rows(("Karin Kock", "karin.kock@falun.se")), header=HEADER))
    result = run(plan, csv_bytes(rows(("Per Persson", "per@falun.se")), header=HEADER))
    assert result.updated == ["2027-001"]
    entry = HistoryEntry.objects.filter(action="changed").get()
    assert entry.changes["expert_name"] == ["Karin Kock", "Per Persson"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_with_experts_imports_back_unchanged(plan, fmt):
    run(plan, csv_bytes(rows(("Karin Kock", "karin.kock@falun.se"), ("", "")), header=HEADER))
    content, _type, extension = export_plan_file(
        plan=plan,
        procurements=plan.procurements.all(),
        fmt=fmt,
        language="sv",
        disclosure=CENTRE,
        now=None,
    )
    result = run(plan, content, filename=f"plan.{extension}")
    assert result.ok, result.errors
    assert sorted(result.unchanged) == ["2027-001", "2027-002"]
