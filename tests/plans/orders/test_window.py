"""The order window on the plan's manage page and the plan page's "Beställning" badge (issue 14)."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from plans.models import HistoryEntry
from plans.remiss.forms import WindowForm

REMISS = {"remiss_starts": "2026-08-01", "remiss_ends": "2026-11-30", "version": "1"}


@pytest.mark.parametrize(
    ("orders", "field", "message"),
    [
        ({}, None, None),  # neither: the default window
        ({"order_starts": "2026-02-01", "order_ends": "2026-05-31"}, None, None),
        ({"order_starts": "2026-02-01", "order_ends": "2026-07-31"}, None, None),  # the day before the remiss
        ({"order_starts": "2026-02-01"}, "order_ends", "Ange båda dagarna"),
        ({"order_ends": "2026-05-31"}, "order_starts", "Ange båda dagarna"),
        ({"order_starts": "2026-05-31", "order_ends": "2026-02-01"}, "order_ends", "kan inte stänga innan"),
        ({"order_starts": "2026-02-01", "order_ends": "2026-08-01"}, "order_ends", "innan remissen öppnar"),
        ({"order_starts": "2026-02-01", "order_ends": "inte ett datum"}, "order_ends", "är inte ett datum"),
        # The default window (to 31 May) must close before a remiss moved earlier, too.
        ({"remiss_starts": "2026-04-01"}, "remiss_starts", "innan remissen öppnar"),
    ],
)
def test_the_order_window_comes_whole_and_before_the_remiss(orders, field, message):
    form = WindowForm(REMISS | orders, plan_year=2027)
    if field is None:
        assert form.is_valid(), form.errors
    else:
        assert not form.is_valid()
        assert message in " ".join(form.errors[field])
        assert len(form.errors[field]) == 1


def manage_url(plan):
    return reverse("plans:manage", args=[plan.municipality.slug, plan.year])


def test_a_plan_administrator_sets_the_order_window_and_it_is_in_the_history(
    client_for, plan_admin, falun_plan
):
    data = {"action": "window", **REMISS, "order_starts": "2026-01-15", "order_ends": "2026-04-30"}
    response = client_for(plan_admin).post(manage_url(falun_plan), data)
    assert response.status_code == 302
    falun_plan.refresh_from_db()
    assert (falun_plan.order_starts, falun_plan.order_ends) == (date(2026, 1, 15), date(2026, 4, 30))
    entry = HistoryEntry.objects.get(plan=falun_plan, action=HistoryEntry.Action.WINDOW)
    assert entry.changes["order_ends"] == ["", "2026-04-30"]


@pytest.mark.parametrize(
    ("today", "shown"),
    [
        (date(2026, 1, 31), None),
        (date(2026, 2, 1), "119 dagar kvar att beställa"),
        (date(2026, 5, 31), "sista dagen att beställa"),
        (date(2026, 6, 1), None),
    ],
)
def test_the_plan_page_says_ordering_and_the_days_left_while_the_window_is_open(
    client_for, politician, falun_plan, today, shown
):
    with time_machine.travel(today, tick=False):
        body = client_for(politician).get(falun_plan.get_absolute_url()).content.decode()
    assert ("Beställning</span>" in body) is (shown is not None)
    if shown:
        assert shown in body
