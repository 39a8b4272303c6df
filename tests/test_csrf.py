"""
CSRF on every POST.

Each form of the project is posted as the role it is for, with valid data and the CSRF cookie a browser
would send, but without the token a foreign page cannot know: the answer is 403 and not one row of the
database changes. The same POST with the token then goes through, so the refusal was the CSRF check's
and not the data's. The login forms (the site's and the admin's) are among them: a forged login would
sign the victim in as the attacker.

Besides, every URL of the access matrix (tests/test_access_matrix.py), GET-only ones included, refuses a
POST without the token for every role: no view is exempt but the one-click unsubscribe of the suppliers'
alerts (issue 17, RFC 8058), whose POST a mail program sends with no page to take a token from; there the
signed link is the proof, and a link that is not one changes nothing.
"""

from dataclasses import dataclass, field
from datetime import date

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.crypto import get_random_string

from plans.followup.services import targets_version
from plans.models import ImportJob, Plan, Procurement, Rubric, Subscription
from plans.pipeline import alerts
from tests.factories import PASSWORD, MunicipalityFactory, ProcurementFactory, UserFactory
from tests.test_access_matrix import (
    CASES,
    DRAFT,
    GLOBAL,
    GOAL_TITLE,
    ROLES,
    falun_goal,
    make_world,
    url_of,
)

# The URLs that take a POST without the token, and why: RFC 8058's one-click unsubscribe, posted by a
# mail program from the List-Unsubscribe-Post header of an alert (issue 17).
CSRF_EXEMPT = {"pipeline:unsubscribe"}

# The secret in the CSRF cookie; sent back as the form's token it is accepted (Django takes it masked or
# not), which is what the page's {% csrf_token %} would have given.
TOKEN = get_random_string(32)


pytestmark = pytest.mark.usefixtures("in_remiss", "media")


@pytest.fixture
def world(users, falun_plan, adopted_plan, borlange, serv):
    world = make_world(
        users=users, draft_plan=falun_plan, adopted_plan=adopted_plan, borlange=borlange, serv=serv
    )
    # A contract running out within the radar's lead time, to carry over into the 2027 plan.
    world.ending = ProcurementFactory(
        plan=adopted_plan,
        ref="2017-009",
        title="Parkskötsel",
        department=serv,
        current_contract_ends=date(2027, 1, 31),
    )
    world.ready_job = ImportJob.objects.create(
        plan=falun_plan, user=users["officer"], file="imports/ready.csv", filename="ready.csv",
        status=ImportJob.Status.READY, result={"total": 1, "created": ["2027-050"]},
    )  # fmt: skip
    world.superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    # Issue 16: procurements in no coordinated procurement yet, of Falun, Borlänge and Ludvika.
    world.free = {
        "falun": Procurement.objects.get(plan=falun_plan, ref="2027-002"),
        "borlange": ProcurementFactory(plan=Plan.objects.get(municipality=borlange, year=2027), ref="B-002"),
        "ludvika": ProcurementFactory(
            plan__municipality=MunicipalityFactory(
                slug="ludvika", name="Ludvika kommun", centre=borlange.centre
            ),
            ref="L-001",
        ),
    }
    # The order window open on the day of the posts, so that the department may order (issue 14).
    Plan.objects.filter(pk=falun_plan.pk).update(order_starts=date(2026, 9, 1), order_ends=date(2026, 9, 30))
    return world


def csrf_client(user=None) -> Client:
    """A client that checks CSRF as a browser's request is checked, holding the CSRF cookie."""
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    client.cookies[settings.CSRF_COOKIE_NAME] = TOKEN
    return client


def database() -> dict:
    """Every row of every table, to see that nothing changed."""
    return {
        model._meta.label: sorted(repr(row) for row in model.objects.values_list())
        for model in apps.get_models()
    }


def plan_url(name, year=2027, **kwargs):
    return reverse(name, kwargs={"municipality": "falun", "year": year, **kwargs})


