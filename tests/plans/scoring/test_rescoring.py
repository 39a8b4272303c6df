"""Rescoring in the database agrees with the rubric (plans/scoring/rules.py), in a constant number of
queries."""

from datetime import date

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plans.models import CoordinationGroup, Procurement, Rubric
from plans.scoring.rules import Inputs, assess
from plans.scoring.services import plan_rescore
from tests.factories import ProcurementFactory

row = st.fixed_dictionaries(
    {
        "estimated_value_sek": st.one_of(
            st.sampled_from(
                [0, 699_999, 700_000, 2_389_584, 2_389_585, 5_000_000, 19_999_999, 20_000_000, 10**8]
            ),
            st.integers(min_value=0, max_value=10**10),
        ),
        "possible_suppliers": st.one_of(st.none(), st.integers(min_value=1, max_value=6)),
        "business_critical": st.booleans(),
        "high_switching_cost": st.booleans(),
        "employment_requirement": st.booleans(),
        "reserved_contract": st.booleans(),
        "labour_conditions": st.booleans(),
        "lots": st.booleans(),
        "climate_impact": st.sampled_from(["low", "medium", "high"]),
        "environmental_level": st.sampled_from(["none", "bas", "avancerad", "spjutspets"]),
        "flagged_strategic": st.booleans(),
        # Issue 16: a member of a coordinated procurement, scored on the group's combined value.
        "coordinated": st.one_of(
            st.none(),
            st.tuples(st.sampled_from([699_999, 2_389_585, 4_999_999, 5_000_000, 10**8]), st.integers(1, 9)),
        ),
    }
)
rubric_changes = st.fixed_dictionaries(
    {
        "employment_points": st.integers(0, 5),
        "climate_high_points": st.integers(0, 5),
        "single_supplier_points": st.integers(0, 5),
        "significant_social": st.integers(1, 5),
        "weight_economic": st.sampled_from(["0.40", "0.25", "0.70", "1.00"]),
        "coordinated_value": st.booleans(),
    }
)


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(row, min_size=1, max_size=12), changes=rubric_changes)
def test_rescoring_in_the_database_agrees_with_the_rubric(rows, changes, falun_plan, serv):
    from decimal import Decimal

    rubric = Rubric.objects.get(plan=falun_plan)
    for name, value in changes.items():
        setattr(rubric, name, Decimal(value) if name.startswith("weight") else value)
    rubric.weight_social = (Decimal("1.00") - rubric.weight_economic) / 3
    rubric.weight_social = rubric.weight_social.quantize(Decimal("0.01"))
    rubric.weight_environmental = rubric.weight_social
    rubric.weight_risk = Decimal("1.00") - rubric.weight_economic - 2 * rubric.weight_social
    rubric.save()
    Procurement.objects.filter(plan=falun_plan).delete()
    group = CoordinationGroup.objects.create(centre=falun_plan.municipality.centre, year=2027, title="x")

    def coordinated(values):
        combined = values.pop("coordinated")
        if combined is None:
            return {}
        return {"coordination": group, "coordinated_value_sek": combined[0], "coordinated_with": combined[1]}

    Procurement.objects.bulk_create(
        [
            Procurement(
                plan=falun_plan,
                ref=f"R-{n}",
                title="x",
                department=serv,
                category="goods",
                cpv="34110000",
                duration_months=12,
                planned_advertisement=date(2027, 2, 1),
                procedure="open",
                **coordinated(values),
                **values,
            )
            for n, values in enumerate(dict(row) for row in rows)
        ]
    )
    plan_rescore(plan=falun_plan)
    values = rubric.values()
    for procurement in Procurement.objects.filter(plan=falun_plan):
        expected = assess(Inputs.of(procurement), values).stored_values()
        stored = {name: getattr(procurement, name) for name in expected}
        assert stored == expected, procurement.ref


@pytest.mark.django_db
def test_rescoring_a_plan_runs_a_constant_number_of_queries(
    falun_plan, serv, django_assert_num_queries, django_assert_max_num_queries
):
    def make(count, start):
        Procurement.objects.bulk_create(
            [
                Procurement(
                    plan=falun_plan,
                    ref=f"B-{start + n}",
                    title="x",
                    department=serv,
                    category="services",
                    cpv="98310000",
                    estimated_value_sek=(start + n) * 50_000,
                    duration_months=24,
                    planned_advertisement=date(2027, 5, 1),
                    procedure="open",
                    possible_suppliers=(n % 5) + 1,
                )
                for n in range(count)
            ]
        )

    make(100, 0)
    # The rubric, two UPDATE statements, and the transaction's savepoint and release.
    with django_assert_max_num_queries(5) as hundred:
        assert plan_rescore(plan=falun_plan) == 100
    make(900, 100)
    with django_assert_num_queries(len(hundred.captured_queries)):
        assert plan_rescore(plan=falun_plan) == 1000
    assert Procurement.objects.filter(plan=falun_plan, economic_score=4, supply_risk_score=2).exists()


def test_saving_a_procurement_scores_it(procurement):
    procurement.estimated_value_sek = 25_000_000
    procurement.possible_suppliers = 1
    procurement.business_critical = True
    procurement.save()
    procurement.refresh_from_db()
    assert (procurement.economic_score, procurement.supply_risk_score) == (4, 4)
    assert procurement.kraljic == "strategic"
    assert procurement.strategic


def test_the_rescore_command_rescores_one_plan_or_all(falun_plan, adopted_plan, serv, capsys):
    stale = ProcurementFactory(plan=falun_plan, department=serv, estimated_value_sek=150_000_000)
    Procurement.objects.filter(pk=stale.pk).update(economic_score=0, priority=0)
    call_command("rescore", "--municipality", "falun", "--year", "2027")
    stale.refresh_from_db()
    assert stale.economic_score == 5
    assert "Rescored" in capsys.readouterr().out
    call_command("rescore")
    assert "Skipped" in capsys.readouterr().out  # the adopted 2017 plan keeps its scores


@pytest.mark.parametrize(
    "args",
    [["--municipality", "falun"], ["--year", "2027"], ["--municipality", "nowhere", "--year", "2027"]],
)
def test_the_rescore_command_refuses_half_or_unknown_arguments(args, falun_plan):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("rescore", *args)
