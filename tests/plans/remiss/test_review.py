"""The remiss: the review queue, guidance, early involvement, comments, confirmations, the board's records."""

import re
from datetime import date

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from plans.models import (
    Comment,
    EarlyInvolvement,
    Guidance,
    HistoryEntry,
    NeedsConfirmation,
    Plan,
    PlanSnapshot,
    Procurement,
)
from plans.remiss.review import ensure_snapshot, review_queue, review_request_involvement
from tests.conftest import REMISS_DAY
from tests.factories import ProcurementFactory

BEFORE_REMISS = date(2026, 7, 1)
AFTER_REMISS = date(2026, 12, 5)


pytestmark = pytest.mark.usefixtures("in_remiss")


@pytest.fixture
def queue_plan(falun_plan, serv, omv, officer):
    """Three strategic procurements with different advertisement dates, and one that is not strategic."""
    big = {"estimated_value_sek": 150_000_000}
    ProcurementFactory(
        plan=falun_plan, department=serv, ref="Q-LATE", planned_advertisement=date(2027, 6, 1), **big
    )
    ProcurementFactory(
        plan=falun_plan,
        department=omv,
        ref="Q-SOON",
        planned_advertisement=date(2026, 11, 2),
        officer=officer,
        **big,
    )
    ProcurementFactory(
        plan=falun_plan, department=serv, ref="Q-MID", planned_advertisement=date(2027, 2, 1), **big
    )
    ProcurementFactory(plan=falun_plan, department=serv, ref="Q-SMALL", estimated_value_sek=100_000)
    return falun_plan


def url(name, ref=None, **extra):
    kwargs = {"municipality": "falun", "year": 2027, **extra}
    if ref:
        kwargs["ref"] = ref
    return reverse(f"plans:{name}", kwargs=kwargs)


def test_the_queue_holds_the_strategic_procurements_most_urgent_first(queue_plan):
    items = review_queue(plan=queue_plan, today=REMISS_DAY)
    assert [item.procurement.ref for item in items] == ["Q-SOON", "Q-MID", "Q-LATE"]
    soon = items[0]
    assert soon.freeze_date == date(2026, 9, 7)  # 2026-11-02 minus 8 weeks
    assert soon.overdue and not items[1].overdue


def test_without_guidance_leaves_out_what_has_guidance(queue_plan, politician):
    Guidance.objects.create(procurement=Procurement.objects.get(ref="Q-MID"), kind="within_frame", text="x")
    items = review_queue(plan=queue_plan, today=REMISS_DAY, without_guidance_only=True)
    assert [item.procurement.ref for item in items] == ["Q-SOON", "Q-LATE"]


@pytest.mark.parametrize(
    ("role", "status"),
    [("politician", 200), ("officer", 200), ("department_rep", 200), ("plan_admin", 200), ("outsider", 404)],
)
def test_the_queue_page_per_role(role, status, users, client_for, queue_plan):
    response = client_for(users[role]).get(url("review"))
    assert response.status_code == status
    if status == 200:
        body = response.content.decode()
        assert body.index("Q-SOON") < body.index("Q-MID") < body.index("Q-LATE")
        assert "Q-SMALL" not in body
        assert "Försenad" in body


def test_anonymous_visitors_are_sent_to_log_in(client, queue_plan):
    assert client.get(url("review")).status_code == 302


def guidance_post(client, ref="Q-SOON", **extra):
    data = {"kind": "political_decision", "text": "Bered frågan med konsekvensbeskrivning.", **extra}
    return client.post(url("guidance", ref), data)


def test_a_politician_gives_guidance_and_the_item_leaves_the_without_guidance_list(
    client_for, politician, queue_plan
):
    client = client_for(politician)
    response = guidance_post(client, next=url("review") + "?show=without_guidance")
    assert response.status_code == 302 and response["Location"].endswith("?show=without_guidance")
    guidance = Guidance.objects.get()
    assert (guidance.procurement.ref, guidance.kind, guidance.user) == (
        "Q-SOON",
        "political_decision",
        politician,
    )
    page = client.get(url("review"), {"show": "without_guidance"})
    assert [item.procurement.ref for item in page.context["items"]] == ["Q-MID", "Q-LATE"]
    assert HistoryEntry.objects.filter(action="guidance", procurement=guidance.procurement).exists()