def procurement_data(world, **changes):
    procurement = world.procurements["draft"]
    data = {
        "ref": procurement.ref, "title": procurement.title, "description": "Ny beskrivning.",
        "department": procurement.department_id, "category": procurement.category, "cpv": procurement.cpv,
        "estimated_value_sek": "3 000 000", "duration_months": "48", "planned_advertisement": "2027-03-01",
        "procedure": procurement.procedure, "possible_suppliers": "5", "climate_impact": "low",
        "environmental_level": "none", "version": procurement.version,
    }  # fmt: skip
    return {**data, **changes}


def rubric_data(world):
    rubric = Rubric.objects.get(plan=world.procurements["draft"].plan)
    data = {name: str(getattr(rubric, name)) for name in Rubric.EDITABLE_FIELDS}
    return {
        **data,
        "weight_economic": "0.50",
        "weight_social": "0.10",
        "version": rubric.version,
        "save": "1",
    }


def targets_data(world):
    data = {"target-average_bids": "4.5"}
    for key, value in [
        ("average_bids", "4.7"),
        ("single_bid_share", "17"),
        ("sme_share", "76"),
        ("appeal_rate", "6"),
    ]:
        data |= {
            f"national-{key}-year": "2025",
            f"national-{key}-value": value,
            f"national-{key}-source": "UHM",
        }
    plan = Plan.objects.get(pk=world.procurements["draft"].plan_id)
    return {**data, "target-version": targets_version(plan)}


def window_data(world):
    plan = Plan.objects.get(pk=world.procurements["draft"].plan_id)
    data = {"action": "window", "remiss_starts": "2026-08-01", "remiss_ends": "2026-12-15"}
    return {**data, "version": getattr(plan, "version", "")}


def publication_data(world):
    plan = Plan.objects.get(pk=world.procurements["draft"].plan_id)
    return {
        "action": "publication",
        "publish_draft": "on",
        "show_officer_email": "on",
        "version": plan.version,
    }


def import_data(world):
    rows = "Ref;Benämning;Förvaltning\r\n2027-060;Snöröjning;SERV\r\n"
    return {"file": SimpleUploadedFile("plan.csv", rows.encode("utf-8"), content_type="text/csv")}


def order_data(world, **changes):
    data = {
        "title": "Arbetskläder", "need": "Kläder som tål tvätt.", "category": "goods",
        "estimated_value_sek": "2 600 000", "duration_months": "48", "budget_status": "within_frame",
        "environmental_level": "none",
    }  # fmt: skip
    return {**data, **changes}


def order_url(world, name="plans:order"):
    return plan_url(name, order=world.orders["draft"].pk)


def order_import_data(world):
    rows = "Benämning;Behov;Kategori;Uppskattat värde SEK;Avtalstid mån\r\n"
    rows += "Snöröjning;Vägarna;Tjänst;900000;36\r\n"
    return {"file": SimpleUploadedFile("orders.csv", rows.encode("utf-8"), content_type="text/csv")}


def enterprise_data(world, **changes):
    municipality = Plan.objects.get(pk=world.procurements["draft"].plan_id).municipality_id
    return {"municipality": municipality, "cpv_codes": "98310000", "capacity": "4", **changes}


def enterprise_import_data(world):
    content = "Namn;Organisationsnummer;Kommun;CPV-koder\nTvättkooperativet;769634-5672;falun;98310000\n"
    return {"file": SimpleUploadedFile("register.csv", content.encode("utf-8"), content_type="text/csv")}


def ref(world):
    return world.procurements["draft"].ref


@dataclass
class Post:
    """A form posted as the role it is for, with data that the view accepts."""

    id: str
    role: str
    url: object  # world -> address
    data: object = lambda world: {}  # world -> fresh data (an upload can be read only once)
    headers: dict = field(default_factory=dict)
    ok: tuple = (302,)  # the answer when the token is there
    name: str = ""  # the URL name in the access matrix, when it differs from id

    @property
    def url_name(self):
        return self.name or self.id


