from datetime import date

import pytest
import time_machine
from django.core.management import call_command

from accounts.models import Membership, Role, User
from plans.demo import coming_year_window
from plans.models import Plan, Procurement
from plans.phases import Phase


def snapshot():
    """Every demo row, with its timestamps, so that a second run can be seen to change nothing."""
    return (
        list(Plan.objects.order_by("pk").values()),
        list(Procurement.objects.order_by("pk").values()),
        list(User.objects.order_by("pk").values("pk", "username", "password", "email")),
        list(Membership.objects.order_by("pk").values()),
    )


@pytest.mark.django_db
def test_the_demo_loads_falun_2017_with_its_99_orders_and_is_idempotent():
    with time_machine.travel(date(2026, 11, 26)):
        call_command("load_demo", verbosity=0)
        first = snapshot()
        call_command("load_demo", verbosity=0)
        assert snapshot() == first

    falun_2017 = Plan.objects.get(municipality__slug="falun", year=2017)
    assert falun_2017.procurements.count() == 99
    assert falun_2017.phase == Phase.AWAITING_DECISION  # open to the officers' corrections
    cars = falun_2017.procurements.get(title__icontains="personbilar")
    assert cars.current_contract_ends == date(2018, 5, 14)
    assert falun_2017.procurements.filter(title__icontains="samdistribution").exists()


@pytest.mark.django_db
def test_there_is_one_demo_user_per_role():
    call_command("load_demo", verbosity=0)
    roles = {m.user.username: m.role for m in Membership.objects.select_related("user")}
    assert roles["upphandlare"] == Role.OFFICER
    assert roles["planadmin"] == Role.PLAN_ADMIN
    assert roles["politiker"] == Role.POLITICIAN
    assert roles["lugi"] == Role.DEPARTMENT_REP
    assert roles["politiker-borlange"] == Role.POLITICIAN
    assert User.objects.get(username="upphandlare").check_password("demo")


@pytest.mark.parametrize(
    "today", [date(2026, 3, 1), date(2026, 8, 1), date(2026, 11, 26), date(2026, 12, 20)]
)
def test_the_coming_years_plan_is_on_remiss_the_day_the_demo_is_loaded(today, db):
    with time_machine.travel(today):
        call_command("load_demo", verbosity=0)
        coming = Plan.objects.get(municipality__slug="falun", year=today.year + 1)
        assert coming.phase == Phase.REMISS
        assert Plan.objects.get(municipality__slug="borlange", year=today.year + 1).phase == Phase.REMISS
        assert coming.procurements.count() >= 25


@pytest.mark.parametrize(
    ("today", "window"),
    [
        (date(2026, 9, 1), (date(2026, 8, 1), date(2026, 11, 30))),  # inside the default window
        (date(2026, 12, 20), (date(2026, 11, 5), date(2027, 3, 5))),  # outside it: a window around today
    ],
)
def test_coming_year_window(today, window):
    assert coming_year_window(today) == window


@pytest.mark.django_db
def test_reset_rebuilds_the_demo_plans():
    call_command("load_demo", verbosity=0)
    Procurement.objects.filter(plan__year=2017).first().delete()
    call_command("load_demo", verbosity=0)
    assert Procurement.objects.filter(plan__year=2017).count() == 98
    call_command("load_demo", "--reset", verbosity=0)
    assert Procurement.objects.filter(plan__year=2017).count() == 99