def test_guidance_with_htmx_answers_with_the_updated_item(client_for, politician, queue_plan):
    response = client_for(politician).post(
        url("guidance", "Q-SOON"), {"kind": "within_frame", "text": "Inom ram."}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<li class="card queue-item') and "<html" not in body
    assert "Inom ram." in body and "Inom befintlig budgetram" in body


def test_guidance_without_text_is_refused_beside_the_field(client_for, politician, queue_plan):
    response = guidance_post(client_for(politician), text="")
    assert response.status_code == 400
    assert "Skriv några ord" in response.content.decode()
    assert not Guidance.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"), [("officer", 403), ("department_rep", 403), ("plan_admin", 403), ("outsider", 404)]
)
def test_others_cannot_give_guidance(role, status, users, client_for, queue_plan):
    assert guidance_post(client_for(users[role])).status_code == status
    assert not Guidance.objects.exists()


@pytest.mark.parametrize("day", [BEFORE_REMISS, AFTER_REMISS])
def test_nobody_gives_guidance_outside_the_remiss(day, client_for, politician, queue_plan):
    with time_machine.travel(day, tick=False):
        assert guidance_post(client_for(politician)).status_code == 403
        page = client_for(politician).get(url("review")).content.decode()
        assert "Remissen är inte öppen" in page and "Spara vägledningen" not in page
    assert not Guidance.objects.exists()