POSTS = [
    Post("login", "anonymous", lambda w: reverse("login"),
         lambda w: {"username": "politician", "password": PASSWORD}),
    Post("logout", "politician", lambda w: reverse("logout")),
    Post("set_language", "anonymous", lambda w: reverse("set_language"),
         lambda w: {"language": "en", "next": "/"}),
    Post("plans:calendar_link", "politician", lambda w: reverse("plans:calendar_link")),
    Post("plans:carry_over", "officer", lambda w: reverse("plans:carry_over", args=[w.ending.pk])),
    Post("plans:procurement_create", "officer", lambda w: plan_url("plans:procurement_create"),
         lambda w: procurement_data(w, ref="2027-010", title="Snöröjning", version="")),
    Post("plans:procurement_edit", "officer", lambda w: plan_url("plans:procurement_edit", ref=ref(w)),
         lambda w: procurement_data(w, title="Ny titel")),
    Post("plans:procurement_delete", "officer", lambda w: plan_url("plans:procurement_delete", ref=ref(w))),
    Post("plans:procurement_flag", "officer", lambda w: plan_url("plans:procurement_flag", ref=ref(w)),
         lambda w: {"flagged": "1", "reason": "Stor och svår."}),
    Post("plans:rubric", "plan_admin", lambda w: plan_url("plans:rubric"), rubric_data),
    Post("plans:manage", "plan_admin", lambda w: plan_url("plans:manage"), window_data),
    Post("plans:manage (publication)", "plan_admin", lambda w: plan_url("plans:manage"), publication_data,
         name="plans:manage"),
    Post("plans:targets", "plan_admin", lambda w: plan_url("plans:targets"), targets_data),
    Post("plans:import", "officer", lambda w: plan_url("plans:import"), import_data),
    Post("plans:import_confirm", "officer", lambda w: plan_url("plans:import_confirm", job=w.ready_job.pk)),
    Post("plans:guidance", "politician", lambda w: plan_url("plans:guidance", ref=ref(w)),
         lambda w: {"kind": "within_frame", "text": "Inom ramen."}),
    Post("plans:guidance (htmx)", "politician", lambda w: plan_url("plans:guidance", ref=ref(w)),
         lambda w: {"kind": "within_frame", "text": "Inom ramen."}, headers={"HTTP_HX_REQUEST": "true"},
         ok=(200,), name="plans:guidance"),
    Post("plans:involvement", "politician", lambda w: plan_url("plans:involvement", ref=ref(w)),
         lambda w: {"text": "Vi vill vara med tidigt."}),
    Post("plans:comment", "department_rep", lambda w: plan_url("plans:comment", ref=ref(w)),
         lambda w: {"text": "Behovet är rätt beskrivet."}),
    Post("plans:answer", "officer",
         lambda w: plan_url("plans:answer", ref=ref(w), comment=w.comments["draft"].pk),
         lambda w: {"response": "Tack.", "handled": "on"}),
    Post("plans:confirm", "department_rep", lambda w: plan_url("plans:confirm", ref=ref(w))),
    Post("plans:outcome", "officer", lambda w: plan_url("plans:outcome", ref=ref(w)),
         lambda w: {"status": "advertised", "advertised_on": "2026-09-01", "version": "0"}),
    Post("plans:order_create", "department_rep", lambda w: plan_url("plans:order_create"), order_data),
    Post("plans:order", "department_rep", order_url,
         lambda w: {"action": "answer", "answer-version": w.orders["draft"].version, "answer-text": "400."}),
    Post("plans:order_edit", "department_rep", lambda w: order_url(w, "plans:order_edit"),
         lambda w: order_data(w, version=w.orders["draft"].version)),
    Post("plans:order_import", "department_rep", lambda w: plan_url("plans:order_import"), order_import_data),
    Post("plans:goal_create", "plan_admin", lambda w: reverse("plans:goal_create", args=["falun"]),
         lambda w: {"title": "Koldioxidutsläppen −60 % till 2020", "target_value": "−60", "unit": "%"}),
    Post("plans:goal_edit", "plan_admin", lambda w: reverse("plans:goal_edit", args=["falun", falun_goal()]),
         lambda w: {"title": GOAL_TITLE, "target_year": "2035", "version": "1"}),
    Post("plans:goal_delete", "plan_admin",
         lambda w: reverse("plans:goal_delete", args=["falun", falun_goal()]),
         lambda w: {"version": "1", "links": "0"}),
    Post("centre:capacity_assign", "officer",
         lambda w: reverse("centre:capacity_assign", args=["uhc", 2017, w.procurements["adopted"].pk]),
         lambda w: {"officer": w.users["officer"].pk, "version": w.procurements["adopted"].version}),
    Post("centre:capacity_edit", "plan_admin", lambda w: reverse("centre:capacity_edit", args=["uhc", 2027]),
         lambda w: {"part": "weights", "version": "1", "strategic": "4", "leverage": "2", "bottleneck": "2",
                    "routine": "1", "direct_award": "0,5"}),
    Post("centre:coordination_create", "officer",
         lambda w: reverse("centre:coordination_create", args=["uhc", 2027]),
         lambda w: {"procurement": [w.free["falun"].pk, w.free["borlange"].pk], "lead": w.free["falun"].pk}),
    Post("centre:coordination_join", "officer",
         lambda w: reverse("centre:coordination_join", args=["uhc", 2027, w.group]),
         lambda w: {"procurement": [w.free["ludvika"].pk], "version": "1"}),
    Post("centre:coordination_leave", "officer",
         lambda w: reverse("centre:coordination_leave",
                           args=["uhc", 2027, w.group, w.procurements["draft"].pk]),
         lambda w: {"version": "1"}),
    Post("centre:coordination_dissolve", "officer",
         lambda w: reverse("centre:coordination_dissolve", args=["uhc", 2027, w.group]),
         lambda w: {"version": "1"}),
    Post("centre:coordination_settings", "plan_admin",
         lambda w: reverse("centre:coordination_settings", args=["uhc", 2027]),
         lambda w: {"cpv_digits": "4", "months": "3", "version": "1"}),
    # Issue 17: a supplier follows a search, and confirms it from the mail's link.
    Post("pipeline:subscribe", "anonymous", lambda w: reverse("pipeline:subscribe"),
         lambda w: {"email": "ny@leverantor.example", "query": "municipality=falun&q=parkering"}),
    Post("pipeline:confirm", "anonymous",
         lambda w: reverse("pipeline:confirm", args=[alerts.confirm_token(w.subscription)]), ok=(200,)),
    # Issue 18: the register of social enterprises, the decision on a match, the labour reserve.
    Post("social:enterprise_new", "officer", lambda w: reverse("social:enterprise_new", args=["uhc"]),
         lambda w: enterprise_data(w, name="Nytt kooperativ", org_number="769612-3400", version="")),
    Post("social:enterprise_edit", "officer",
         lambda w: reverse("social:enterprise_edit", args=["uhc", w.enterprise]),
         lambda w: enterprise_data(w, name="Omdöpt kooperativ", org_number="802487-6545", version="1")),
    Post("social:enterprise_delete", "officer",
         lambda w: reverse("social:enterprise_delete", args=["uhc", w.enterprise]),
         lambda w: {"version": "1"}),
    Post("social:enterprise_import", "officer", lambda w: reverse("social:enterprise_import", args=["uhc"]),
         enterprise_import_data),
    Post("plans:social_decision", "officer", lambda w: plan_url("plans:social_decision", ref=ref(w)),
         lambda w: {"decision": "reserved", "reason": "Ett kooperativ kan ta det.", "version": "0"}),
    Post("social:labour_reserve_new", "plan_admin",
         lambda w: reverse("social:labour_reserve_new", args=["uhc", "falun"]),
         lambda w: {"year": "2018", "outside": "2600", "reached": "820", "version": ""}),
    Post("social:labour_reserve_edit", "plan_admin",
         lambda w: reverse("social:labour_reserve_edit", args=["uhc", "falun", 2027]),
         lambda w: {"year": "2027", "outside": "2547", "reached": "810", "version": "1"}),
    Post("admin:login", "anonymous", lambda w: reverse("admin:login"),
         lambda w: {"username": "root", "password": PASSWORD, "next": "/admin/"}),
]  # fmt: skip


