"""Notifications with a frozen clock: sent once, to the right people, with working links."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.test import Client

from plans.models import Comment, Guidance, Notification, Procurement
from plans.notify import outbox, tasks
from plans.notify.notifications import notify_remiss_opened, send_reminders, send_weekly_digest
from plans.notify.outbox import drain
from plans.remiss.review import review_give_guidance
from tests.factories import ProcurementFactory, UserFactory, member

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def at(day, hour=9):
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=STOCKHOLM), tick=False)


@pytest.fixture
def remiss(falun_plan, serv, omv, officer, politician, department_rep, outsider, plan_admin):
    big = {"estimated_value_sek": 150_000_000}
    ProcurementFactory(plan=falun_plan, department=serv, ref="N-1", officer=officer, **big)
    ProcurementFactory(plan=falun_plan, department=omv, ref="N-2", **big)
    return falun_plan


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_the_remiss_opening_goes_to_politicians_and_representatives_once(
    remiss, politician, department_rep, run_on_commit
):
    with at(date(2026, 8, 1)):
        assert run_on_commit(tasks.daily_remiss_jobs) == {"plans": 1, "opened": 2, "reminders": 0}
        assert run_on_commit(tasks.daily_remiss_jobs)["opened"] == 0  # the job twice: nothing twice
    assert recipients() == sorted([politician.email, department_rep.email])
    message = mail.outbox[0]
    assert message.subject == "Upphandlingsplan 2027 för Falu kommun är ute på remiss"
    assert "http://127.0.0.1:8000/plans/falun/2027/review/" in message.body
    assert "2 upphandlingar är strategiska" in message.body


def test_the_links_in_a_mail_work(remiss, politician, run_on_commit):
    with at(date(2026, 8, 1)):
        run_on_commit(notify_remiss_opened, remiss)
        body = next(m.body for m in mail.outbox if politician.email in m.to)
        client = Client()
        client.force_login(politician)
        for line in body.splitlines():
            if "http://127.0.0.1:8000/" in line:
                path = line.split("http://127.0.0.1:8000", 1)[1].strip()
                assert client.get(path).status_code == 200, path


def test_nothing_is_sent_before_the_window_opens(remiss, run_on_commit):
    with at(date(2026, 7, 31)):
        assert run_on_commit(tasks.daily_remiss_jobs) == {"plans": 0, "opened": 0, "reminders": 0}
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("day", "sent"), [(date(2026, 11, 15), False), (date(2026, 11, 16), True), (date(2026, 11, 30), True)]
)
def test_the_reminder_comes_14_days_before_the_close(day, sent, remiss, politician, run_on_commit):
    with at(day):
        assert bool(run_on_commit(send_reminders, remiss, day)) is sent
    assert (politician.email in recipients()) is sent


def test_the_reminder_goes_only_to_those_with_open_items_and_only_once(
    remiss, politician, department_rep, officer, run_on_commit
):
    other = member(UserFactory(username="done"), "politician", municipality=remiss.municipality)
    day = date(2026, 11, 20)
    with at(day):
        for procurement in Procurement.objects.filter(plan=remiss, strategic=True):
            Guidance.objects.create(procurement=procurement, user=other, kind="within_frame", text="ok")
        run_on_commit(send_reminders, remiss, day)
        run_on_commit(send_reminders, remiss, day)
    assert other.email not in recipients()
    assert recipients().count(politician.email) == 1
    assert department_rep.email in recipients()  # N-1 is Serviceförvaltningen's and not confirmed
    assert officer.email not in recipients()  # no comment waits for an answer
    reminder = next(m for m in mail.outbox if politician.email in m.to)
    assert "N-1" in reminder.body and "N-2" in reminder.body


def test_the_weekly_digest_lists_the_weeks_activity_once(
    remiss, politician, officer, outsider, run_on_commit
):
    with at(date(2026, 9, 10)):
        review_give_guidance(
            procurement=Procurement.objects.get(ref="N-1"),
            kind="within_frame",
            text="Inom ram",
            user=politician,
        )
    with at(date(2026, 9, 14), hour=7):
        assert run_on_commit(tasks.weekly_digests) >= 2
        assert run_on_commit(tasks.weekly_digests) == 0
    assert outsider.email not in recipients()
    digest = next(m for m in mail.outbox if officer.email in m.to)
    assert "N-1" in digest.body and "gav vägledning" in digest.body
    assert "http://127.0.0.1:8000/plans/falun/2027/N-1/" in digest.body


def test_a_quiet_week_sends_no_digest(remiss, run_on_commit):
    with at(date(2026, 10, 19)):
        assert run_on_commit(send_weekly_digest, remiss, date(2026, 10, 19)) == 0
    assert mail.outbox == []


def test_a_failed_send_stays_in_the_outbox_and_is_drained_later(
    remiss, politician, monkeypatch, run_on_commit
):

    def broken(*args, **kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr(outbox, "send_mail", broken)
    with at(date(2026, 8, 1)):
        run_on_commit(notify_remiss_opened, remiss)  # the action itself succeeds
    assert Notification.objects.filter(sent_at__isnull=True).count() == 2
    monkeypatch.undo()
    assert drain() == 2
    assert drain() == 0
    assert len(mail.outbox) == 2


def test_an_unanswered_comment_is_an_open_item_for_officers(remiss, department_rep, officer, run_on_commit):
    Comment.objects.create(procurement=Procurement.objects.get(ref="N-1"), user=department_rep, text="?")
    with at(date(2026, 11, 20)):
        run_on_commit(send_reminders, remiss, date(2026, 11, 20))
    assert officer.email in recipients()