def test_early_involvement_tells_the_responsible_officer(
    client_for, politician, officer, queue_plan, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(politician).post(
            url("involvement", "Q-SOON"), {"text": "Vi vill vara med i dialogen."}
        )
    assert response.status_code == 302
    request = EarlyInvolvement.objects.get()
    assert request.user == politician
    assert [message.to for message in mail.outbox] == [[officer.email]]
    assert "http://127.0.0.1:8000/plans/falun/2027/Q-SOON/" in mail.outbox[0].body
    assert "Vi vill vara med i dialogen." in mail.outbox[0].body
    home = client_for(officer).get("/").content.decode()
    assert "Q-SOON" in home


@pytest.mark.parametrize("role", ["officer", "department_rep"])
def test_only_politicians_ask_for_early_involvement(role, users, client_for, queue_plan):
    assert client_for(users[role]).post(url("involvement", "Q-SOON"), {"text": ""}).status_code == 403


def test_a_department_representative_comments_and_an_officer_answers(
    client_for, department_rep, officer, queue_plan
):
    response = client_for(department_rep).post(
        url("comment", "Q-LATE"), {"text": "Volymen är för lågt räknad."}
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.department.code == "SERV" and comment.user == department_rep
    answer = client_for(officer).post(
        url("answer", "Q-LATE", comment=comment.pk), {"response": "Vi räknar upp volymen.", "handled": "on"}
    )
    assert answer.status_code == 302
    comment.refresh_from_db()
    assert (
        comment.handled and comment.response == "Vi räknar upp volymen." and comment.responded_by == officer
    )
    page = client_for(department_rep).get(url("procurement", "Q-LATE")).content.decode()
    assert "Volymen är för lågt räknad." in page and "Vi räknar upp volymen." in page and "Hanterad" in page


def test_comment_text_is_escaped(client_for, department_rep, queue_plan):
    client = client_for(department_rep)
    client.post(url("comment", "Q-LATE"), {"text": "<script>alert(1)</script>"})
    body = client.get(url("procurement", "Q-LATE")).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


@pytest.mark.parametrize(("text", "saved"), [("x" * 4000, True), ("x" * 4001, False), ("   ", False)])
def test_a_comment_is_up_to_4000_characters(text, saved, client_for, department_rep, queue_plan):
    client_for(department_rep).post(url("comment", "Q-LATE"), {"text": text})
    assert Comment.objects.exists() is saved


@pytest.mark.parametrize(
    ("role", "status"), [("officer", 403), ("plan_admin", 403), ("outsider", 404), ("politician", 302)]
)
def test_who_comments(role, status, users, client_for, queue_plan):
    assert client_for(users[role]).post(url("comment", "Q-LATE"), {"text": "Synpunkt"}).status_code == status


@pytest.mark.parametrize("role", ["department_rep", "politician"])
def test_only_officers_answer(role, users, client_for, department_rep, queue_plan):
    comment = Comment.objects.create(
        procurement=Procurement.objects.get(ref="Q-LATE"), user=department_rep, text="x"
    )
    response = client_for(users[role]).post(url("answer", "Q-LATE", comment=comment.pk), {"response": "y"})
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.response == ""


def test_comments_are_read_only_outside_the_remiss(client_for, department_rep, officer, queue_plan):
    comment = Comment.objects.create(
        procurement=Procurement.objects.get(ref="Q-LATE"), user=department_rep, text="x"
    )
    with time_machine.travel(AFTER_REMISS, tick=False):
        assert client_for(department_rep).post(url("comment", "Q-LATE"), {"text": "sent"}).status_code == 403
        answer = client_for(officer).post(url("answer", "Q-LATE", comment=comment.pk), {"response": "sent"})
        assert answer.status_code == 403
        page = client_for(department_rep).get(url("procurement", "Q-LATE")).content.decode()
        assert "Lägg till kommentaren" not in page and "x" in page
    assert Comment.objects.count() == 1


def test_a_representative_confirms_only_their_own_departments_needs(client_for, department_rep, queue_plan):
    client = client_for(department_rep)
    page = client.get(url("procurement", "Q-LATE")).content.decode()
    assert "Din förvaltnings upphandling" in page
    assert client.post(url("confirm", "Q-LATE")).status_code == 302
    assert client.post(url("confirm", "Q-LATE")).status_code == 302  # twice is once
    assert NeedsConfirmation.objects.get().department.code == "SERV"
    assert client.post(url("confirm", "Q-SOON")).status_code == 403  # Omvårdnadsförvaltningen's


def test_the_snapshot_is_taken_once_and_the_changes_are_shown(client_for, officer, politician, queue_plan):
    client = client_for(politician)
    client.get(url("review"))
    snapshot = PlanSnapshot.objects.get(plan=queue_plan)
    assert set(snapshot.data) == {"Q-LATE", "Q-SOON", "Q-MID", "Q-SMALL"}
    late = Procurement.objects.get(ref="Q-LATE")
    late.title = "Ny titel"
    late.cpv = "34110000"
    late.save()
    Procurement.objects.get(ref="Q-SMALL").delete()
    ProcurementFactory(plan=queue_plan, department=late.department, ref="Q-NEW")
    assert ensure_snapshot(queue_plan).pk == snapshot.pk
    page = client.get(url("changes")).content.decode()
    assert "Q-NEW" in page and "Q-SMALL" in page and "Ny titel" in page
    assert '<td>34110000 <span class="muted" lang="en">Passenger cars</span></td>' in page


def test_no_snapshot_before_the_remiss(client_for, officer, queue_plan):
    with time_machine.travel(BEFORE_REMISS, tick=False):
        assert "inget att jämföra med" in client_for(officer).get(url("changes")).content.decode()
    assert not PlanSnapshot.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"), [("plan_admin", 200), ("officer", 403), ("politician", 403), ("outsider", 404)]
)
def test_the_manage_page_is_for_plan_administrators(role, status, users, client_for, queue_plan):
    assert client_for(users[role]).get(url("manage")).status_code == status


def test_a_plan_administrator_moves_the_window(client_for, plan_admin, queue_plan):
    response = client_for(plan_admin).post(
        url("manage"),
        {"action": "window", "remiss_starts": "2026-09-01", "remiss_ends": "2026-12-15", "version": "1"},
    )
    assert response.status_code == 302
    queue_plan.refresh_from_db()
    assert (queue_plan.remiss_starts, queue_plan.remiss_ends) == (date(2026, 9, 1), date(2026, 12, 15))
    assert HistoryEntry.objects.filter(plan=queue_plan, action="window", user=plan_admin).exists()


def test_a_window_that_closes_before_it_opens_is_refused(client_for, plan_admin, queue_plan):
    response = client_for(plan_admin).post(
        url("manage"),
        {"action": "window", "remiss_starts": "2026-10-01", "remiss_ends": "2026-09-01", "version": "1"},
    )
    assert response.status_code == 400
    assert "Remissen kan inte stänga innan den öppnar" in response.content.decode()
    queue_plan.refresh_from_db()
    assert queue_plan.remiss_ends == date(2026, 11, 30)


def test_recording_the_adoption_makes_the_plan_read_only(
    client_for, plan_admin, officer, queue_plan, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    pdf = SimpleUploadedFile("protokoll.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    response = client_for(plan_admin).post(
        url("manage"),
        {"action": "adopt", "adopted_on": "2026-09-15", "minute_ref": "UN § 87", "minutes": pdf},
    )
    assert response.status_code == 302
    plan = Plan.objects.get(pk=queue_plan.pk)
    assert (
        plan.is_adopted
        and plan.adoption_minute_ref == "UN § 87"
        and plan.adoption_minutes.name.endswith(".pdf")
    )
    late = Procurement.objects.get(ref="Q-LATE")
    assert client_for(officer).get(url("procurement_edit", "Q-LATE")).status_code == 403
    assert client_for(officer).post(url("comment", "Q-LATE"), {"text": "x"}).status_code == 403
    assert late.title == Procurement.objects.get(ref="Q-LATE").title


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"adopted_on": "2026-12-24", "minute_ref": "UN § 1"}, "innan det har fattats"),
        ({"adopted_on": "2026-07-01", "minute_ref": "UN § 1"}, "efter att remissen har öppnat"),
        ({"adopted_on": "2026-09-15", "minute_ref": ""}, "måste fyllas i"),
    ],
)
def test_a_bad_adoption_is_refused_beside_the_field(data, message, client_for, plan_admin, queue_plan):
    response = client_for(plan_admin).post(url("manage"), {"action": "adopt", **data})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Plan.objects.get(pk=queue_plan.pk).is_adopted