def test_every_url_that_takes_a_post_has_a_case_here():
    posting = {name for name, methods in {**DRAFT, **GLOBAL}.items() if methods.get("POST", "405") != "405"}
    assert posting <= {post.url_name for post in POSTS} | CSRF_EXEMPT
    assert not CSRF_EXEMPT - {case.name for case in CASES}, "an exemption of a URL that no longer exists"


@pytest.mark.parametrize("post", POSTS, ids=lambda post: post.id)
def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(post, world):
    user = world.superuser if post.id == "admin:login" else world.users[post.role]
    # Who logs in starts anonymous; everyone else is logged in already.
    client = csrf_client(None if post.role == "anonymous" else user)
    url = post.url(world)
    before = database()
    refused = client.post(url, post.data(world), **post.headers)
    assert refused.status_code == 403
    assert database() == before
    assert settings.LANGUAGE_COOKIE_NAME not in refused.cookies

    accepted = client.post(url, {**post.data(world), "csrfmiddlewaretoken": TOKEN}, **post.headers)
    assert accepted.status_code in post.ok, accepted.content.decode()[:2000]
    if post.id == "set_language":
        assert accepted.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    else:
        assert database() != before


def test_htmx_sends_the_token_in_a_header_and_that_is_accepted_too(world):
    client = csrf_client(world.users["politician"])
    url = plan_url("plans:guidance", ref=ref(world))
    data = {"kind": "within_frame", "text": "Inom ramen."}
    assert (
        client.post(url, data, HTTP_HX_REQUEST="true", HTTP_X_CSRFTOKEN=get_random_string(32)).status_code
        == 403
    )
    assert client.post(url, data, HTTP_HX_REQUEST="true", HTTP_X_CSRFTOKEN=TOKEN).status_code == 200


