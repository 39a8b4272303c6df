"""Migration 0013: stored CPV codes become the eight digits they stand for (issue 17)."""

from importlib import import_module

from django.apps import apps

from plans.models import Order, Procurement
from tests.factories import ProcurementFactory

migration = import_module("plans.migrations.0013_cpv_as_eight_digits")


def test_a_stored_check_digit_and_spaces_go(falun_plan, serv):
    kept = {"34110000": "34110000", "34110000-1": "34110000", "15800000-6": "15800000"}
    for index, written in enumerate(kept):
        ProcurementFactory(plan=falun_plan, department=serv, ref=f"C-{index}", cpv="34110000")
        Procurement.objects.filter(ref=f"C-{index}").update(cpv=written)  # as an earlier version kept it
    Order.objects.create(
        plan=falun_plan, department=serv, title="Bilar", need="Bilar.", cpv="34110000-1",
        category="goods", duration_months=48, status="submitted", estimated_value_sek=1_000_000,
    )  # fmt: skip

    migration.eight_digits(apps, None)

    assert sorted(Procurement.objects.values_list("cpv", flat=True)) == sorted(kept.values())
    assert Order.objects.get().cpv == "34110000"


def test_an_order_without_a_code_keeps_none(falun_plan, serv):
    Order.objects.create(
        plan=falun_plan, department=serv, title="Något", need="Något.", cpv="",
        category="goods", duration_months=12, status="submitted", estimated_value_sek=1_000_000,
    )  # fmt: skip
    migration.eight_digits(apps, None)
    assert Order.objects.get().cpv == ""