def test_minutes_that_are_not_a_pdf_are_refused(client_for, plan_admin, queue_plan):
    fake = SimpleUploadedFile("protokoll.pdf", b"MZ\x90\x00 not a pdf")
    response = client_for(plan_admin).post(
        url("manage"),
        {"action": "adopt", "adopted_on": "2026-09-15", "minute_ref": "UN § 87", "minutes": fake},
    )
    assert "måste vara en PDF" in response.content.decode()
    assert not Plan.objects.get(pk=queue_plan.pk).is_adopted


def test_an_officer_cannot_record_an_adoption(client_for, officer, queue_plan):
    response = client_for(officer).post(
        url("manage"), {"action": "adopt", "adopted_on": "2026-09-15", "minute_ref": "x"}
    )
    assert response.status_code == 403


def test_the_history_shows_who_changed_what(client_for, officer, queue_plan):
    procurement = Procurement.objects.get(ref="Q-LATE")
    from tests.plans.register.test_procurement_pages import form_data

    client = client_for(officer)
    client.post(
        url("procurement_edit", "Q-LATE"),
        form_data(procurement, title="Bilar 2027", estimated_value_sek="200 000 000"),
    )
    entry = HistoryEntry.objects.get(procurement=procurement, action="changed")
    assert entry.user == officer
    assert entry.changes["title"] == [procurement.title, "Bilar 2027"]
    assert entry.changes["estimated_value_sek"] == ["150000000", "200000000"]
    page = client.get(url("procurement", "Q-LATE")).content.decode()
    assert "Bilar 2027" in page and "Benämning" in page and "ändrade" in page


@pytest.mark.parametrize(
    ("role", "sees"), [("officer", True), ("politician", False), ("department_rep", False)]
)
def test_changes_to_a_confidential_value_stay_confidential(role, sees, users, client_for, queue_plan):
    secret = Procurement.objects.get(ref="Q-MID")
    secret.confidential = True
    secret.save()
    ensure_snapshot(queue_plan)
    secret.estimated_value_sek = 123_456_789
    secret.save()
    body = client_for(users[role]).get(url("changes")).content.decode()
    assert "Q-MID" in body
    assert ("123\xa0456\xa0789\xa0kr" in body) is sees
    assert "123456789" not in body


