"""The remiss summary for the procurement board (remissammanställning): the page and its XLSX, per role."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from plans.formatting import NBSP
from plans.models import EarlyInvolvement, Guidance, Procurement
from plans.register import services
from plans.register.disclosure import CONFIDENTIAL_FIELDS, Disclosure
from plans.remiss import review
from plans.remiss.summary import change_list, shown_value
from tests.factories import ProcurementFactory

# A moment inside the remiss of the 2027 plans, frozen so that every "when" is known.
MOMENT = datetime(2026, 9, 15, 10, 30, tzinfo=ZoneInfo("Europe/Stockholm"))
WHEN = datetime(2026, 9, 15, 10, 30)  # as the workbook holds it: Swedish local time, no zone


def summary_url(plan, name="remiss_summary"):
    return reverse(f"plans:{name}", kwargs={"municipality": plan.municipality.slug, "year": plan.year})


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def add_activity(procurement, *, officer, politician, department_rep, department):
    """Guidance, a flag and an answered comment (what the board mostly reads), as the services write them."""
    review.review_give_guidance(
        procurement=procurement,
        kind=Guidance.Kind.ADDITIONAL_FUNDING,
        text="Sysselsättningskravet kostar 400 000 kr per år.",
        user=politician,
    )
    services.procurement_flag(
        procurement=procurement, flagged=True, reason="Kostpolitiska programmet", user=officer
    )
    comment = review.comment_add(
        procurement=procurement,
        text="Behovet gäller även Omvårdnad.",
        user=department_rep,
        department=department,
    )
    review.comment_answer(comment=comment, response="Tillagt i beskrivningen.", handled=True, user=officer)


@pytest.fixture
def reviewed(falun_plan, serv, officer, politician, department_rep):
    """Four procurements when the remiss opened; two have had activity since, and one was renamed."""
    with time_machine.travel(MOMENT, tick=False):
        work = ProcurementFactory(plan=falun_plan, department=serv, ref="2027-001", title="Arbetskläder")
        food = ProcurementFactory(plan=falun_plan, department=serv, ref="2027-002", title="Livsmedel")
        pens = ProcurementFactory(plan=falun_plan, department=serv, ref="2027-003", title="Pennor")
        laundry = ProcurementFactory(plan=falun_plan, department=serv, ref="2027-004", title="Tvätt")
        assert review.ensure_snapshot(falun_plan) is not None
        add_activity(
            work, officer=officer, politician=politician, department_rep=department_rep, department=serv
        )
        EarlyInvolvement.objects.create(
            procurement=food, text="Vill vara med i marknadsdialogen.", user=politician
        )
        review.needs_confirm(procurement=food, department=serv, user=department_rep)
        review.comment_add(procurement=food, text="=SUM(A1:A3)", user=department_rep, department=serv)
    work.refresh_from_db()
    work.title = "Arbetskläder och skor"
    work.save()
    return {"work": work, "food": food, "pens": pens, "laundry": laundry}


# --- Who may read it ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["remiss_summary", "remiss_summary_xlsx"])
@pytest.mark.parametrize(
    ("role", "status"),
    [("officer", 200), ("plan_admin", 200), ("politician", 200), ("department_rep", 200), ("outsider", 404)],
)
def test_the_municipality_and_its_centre_read_the_summary(role, status, name, users, client_for, reviewed):
    response = client_for(users[role]).get(summary_url(reviewed["work"].plan, name))
    assert response.status_code == status


@pytest.mark.parametrize("name", ["remiss_summary", "remiss_summary_xlsx"])
def test_an_anonymous_visitor_of_a_draft_is_sent_to_log_in(name, client, falun_plan):
    with time_machine.travel(date(2026, 6, 1)):
        assert falun_plan.phase == "draft"
        response = client.get(summary_url(falun_plan, name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


@pytest.mark.parametrize("name", ["remiss_summary", "remiss_summary_xlsx"])
@pytest.mark.parametrize("role", ["anonymous", "outsider"])
def test_an_adopted_plan_is_public_but_its_summary_is_not(role, name, users, client_for, adopted_plan):
    assert client_for(users[role]).get(adopted_plan.get_absolute_url()).status_code == 200
    assert client_for(users[role]).get(summary_url(adopted_plan, name)).status_code == 403


def test_the_summary_is_read_only(client_for, officer, falun_plan):
    assert client_for(officer).post(summary_url(falun_plan)).status_code == 405


# --- The page --------------------------------------------------------------------------------------


def test_the_page_shows_guidance_comments_flags_and_changes(client_for, politician, reviewed):
    client = in_english(client_for(politician))
    response = client.get(summary_url(reviewed["work"].plan))
    body = response.content.decode()
    assert "Falu kommun" in body and "2027" in body
    work = body[body.index("2027-001") : body.index("2027-002")]
    assert "Arbetskläder och skor" in work and "Serviceförvaltningen" in work
    assert "Strategic for review" in work
    assert "Needs additional funding" in work and "Sysselsättningskravet kostar 400 000 kr per år." in work
    assert "Flagged strategic" in work and "Kostpolitiska programmet" in work
    assert "Behovet gäller även Omvårdnad." in work and "Tillagt i beskrivningen." in work
    assert "Handled" in work and "Not handled" not in work
    assert "2026-09-15 10:30" in work
    assert "Changed since the remiss opened" in work
    assert '<th scope="row">Title</th>' in work and "Arbetskläder</div>" in work
    food = body[body.index("2027-002") :]
    assert "Request for early involvement" in food and "Vill vara med i marknadsdialogen." in food
    assert "Serviceförvaltningen confirms that its needs are correctly described." in food
    assert "No response yet" in food and "Not handled" in food


def test_the_page_keeps_to_the_content_security_policy(client_for, officer, reviewed):
    body = client_for(officer).get(summary_url(reviewed["work"].plan)).content.decode()
    assert 'href="/static/css/summary.css"' in body
    assert "<style" not in body and " style=" not in body
    assert "<script>" not in body and "onclick" not in body


def test_procurements_without_activity_are_left_out(client_for, officer, reviewed):
    response = client_for(officer).get(summary_url(reviewed["work"].plan))
    summary = response.context["summary"]
    assert [item.ref for item in summary.items] == ["2027-001", "2027-002"]
    assert [a.category for a in summary.items[0].activities] == ["guidance", "flag", "comment"]
    assert [a.category for a in summary.items[1].activities] == ["involvement", "confirmation", "comment"]
    assert summary.changed_only == [] and summary.added == [] and summary.removed == []
    body = response.content.decode()
    assert "Pennor" not in body and "Tvätt" not in body


def test_changed_added_and_removed_procurements_are_listed_too(client_for, officer, reviewed, serv):
    pens, plan = reviewed["pens"], reviewed["pens"].plan
    pens.estimated_value_sek = 600_000
    pens.cpv = "34110000"
    pens.save()
    ProcurementFactory(plan=plan, department=serv, ref="2027-010", title="Snöröjning")
    reviewed["laundry"].delete()
    response = in_english(client_for(officer)).get(summary_url(plan))
    summary = response.context["summary"]
    assert [item.ref for item in summary.items] == ["2027-001", "2027-002"]
    assert [(item.ref, item.activities) for item in summary.changed_only] == [("2027-003", [])]
    changes = {c.name: (c.label, c.before, c.after) for c in summary.changed_only[0].changes}
    assert changes["estimated_value_sek"] == (
        "Estimated value (SEK)",
        f"SEK{NBSP}3,000,000",
        f"SEK{NBSP}600,000",
    )
    assert summary.added == [("2027-010", "Snöröjning")]
    assert summary.removed == [("2027-004", "Tvätt")]
    body = response.content.decode()
    assert "Changed since the remiss opened, without review activity" in body
    assert "Pennor" in body and "Snöröjning" in body and "Tvätt" in body
    assert '<div class="quote">34110000 <span class="muted" lang="en">Passenger cars</span></div>' in body


def test_a_confidential_value_change_stays_with_the_centre(client_for, officer, politician, reviewed):
    pens = reviewed["pens"]
    pens.confidential = True
    pens.estimated_value_sek = 600_000
    pens.save()
    url = summary_url(pens.plan)
    for user, shown in ((politician, False), (officer, True)):
        response = in_english(client_for(user)).get(url)
        changes = {c.name: (c.before, c.after) for c in response.context["summary"].changed_only[0].changes}
        body = response.content.decode()
        assert changes["confidential"] == ("No", "Yes")
        if shown:
            assert changes["estimated_value_sek"] == (f"SEK{NBSP}3,000,000", f"SEK{NBSP}600,000")
        else:
            assert changes["estimated_value_sek"] == ("Confidential", "Confidential")
            assert "600,000" not in body and "3,000,000" not in body
        workbook = load_workbook(
            io.BytesIO(client_for(user).get(summary_url(pens.plan, "remiss_summary_xlsx")).content)
        )
        values = [row for row in workbook.worksheets[1].iter_rows(values_only=True) if row[0] == "2027-003"]
        assert any("600" in str(row[3]) for row in values) is shown


def test_before_the_remiss_opens_there_are_no_changes(client_for, officer, falun_plan, serv, politician):
    pens = ProcurementFactory(plan=falun_plan, department=serv, ref="2027-003", title="Pennor")
    EarlyInvolvement.objects.create(procurement=pens, text="Fråga", user=politician)
    response = in_english(client_for(officer)).get(summary_url(falun_plan))
    summary = response.context["summary"]
    assert summary.snapshot_taken is None and [item.changes for item in summary.items] == [[]]
    assert "The remiss has not opened yet" in response.content.decode()


def test_an_empty_summary_says_so(client_for, officer, falun_plan):
    body = in_english(client_for(officer)).get(summary_url(falun_plan)).content.decode()
    assert "No procurement has had any review activity yet." in body


# --- The XLSX --------------------------------------------------------------------------------------


def test_the_xlsx_has_a_row_per_activity_and_the_changes(
    client_for, officer, politician, department_rep, reviewed
):
    response = in_english(client_for(officer)).get(summary_url(reviewed["work"].plan, "remiss_summary_xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="remissammanstallning-falun-2027.xlsx"'
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Remiss activity", "Changes since the remiss opened"]
    activity, changes = workbook.worksheets
    rep = f"{department_rep} (Serviceförvaltningen)"
    work, food = (
        ("2027-001", "Arbetskläder och skor", "Serviceförvaltningen"),
        ("2027-002", "Livsmedel", "Serviceförvaltningen"),
    )
    assert list(activity.iter_rows(values_only=True)) == [
        ("Reference", "Title", "Department", "Activity", "Text", "By", "When", "Response", "Handled"),
        (
            *work,
            "Guidance: Needs additional funding",
            "Sysselsättningskravet kostar 400 000 kr per år.",
            str(politician),
            WHEN,
            None,
            None,
        ),
        (*work, "Flagged strategic", "Kostpolitiska programmet", str(officer), WHEN, None, None),
        (*work, "Comment", "Behovet gäller även Omvårdnad.", rep, WHEN, "Tillagt i beskrivningen.", "Yes"),
        (
            *food,
            "Request for early involvement",
            "Vill vara med i marknadsdialogen.",
            str(politician),
            WHEN,
            None,
            None,
        ),
        (
            *food,
            "Needs confirmed",
            "Serviceförvaltningen confirms that its needs are correctly described.",
            str(department_rep),
            WHEN,
            None,
            None,
        ),
        (*food, "Comment", "=SUM(A1:A3)", rep, WHEN, None, "No"),
    ]
    assert activity["E7"].data_type == "s"  # what someone wrote is never run as a formula
    assert activity["G2"].number_format == "yyyy-mm-dd hh:mm"
    assert activity.freeze_panes == "C2" and activity["A1"].font.bold
    assert activity.column_dimensions["E"].width > activity.column_dimensions["A"].width
    assert list(changes.iter_rows(values_only=True)) == [
        ("Reference", "Field", "Before", "After"),
        ("2027-001", "Title", "Arbetskläder", "Arbetskläder och skor"),
        ("2027-001", "Strategic for review", "No", "Yes"),
    ]
    assert changes.freeze_panes == "B2"


def test_the_xlsx_lists_added_and_removed_procurements(client_for, officer, reviewed, serv):
    plan = reviewed["work"].plan
    ProcurementFactory(plan=plan, department=serv, ref="2027-010", title="Snöröjning")
    reviewed["laundry"].delete()
    response = in_english(client_for(officer)).get(summary_url(plan, "remiss_summary_xlsx"))
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[1].iter_rows(values_only=True))
    assert rows[-2:] == [
        ("2027-010", "Added to the plan", None, "Snöröjning"),
        ("2027-004", "Removed from the plan", "Tvätt", None),
    ]


def test_the_xlsx_is_in_the_readers_language(client_for, officer, reviewed):
    response = client_for(officer).get(summary_url(reviewed["work"].plan, "remiss_summary_xlsx"))
    workbook = load_workbook(io.BytesIO(response.content))
    with translation.override("sv"):
        assert workbook.sheetnames[0] == translation.gettext("Remiss activity")[:31]
        assert workbook.worksheets[0]["A1"].value == translation.gettext("Reference")


# --- Queries ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["remiss_summary", "remiss_summary_xlsx"])
def test_the_summary_runs_a_constant_number_of_queries(
    name, client_for, officer, politician, department_rep, falun_plan, serv, django_assert_max_num_queries
):
    cast = {
        "officer": officer,
        "politician": politician,
        "department_rep": department_rep,
        "department": serv,
    }

    def procurements_with_activity(count):
        for _ in range(count):
            procurement = ProcurementFactory(plan=falun_plan, department=serv)
            add_activity(procurement, **cast)
            EarlyInvolvement.objects.create(procurement=procurement, text="Dialog", user=politician)
            review.needs_confirm(procurement=procurement, department=serv, user=department_rep)

    with time_machine.travel(MOMENT, tick=False):
        procurements_with_activity(2)
        review.ensure_snapshot(falun_plan)
    ProcurementFactory(plan=falun_plan, department=serv)  # one added since the remiss opened
    client = client_for(officer)
    url = summary_url(falun_plan, name)
    client.get(url)
    with CaptureQueriesContext(connection) as two:
        assert client.get(url).status_code == 200
    procurements_with_activity(8)
    with django_assert_max_num_queries(len(two.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    if name == "remiss_summary":
        assert len(response.context["summary"].items) == 10
    assert Procurement.objects.filter(plan=falun_plan).count() == 11


# --- Values as the board reads them ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "shown"),
    [
        ("title", "Arbetskläder", "Arbetskläder"),
        ("business_critical", "1", "Yes"),
        ("lots", "0", "No"),
        ("procedure", "open", "Open procedure"),
        ("kraljic", "bottleneck", "Bottleneck"),
        ("estimated_value_sek", "3000000", f"SEK{NBSP}3,000,000"),
        ("department", "SERV", "SERV"),
        ("current_contract_ends", "", ""),
        ("planned_advertisement", "2027-03-01", "2027-03-01"),
    ],
)
def test_snapshot_values_are_shown_as_a_reader_says_them(name, text, shown):
    with translation.override("en"):
        assert shown_value(name, text) == shown


@pytest.mark.parametrize(
    ("snapshot_confidential", "fields", "show_confidential", "hidden"),
    [
        ("0", {"estimated_value_sek": ("1", "2")}, False, False),
        ("1", {"estimated_value_sek": ("1", "2")}, False, True),
        ("1", {"estimated_value_sek": ("1", "2")}, True, False),
        ("0", {"description": ("a", "b"), "confidential": ("0", "1")}, False, True),
        ("1", {"description": ("a", "b"), "confidential": ("1", "0")}, False, True),
    ],
)
def test_confidential_fields_are_hidden_if_confidential_before_or_after(
    snapshot_confidential, fields, show_confidential, hidden
):
    with translation.override("en"):
        rows = change_list(
            fields,
            snapshot_row={"confidential": snapshot_confidential},
            disclosure=Disclosure(confidential=show_confidential),
        )
    secret = [row for row in rows if row.name in CONFIDENTIAL_FIELDS]
    assert all((row.before, row.after) == ("Confidential", "Confidential") for row in secret) is hidden
