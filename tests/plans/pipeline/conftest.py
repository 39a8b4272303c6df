"""The coming procurements are read on a fixed day: 29 November 2026, inside the default remiss window of
the 2027 plans (1 August – 30 November 2026)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.factories import PlanFactory, ProcurementFactory

TODAY = date(2026, 11, 29)
NOW = datetime(2026, 11, 29, 10, 0, tzinfo=ZoneInfo("Europe/Stockholm"))


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(NOW, tick=False):
        yield TODAY


@pytest.fixture
def public_plan(falun):
    """Falun's 2027 plan, adopted."""
    return PlanFactory(
        municipality=falun, year=2027, adopted_on=date(2026, 11, 20), adoption_minute_ref="UN § 9"
    )


@pytest.fixture
def coming_one(public_plan, serv):
    return ProcurementFactory(
        plan=public_plan,
        ref="2027-001",
        title="Skolmåltider och livsmedel",
        description="Livsmedel till kommunens skolor, delat i lotter.",
        department=serv,
        cpv="15000000",
        estimated_value_sek=12_000_000,
        planned_advertisement=date(2027, 2, 1),
        lots=True,
    )
