"""A supplier's alert end to end with a real Celery worker on Redis: subscribe, confirm, a newly adopted
procurement matches, one mail, unsubscribe."""

import re
import time
from datetime import date

import pytest
from django.core import mail
from django.utils import timezone

from plans.models import Subscription
from plans.pipeline import alerts, tasks
from plans.remiss.review import plan_record_adoption
from tests.factories import PlanFactory, ProcurementFactory

pytestmark = [pytest.mark.integration]


def wait_for_mails(count, seconds=60):
    deadline = time.monotonic() + seconds
    while len(mail.outbox) < count and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(mail.outbox) == count, [message.subject for message in mail.outbox]


def test_the_alert_journey(celery_worker, client, falun, serv, plan_admin):
    year = timezone.localdate().year + 1
    # Subscribing queues the confirmation; the worker mails it.
    response = client.post(
        "/kommande/alerts/", {"email": "inkop@leverantor.se", "query": "q=skolm%C3%A5ltider"}
    )
    assert response.status_code == 302
    wait_for_mails(1)
    confirm = re.search(r"http://[^\s]+(/kommande/alerts/confirm/[^\s]+/)", mail.outbox[0].body).group(1)
    # Unconfirmed, the address gets nothing from the weekly run.
    assert tasks.weekly_alerts.delay().get(timeout=60) == 0
    assert client.post(confirm).status_code == 200
    assert Subscription.objects.get().confirmed_at is not None

    # A plan is adopted with a procurement that matches, and one that does not.
    plan = PlanFactory(municipality=falun, year=year)
    ProcurementFactory(
        plan=plan, department=serv, title="Skolmåltider", planned_advertisement=date(year, 3, 1)
    )
    ProcurementFactory(plan=plan, department=serv, title="Snöröjning", planned_advertisement=date(year, 3, 1))
    plan_record_adoption(plan=plan, adopted_on=timezone.localdate(), minute_ref="UN § 1", user=plan_admin)

    assert tasks.weekly_alerts.delay().get(timeout=60) == 1
    wait_for_mails(2)
    alert = mail.outbox[1]
    assert alert.to == ["inkop@leverantor.se"]
    assert "Skolmåltider" in alert.body and "Snöröjning" not in alert.body
    # The same procurement is never mailed twice.
    assert tasks.weekly_alerts.delay().get(timeout=60) == 0

    leave = re.search(r"http://[^\s]+(/kommande/alerts/unsubscribe/[^\s]+/)", alert.body).group(1)
    assert client.get(leave).status_code == 200
    assert Subscription.objects.exists()  # the link shows the alert; its button ends it
    assert client.post(leave).status_code == 200
    assert not Subscription.objects.exists()
    assert alerts.run_alerts().mails == 0
    assert len(mail.outbox) == 2