def test_the_login_page_hands_out_the_token_it_asks_for(world):
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("login"))
    assert 'name="csrfmiddlewaretoken"' in page.content.decode()
    assert settings.CSRF_COOKIE_NAME in client.cookies


@pytest.mark.parametrize("role", ROLES)
def test_no_url_of_the_project_takes_a_post_without_the_token(role, world):
    client = csrf_client(world.users[role])
    before = database()
    unprotected = []
    for case in CASES:
        if case.name in CSRF_EXEMPT:
            continue  # tested below
        url = url_of(case, world, role)
        if client.post(url, {"probe": "1"}).status_code != 403:
            unprotected.append(url)
    assert not unprotected
    assert database() == before


def test_the_one_click_unsubscribe_takes_a_post_without_the_token_only_with_its_signed_link(world):
    """RFC 8058: the mail program posts "List-Unsubscribe=One-Click" to the link of the header, with no
    token. A link that is not the signed one (tampered with, or another link's) changes nothing; the
    signed one deletes its own subscription and nothing else."""
    client = csrf_client(None)
    data = {"List-Unsubscribe": "One-Click"}
    token = alerts.unsubscribe_token(world.subscription)
    before = database()
    for wrong in (
        token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB"),
        alerts.confirm_token(world.subscription),
    ):
        assert client.post(reverse("pipeline:unsubscribe", args=[wrong]), data).status_code == 400
    assert database() == before
    assert client.post(reverse("pipeline:unsubscribe", args=[token]), data).status_code == 200
    after = database()
    assert {table for table in before if before[table] != after[table]} == {"plans.Subscription"}
    assert not Subscription.objects.filter(pk=world.subscription.pk).exists()
