"""
Everything people type is shown as text, never as markup.

Each user-supplied text field that a form reaches gets its own payload, `<script>alert(n)</script>` or
`"><img src=x onerror=alert(n)>`, posted through the same form a person would use. Then every page that
shows the field is read: the raw payload must not be in it, and its escaped form must (so the page did
show the field, as text). Numbers and amounts typed as markup come back in the form with the error,
escaped too.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from plans.models import Comment, Goal, ImportJob, Plan, Procurement, Rubric
from tests.conftest import REMISS_DAY
from tests.factories import ProcurementFactory
from tests.forms import versions_of
from tests.plans.exchange.test_imports import csv_bytes, row


def script(n):
    return f"<script>alert({n})</script>"


def img(n):
    return f'"><img src=x onerror=alert({n})>'


TITLE = "Skolmat " + script(1)
DESCRIPTION = "Livsmedel " + img(2)
FLAG_REASON = script(3)
GUIDANCE = img(4)
INVOLVEMENT = script(5)
COMMENT = img(6)
RESPONSE = script(7)
OUTCOME_NOTES = img(8)
GOAL_TITLE = "Ekologiskt " + script(9)
NATIONAL_SOURCE = img(10)
IMPORTED_TITLE = "Snöröjning " + script(11)
IMPORT_FILENAME = img(12) + ".csv"
MINUTE_REF = script(13)
EDITED_TITLE = "Skolmåltider " + img(14)
BAD_AMOUNT = script(15)

# Markup no page of the project has of its own: finding it means a payload went out raw.
RAW_MARKERS = ("<script>alert(", "<img src=x")


pytestmark = pytest.mark.usefixtures("in_remiss", "media")


def plan_url(name, **kwargs):
    return reverse(name, kwargs={"municipality": "falun", "year": 2027, **kwargs})


def shows_as_text(client, url, *payloads, status=200, **extra):
    """GET (or take) a page: no payload raw in it, and each payload given shown escaped."""
    response = client.get(url, **extra) if isinstance(url, str) else url
    assert response.status_code == status, (url, response.status_code)
    html = response.content.decode()
    raw = [marker for marker in RAW_MARKERS if marker in html]
    missing = [payload for payload in payloads if escape(payload) not in html]
    assert not raw and not missing, f"{url}: raw markup {raw}; not shown escaped: {missing}"
    return html


def procurement_form(serv, officer, **changes):
    data = {
        "ref": "2027-101", "title": TITLE, "description": DESCRIPTION, "department": serv.pk,
        "category": "services", "cpv": "55523100", "estimated_value_sek": "150 000 000",
        "duration_months": "48", "planned_advertisement": "2027-03-01", "procedure": "open",
        "possible_suppliers": "5", "climate_impact": "low", "environmental_level": "none",
        "officer": officer.pk, "version": "",
    }  # fmt: skip
    return {**data, **changes}


def import_file(content: bytes):
    return SimpleUploadedFile(IMPORT_FILENAME, content, content_type="text/csv")


@pytest.fixture
def filled(client_for, users, falun_plan, serv, django_capture_on_commit_callbacks):
    """Every text field of the remiss and the follow-up, filled with markup through its form."""
    officer, plan_admin, politician, rep = (
        users[role] for role in ("officer", "plan_admin", "politician", "department_rep")
    )
    ProcurementFactory(plan=falun_plan, ref="2027-001", department=serv)
    # The remiss opens before the procurement is added, so "changes" lists it.
    assert client_for(officer).get(plan_url("plans:changes")).status_code == 200

    client = client_for(officer)
    assert (
        client.post(plan_url("plans:procurement_create"), procurement_form(serv, officer)).status_code == 302
    )
    ref = "2027-101"
    flag = {"flagged": "1", "reason": FLAG_REASON}
    assert client.post(plan_url("plans:procurement_flag", ref=ref), flag).status_code == 302

    client = client_for(politician)
    guidance = {"kind": "political_decision", "text": GUIDANCE}
    fragment = client.post(plan_url("plans:guidance", ref=ref), guidance, HTTP_HX_REQUEST="true")
    shows_as_text(client, fragment, GUIDANCE)
    involvement = {"text": INVOLVEMENT}
    assert client.post(plan_url("plans:involvement", ref=ref), involvement).status_code == 302

    client = client_for(rep)
    assert client.post(plan_url("plans:comment", ref=ref), {"text": COMMENT}).status_code == 302
    comment = Comment.objects.get(text=COMMENT)

    client = client_for(officer)
    answer = {"response": RESPONSE, "handled": "on"}
    assert client.post(plan_url("plans:answer", ref=ref, comment=comment.pk), answer).status_code == 302
    outcome = {"status": "advertised", "advertised_on": "2026-09-01", "notes": OUTCOME_NOTES}
    outcome |= versions_of(client, plan_url("plans:outcome", ref=ref))
    assert client.post(plan_url("plans:outcome", ref=ref), outcome).status_code == 302
    good = csv_bytes([row(Ref="2027-102", **{"Benämning": IMPORTED_TITLE})])
    bad = csv_bytes([row(Ref="2027-103", **{"Uppskattat värde SEK": BAD_AMOUNT})])
    jobs = {}
    for name, content in (("good", good), ("bad", bad)):
        with django_capture_on_commit_callbacks(execute=True):
            upload = client.post(plan_url("plans:import"), {"file": import_file(content)})
        assert upload.status_code == 302
        jobs[name] = ImportJob.objects.latest("pk")

    client = client_for(plan_admin)
    goal = {"title": GOAL_TITLE, "target_value": "40", "unit": "%", "measured_by": GOAL_TITLE}
    assert client.post(reverse("plans:goal_create", args=["falun"]), goal).status_code == 302
    # The procurement serves the goal: the follow-up and the brief show it under the goal.
    Procurement.objects.get(ref=ref).goals.add(Goal.objects.get(title=GOAL_TITLE))
    targets = {}
    for key in ("average_bids", "single_bid_share", "sme_share", "appeal_rate"):
        targets |= {f"national-{key}-year": "2025", f"national-{key}-value": "5"}
        targets[f"national-{key}-source"] = NATIONAL_SOURCE
    targets |= versions_of(client, plan_url("plans:targets"))
    assert client.post(plan_url("plans:targets"), targets).status_code == 302
    return {"ref": ref, "jobs": jobs}


def test_what_people_typed_is_shown_escaped_on_every_page(filled, client_for, users):
    ref, job = filled["ref"], filled["jobs"]["good"]
    officer = client_for(users["officer"])
    remiss_texts = (FLAG_REASON, GUIDANCE, INVOLVEMENT, COMMENT, RESPONSE)

    shows_as_text(officer, plan_url("plans:plan"), TITLE)
    shows_as_text(officer, plan_url("plans:plan") + "?view=ranking", TITLE)
    matrix = shows_as_text(officer, plan_url("plans:plan") + "?view=matrix", TITLE)
    assert f"<title>2027-101 {escape(TITLE)}" in matrix  # the dot's tooltip in the SVG
    shows_as_text(officer, plan_url("plans:plan") + f"?q={img(99)}", img(99))  # the filter's own echo
    shows_as_text(officer, plan_url("plans:procurement", ref=ref), TITLE, DESCRIPTION, *remiss_texts)
    shows_as_text(officer, plan_url("plans:review"), TITLE, GUIDANCE)
    shows_as_text(officer, plan_url("plans:review"), TITLE, HTTP_HX_REQUEST="true")
    shows_as_text(officer, plan_url("plans:remiss_summary"), TITLE, GUIDANCE, COMMENT, RESPONSE)
    shows_as_text(officer, plan_url("plans:changes"))
    shows_as_text(officer, plan_url("plans:followup"), TITLE, GOAL_TITLE)
    shows_as_text(officer, plan_url("plans:brief"), TITLE, DESCRIPTION, GUIDANCE, GOAL_TITLE)
    shows_as_text(officer, plan_url("plans:outcome", ref=ref), TITLE, OUTCOME_NOTES)
    shows_as_text(officer, job.get_absolute_url(), IMPORT_FILENAME)
    # The officer's desk on the start page: requests for early involvement, open comments.
    shows_as_text(officer, reverse("home"), TITLE, INVOLVEMENT)

    politician = client_for(users["politician"])
    shows_as_text(politician, plan_url("plans:procurement", ref=ref), TITLE, *remiss_texts)
    shows_as_text(politician, plan_url("plans:review"), TITLE, GUIDANCE)

    plan_admin = client_for(users["plan_admin"])
    shows_as_text(plan_admin, plan_url("plans:targets"), NATIONAL_SOURCE)
    goal = Goal.objects.get(title=GOAL_TITLE)
    shows_as_text(plan_admin, reverse("plans:goals", args=["falun"]), GOAL_TITLE)
    shows_as_text(plan_admin, reverse("plans:goal_edit", args=["falun", goal.pk]), GOAL_TITLE)
    shows_as_text(plan_admin, reverse("plans:goal_delete", args=["falun", goal.pk]), GOAL_TITLE)
    shows_as_text(politician, reverse("plans:goals", args=["falun"]), GOAL_TITLE)


def test_an_edit_its_conflict_and_the_changes_are_shown_escaped(filled, client_for, users, serv):
    officer = users["officer"]
    client = client_for(officer)
    # A procurement that was in the plan when the remiss opened: its changes are listed field by field.
    procurement = Procurement.objects.get(ref="2027-001")
    edit = procurement_form(serv, officer, ref="2027-001", title=EDITED_TITLE, version=procurement.version)
    assert client.post(plan_url("plans:procurement_edit", ref="2027-001"), edit).status_code == 302
    # A second edit from the version before: refused, and both versions side by side.
    stale = procurement_form(serv, officer, ref="2027-001", title=TITLE, version=procurement.version)
    conflict = client.post(plan_url("plans:procurement_edit", ref="2027-001"), stale)
    shows_as_text(client, conflict, EDITED_TITLE, TITLE)
    # The history on the procurement's page, the changes since the remiss opened, the board's summary.
    shows_as_text(client, plan_url("plans:procurement", ref="2027-001"), EDITED_TITLE, DESCRIPTION)
    shows_as_text(client, plan_url("plans:changes"), EDITED_TITLE, DESCRIPTION)
    shows_as_text(client, plan_url("plans:remiss_summary"), EDITED_TITLE)


def test_the_import_preview_its_errors_and_the_imported_rows_are_shown_escaped(
    filled, client_for, users, django_capture_on_commit_callbacks
):
    client = client_for(users["officer"])
    good, bad = filled["jobs"]["good"], filled["jobs"]["bad"]
    assert (good.status, bad.status) == (ImportJob.Status.READY, ImportJob.Status.REFUSED)
    shows_as_text(client, good.get_absolute_url(), IMPORT_FILENAME)
    shows_as_text(client, bad.get_absolute_url(), IMPORT_FILENAME, BAD_AMOUNT)  # the error quotes the cell
    shows_as_text(client, bad.get_absolute_url(), BAD_AMOUNT, HTTP_HX_REQUEST="true")
    shows_as_text(client, plan_url("plans:import"), IMPORT_FILENAME)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(plan_url("plans:import_confirm", job=good.pk)).status_code == 302
    good.refresh_from_db()
    assert good.status == ImportJob.Status.DONE
    shows_as_text(client, plan_url("plans:plan"), TITLE, IMPORTED_TITLE)
    shows_as_text(client, plan_url("plans:procurement", ref="2027-102"), IMPORTED_TITLE)
    shows_as_text(client, plan_url("plans:changes"))


def test_the_adoption_record_is_shown_escaped_also_to_the_public(filled, client_for, users, falun_plan):
    client = client_for(users["plan_admin"])
    adoption = {"action": "adopt", "adopted_on": REMISS_DAY.isoformat(), "minute_ref": MINUTE_REF}
    assert client.post(plan_url("plans:manage"), adoption).status_code == 302
    assert Plan.objects.get(pk=falun_plan.pk).adopted_on == REMISS_DAY
    shows_as_text(client, plan_url("plans:manage"), MINUTE_REF)
    anonymous = client_for(None)
    shows_as_text(anonymous, plan_url("plans:plan"), TITLE)
    shows_as_text(anonymous, plan_url("plans:procurement", ref=filled["ref"]), TITLE, FLAG_REASON)
    shows_as_text(anonymous, plan_url("plans:followup"))


def test_markup_typed_into_numbers_and_codes_comes_back_escaped(client_for, users, falun_plan, serv):
    officer = users["officer"]
    client = client_for(officer)
    bad = procurement_form(serv, officer, ref=img(20), estimated_value_sek=script(21), cpv=img(22))
    shows_as_text(
        client, client.post(plan_url("plans:procurement_create"), bad), img(20), script(21), img(22)
    )

    admin = client_for(users["plan_admin"])
    rubric = Rubric.objects.get(plan=falun_plan)
    data = {name: str(getattr(rubric, name)) for name in Rubric.EDITABLE_FIELDS}
    data |= {"weight_economic": img(23), "eu_threshold": script(24), "version": rubric.version, "save": "1"}
    shows_as_text(admin, admin.post(plan_url("plans:rubric"), data), img(23), script(24))

    window = {"action": "window", "remiss_starts": script(25), "remiss_ends": "2026-11-30"}
    shows_as_text(admin, admin.post(plan_url("plans:manage"), window), script(25), status=400)


def test_the_login_form_echoes_a_username_escaped(client_for, db):
    client = client_for(None)
    response = client.post(reverse("login"), {"username": img(30), "password": "fel"})
    shows_as_text(client, response, img(30))


def test_names_kept_in_the_admin_are_shown_escaped(client_for, users, falun_plan, serv):
    """Department and user names come from the admin (or an import creating departments)."""
    serv.name = "Omsorg " + script(40)
    serv.save()
    politician = users["politician"]
    politician.first_name = img(41)
    politician.save()
    procurement = ProcurementFactory(
        plan=falun_plan, ref="2027-201", department=serv, estimated_value_sek=150_000_000
    )
    client = client_for(politician)
    guidance = {"kind": "within_frame", "text": "Inom ramen."}
    assert client.post(plan_url("plans:guidance", ref=procurement.ref), guidance).status_code == 302
    shows_as_text(client, plan_url("plans:procurement", ref=procurement.ref), serv.name, img(41))
    shows_as_text(client, plan_url("plans:plan"), serv.name)
    shows_as_text(client, plan_url("plans:review"), serv.name)
    shows_as_text(client, plan_url("plans:brief"), serv.name)
