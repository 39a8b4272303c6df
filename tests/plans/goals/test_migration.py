"""Migration 0009: the follow-up's custom targets become the municipality's goals (one list, not two)."""

from datetime import date
from decimal import Decimal
from importlib import import_module

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from plans.models import Goal, Target
from tests.factories import PlanFactory

migration = import_module("plans.migrations.0009_custom_targets_to_goals")


def test_a_custom_target_becomes_a_goal_of_its_plan_s_municipality(falun, borlange, falun_plan, adopted_plan):
    Target.objects.create(
        plan=adopted_plan, key="", label="Ekologiska livsmedel", value=40, unit="%", actual=31
    )
    Target.objects.create(
        plan=falun_plan, key="", label="ekologiska  livsmedel", value=50, unit="%"
    )  # the same
    Target.objects.create(plan=falun_plan, key="", label="", value=25, unit="bilar")
    Target.objects.create(plan=falun_plan, key="average_bids", value=Decimal("4.5"))
    Goal.objects.create(municipality=borlange, title="Ekologiska livsmedel")
    borlange_plan = PlanFactory(municipality=borlange, year=2027)
    Target.objects.create(plan=borlange_plan, key="", label="Ekologiska livsmedel", value=30, unit="%")

    migration.custom_targets_to_goals(apps, None)

    falun_goals = {
        g.title: (g.target_value, g.unit, g.reached, g.reached_year)
        for g in Goal.objects.filter(municipality=falun)
    }
    assert falun_goals == {
        # The newest plan's target wins; the figure reached is the newest one recorded (2017's).
        "ekologiska livsmedel": (Decimal("50"), "%", Decimal("31"), 2017),
        "Mål": (Decimal("25"), "bilar", None, None),
    }
    # Borlänge's goal of that title was there already: it stays as it was.
    assert Goal.objects.get(municipality=borlange).target_value is None
    # The custom targets are gone; the key figures' targets stay.
    assert list(Target.objects.values_list("key", flat=True)) == ["average_bids"]


def test_running_it_with_no_custom_targets_changes_nothing(falun_plan):
    Target.objects.create(plan=falun_plan, key="appeal_rate", value=5, unit="%")
    migration.custom_targets_to_goals(apps, None)
    assert not Goal.objects.exists() and Target.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_a_custom_target_into_a_goal_and_can_be_unapplied():
    """Through Django's migration executor, from 0008 to 0009 and back, on the historical models."""
    before, after = [("plans", "0008_goals_and_experts")], [("plans", "0009_custom_targets_to_goals")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    # The accounts app stays migrated to its newest state: its rows are written with today's models.
    from accounts.models import Municipality, ProcurementCentre

    centre = ProcurementCentre.objects.create(slug="uhc", name="UhC")
    falun = Municipality.objects.create(slug="falun", name="Falun", centre=centre)
    plan = old.get_model("plans", "Plan").objects.create(
        municipality_id=falun.pk, year=2017, remiss_starts=date(2016, 8, 1), remiss_ends=date(2016, 11, 30)
    )
    Target = old.get_model("plans", "Target")
    Target.objects.create(plan=plan, key="", label="Ekologiska livsmedel", value=40, unit="%", actual=31)
    Target.objects.create(plan=plan, key="sme_share", value=70, unit="%")

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new = executor.loader.project_state(after).apps
    goal = new.get_model("plans", "Goal").objects.get()
    assert (goal.municipality_id, goal.title, goal.target_value, goal.reached, goal.reached_year) == (
        falun.pk, "Ekologiska livsmedel", Decimal("40"), Decimal("31"), 2017
    )  # fmt: skip
    assert list(new.get_model("plans", "Target").objects.values_list("key", flat=True)) == ["sme_share"]

    executor = MigrationExecutor(connection)
    executor.migrate(before)  # backwards: the goal stays, nothing breaks
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