def test_a_stale_window_change_is_refused_and_shows_both(client_for, plan_admin, queue_plan):
    client = client_for(plan_admin)
    loaded = {"action": "window", "version": "1"}
    client.post(url("manage"), {**loaded, "remiss_starts": "2026-08-15", "remiss_ends": "2026-11-30"})
    response = client.post(
        url("manage"), {**loaded, "remiss_starts": "2026-09-01", "remiss_ends": "2026-12-15"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "2026-08-15 – 2026-11-30" in body and "2026-09-01 – 2026-12-15" in body
    queue_plan.refresh_from_db()
    assert queue_plan.remiss_starts == date(2026, 8, 15) and queue_plan.version == 2


def queue_card(html, ref):
    """The card of one procurement in a page or fragment of the queue, with the per-render CSRF token
    and the one-off "saved" message left out, so that two renderings of the same state compare equal."""
    start = html.index('<li class="card queue-item')
    start = html.index(f'id="item-{ref}"', start)
    start = html.rindex("<li", 0, start)
    ends = [
        at for at in (html.find('<li class="card queue-item', start + 1), html.find("</ol>", start)) if at > 0
    ]
    card = html[start : min(ends)] if ends else html[start:]
    card = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken"', card)
    card = re.sub(r'<p class="message success" role="status">[^<]*</p>', "", card)
    return card.strip()


def test_the_card_redrawn_after_guidance_is_the_card_of_the_reloaded_page(client_for, politician, queue_plan):
    client = client_for(politician)
    Guidance.objects.create(
        procurement=Procurement.objects.get(ref="Q-SOON"),
        kind="within_frame",
        text="Tidigare.",
        user=politician,
    )
    fragment = client.post(
        url("guidance", "Q-SOON"),
        {"kind": "political_decision", "text": "Bered frågan.", "next": url("review")},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "Din vägledning sparades." in fragment
    page = client.get(url("review")).content.decode()
    assert queue_card(fragment, "Q-SOON") == queue_card(page, "Q-SOON")
    card = queue_card(page, "Q-SOON")
    assert "Behöver politiskt beslut" in card and "Inom befintlig budgetram" in card
    assert REMISS_DAY.isoformat() in card


@pytest.mark.parametrize("htmx", [False, True])
def test_early_involvement_is_asked_once_per_politician_and_procurement(
    htmx, client_for, politician, officer, queue_plan, django_capture_on_commit_callbacks
):
    client = client_for(politician)
    # In English: "Requested <date>" is "Begärd <date>" once the lead's translation is in.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            response = client.post(
                url("involvement", "Q-SOON"), {"text": "", "next": url("review")}, **headers
            )
            assert response.status_code == (200 if htmx else 302)
    assert EarlyInvolvement.objects.filter(procurement__ref="Q-SOON", user=politician).count() == 1
    assert len(mail.outbox) == 1
    asked = f"Requested {REMISS_DAY.isoformat()}"
    if htmx:
        assert asked in queue_card(response.content.decode(), "Q-SOON")
    queue = client.get(url("review")).content.decode()
    assert asked in queue_card(queue, "Q-SOON") and "Request early involvement" not in queue_card(
        queue, "Q-SOON"
    )
    assert "Request early involvement" in queue_card(queue, "Q-MID")  # another procurement keeps its button
    page = client.get(url("procurement", "Q-SOON")).content.decode()
    assert asked in page and "Request early involvement" not in page


def test_the_service_keeps_one_involvement_request_per_politician(politician, queue_plan):
    procurement = Procurement.objects.get(ref="Q-SOON")
    first = review_request_involvement(procurement=procurement, text="Först.", user=politician)
    again = review_request_involvement(procurement=procurement, text="Igen.", user=politician)
    assert again.pk == first.pk and EarlyInvolvement.objects.count() == 1
    assert HistoryEntry.objects.filter(action="involvement").count() == 1


def test_the_database_refuses_a_second_involvement_request(politician, queue_plan):
    procurement = Procurement.objects.get(ref="Q-SOON")
    EarlyInvolvement.objects.create(procurement=procurement, user=politician)
    with pytest.raises(IntegrityError), transaction.atomic():
        EarlyInvolvement.objects.create(procurement=procurement, user=politician)
