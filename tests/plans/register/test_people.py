"""Every strategic procurement has its people (issue 14): the officer, the department's expert and the
politicians behind the guidance; the goals it serves; the orders it came from. The form, the page, the
plan page's filters, the review queue and the board brief."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from plans.followup.brief import plan_brief
from plans.followup.brief_pdf import brief_pdf
from plans.models import Category, Goal, Guidance, HistoryEntry, Order, Procurement
from plans.register import services
from plans.register.disclosure import CENTRE, PUBLIC
from tests.factories import ProcurementFactory
from tests.plans.register.test_procurement_pages import form_data, url

STRATEGIC = {"estimated_value_sek": 150_000_000, "possible_suppliers": 1, "business_critical": True}


@pytest.fixture
def goals(falun):
    return {
        "fossil": Goal.objects.create(municipality=falun, title="Fossilfritt Falun", target_year=2035),
        "organic": Goal.objects.create(municipality=falun, title="40 % ekologiskt", target_year=2020),
    }


@pytest.fixture
def foreign_goal(borlange):
    return Goal.objects.create(municipality=borlange, title="Borlänges mål")


def order_for(procurement, department, *, status="accepted", handled_by=None, title="Beställning"):
    return Order.objects.create(
        plan=procurement.plan,
        department=department,
        title=title,
        need="Behovet.",
        category=Category.SERVICES,
        estimated_value_sek=1_000_000,
        duration_months=24,
        status=status,
        procurement=procurement,
        handled_by=handled_by,
        handled_at=timezone.now() if handled_by else None,
    )


def page(client, procurement):
    return client.get(url("procurement", procurement)).content.decode()


# --- The form -------------------------------------------------------------------------------------


def test_an_officer_names_the_expert_and_the_goals_when_creating(
    client_for, officer, falun_plan, serv, goals
):
    template = ProcurementFactory.build(plan=falun_plan, department=serv, ref="2027-050")
    data = form_data(
        template,
        version="",
        expert_name="Karin Kock",
        expert_email="karin.kock@falun.se",
        goals=[goals["fossil"].pk, goals["organic"].pk],
    )
    response = client_for(officer).post(url("procurement_create", plan=falun_plan), data)
    assert response.status_code == 302
    created = Procurement.objects.get(plan=falun_plan, ref="2027-050")
    assert (created.expert_name, created.expert_email) == ("Karin Kock", "karin.kock@falun.se")
    assert set(created.goals.all()) == set(goals.values())


def test_the_form_offers_only_the_plans_municipalitys_goals(
    client_for, officer, procurement, goals, foreign_goal
):
    body = client_for(officer).get(url("procurement_edit", procurement)).content.decode()
    assert "Fossilfritt Falun" in body and "40 % ekologiskt" in body
    assert "Borlänges mål" not in body


def test_a_goal_of_another_municipality_is_refused_beside_the_field(
    client_for, officer, procurement, foreign_goal
):
    response = client_for(officer).post(
        url("procurement_edit", procurement), form_data(procurement, goals=[foreign_goal.pk])
    )
    assert response.status_code == 200
    assert 'id="id_goals_error"' in response.content.decode()
    procurement.refresh_from_db()
    assert procurement.version == 1 and not procurement.goals.exists()


@pytest.mark.parametrize(
    "email", ["karin", "karin@", "@falun.se", "karin kock@falun.se", "a" * 250 + "@x.se"]
)
def test_an_invalid_email_is_shown_beside_the_field_and_nothing_is_saved(
    client_for, officer, procurement, email
):
    response = client_for(officer).post(
        url("procurement_edit", procurement), form_data(procurement, expert_name="Karin", expert_email=email)
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('id="id_expert_email_error"') == 1
    procurement.refresh_from_db()
    assert procurement.version == 1 and procurement.expert_name == ""


def test_changing_the_goals_is_a_versioned_change_with_history(client_for, officer, procurement, goals):
    client = client_for(officer)
    response = client.post(
        url("procurement_edit", procurement), form_data(procurement, goals=[goals["fossil"].pk])
    )
    assert response.status_code == 302
    procurement.refresh_from_db()
    assert procurement.version == 2
    assert list(procurement.goals.all()) == [goals["fossil"]]
    entry = HistoryEntry.objects.filter(procurement=procurement, action="changed").get()
    assert entry.changes == {"goals": ["", "Fossilfritt Falun"]}

    # The same goals again, in another order, change nothing.
    client.post(
        url("procurement_edit", procurement),
        form_data(procurement, goals=[goals["fossil"].pk], expert_name=""),
    )
    procurement.refresh_from_db()
    assert procurement.version == 2

    client.post(
        url("procurement_edit", procurement),
        form_data(procurement, goals=[goals["organic"].pk, goals["fossil"].pk]),
    )
    procurement.refresh_from_db()
    assert procurement.version == 3
    latest = HistoryEntry.objects.filter(procurement=procurement, action="changed").first()
    assert latest.changes == {"goals": ["Fossilfritt Falun", "40 % ekologiskt, Fossilfritt Falun"]}
    # The page shows the history entry without failing.
    assert "40 % ekologiskt, Fossilfritt Falun" in page(client, procurement)


def test_a_stale_edit_of_the_goals_is_refused_and_compared(client_for, officer, procurement, goals):
    client = client_for(officer)
    loaded = form_data(procurement)
    client.post(url("procurement_edit", procurement), {**loaded, "goals": [goals["fossil"].pk]})
    response = client.post(url("procurement_edit", procurement), {**loaded, "goals": [goals["organic"].pk]})
    assert response.status_code == 200
    body = response.content.decode()
    conflict = body[body.index('class="table conflict"') :]
    assert "Fossilfritt Falun" in conflict and "40 % ekologiskt" in conflict
    procurement.refresh_from_db()
    assert list(procurement.goals.all()) == [goals["fossil"]]


def test_the_services_keep_working_without_goals(procurement, officer):
    """The order services save procurements without a goals key: nothing about the goals changes."""
    updated = services.procurement_update(
        procurement=procurement, data={"expert_name": "Per"}, expected_version=1, user=officer
    )
    assert updated.version == 2 and updated.expert_name == "Per"
    assert HistoryEntry.objects.filter(procurement=procurement).first().changes == {
        "expert_name": ["", "Per"]
    }


# --- The procurement page -------------------------------------------------------------------------


@pytest.fixture
def staffed(procurement, officer, politician, serv, omv, goals):
    """A strategic procurement with its officer, expert, guidance, goals and two orders."""
    officer.email = "officer@uhc.se"
    officer.save()
    for name, value in {**STRATEGIC, "officer": officer, "expert_name": "Karin Kock"}.items():
        setattr(procurement, name, value)
    procurement.expert_email = "karin.kock@falun.se"
    procurement.save()
    procurement.goals.set(goals.values())
    Guidance.objects.create(procurement=procurement, user=politician, kind="within_frame", text="Inom ram.")
    Guidance.objects.create(procurement=procurement, user=politician, kind="within_frame", text="Igen.")
    accepted = order_for(procurement, serv, handled_by=officer, title="Arbetskläder SERV")
    merged = order_for(procurement, omv, status="merged", handled_by=officer, title="Arbetskläder OMV")
    assert procurement.strategic
    return procurement, accepted, merged


@pytest.mark.parametrize("role", ["officer", "plan_admin", "politician", "department_rep"])
def test_the_page_shows_the_people_the_goals_and_the_orders(role, users, client_for, staffed, politician):
    procurement, accepted, merged = staffed
    body = page(client_for(users[role]), procurement)
    people = body[body.index('id="people"') : body.index('id="goals"')]
    assert 'href="mailto:officer@uhc.se"' in people
    assert "Karin Kock" in people and 'href="mailto:karin.kock@falun.se"' in people
    assert people.count(str(politician)) == 1  # once, however many times they gave guidance
    for order in (accepted, merged):
        assert reverse("plans:order", args=["falun", 2027, order.pk]) in people
    assert "Serviceförvaltningen" in people and "Omvårdnadsförvaltningen" in people
    assert timezone.localtime(accepted.created_at).date().isoformat() in people
    served = body[body.index('id="goals"') :]
    goals_url = reverse("plans:goals", args=["falun"])
    assert served.count(f'href="{goals_url}#goal-') == 2
    assert "Fossilfritt Falun" in served


def test_the_page_for_an_outsider_is_404(client_for, outsider, staffed):
    assert client_for(outsider).get(url("procurement", staffed[0])).status_code == 404


def test_declined_and_waiting_orders_are_not_named_as_ordering(client_for, officer, procurement, serv):
    waiting = Order.objects.create(
        plan=procurement.plan,
        department=serv,
        title="Väntar",
        need="x",
        category=Category.GOODS,
        estimated_value_sek=1,
        duration_months=12,
    )
    body = page(client_for(officer), procurement)
    assert reverse("plans:order", args=["falun", 2027, waiting.pk]) not in body


def test_a_strategic_procurement_without_people_says_so(client_for, officer, procurement):
    for name, value in STRATEGIC.items():
        setattr(procurement, name, value)
    procurement.save()
    body = page(client_for(officer), procurement)
    people = body[body.index('id="people"') : body.index('id="goals"')]
    assert people.count('class="tag"') == 2  # no officer, no expert


def test_the_page_takes_the_same_queries_however_many_people_goals_and_orders(
    client_for, officer, politician, procurement, serv, omv, falun, django_assert_max_num_queries
):
    client = client_for(officer)
    order_for(procurement, serv, handled_by=officer)
    procurement.goals.add(Goal.objects.create(municipality=falun, title="Ett mål"))
    Guidance.objects.create(procurement=procurement, user=politician, kind="within_frame", text="a")
    page(client, procurement)
    with django_assert_max_num_queries(60) as few:
        page(client, procurement)
    for number in range(5):
        order_for(procurement, omv, status="merged", handled_by=officer, title=f"O{number}")
        procurement.goals.add(Goal.objects.create(municipality=falun, title=f"Mål {number}"))
        Guidance.objects.create(procurement=procurement, user=officer, kind="within_frame", text="b")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page(client, procurement)


# --- The plan page's filters ----------------------------------------------------------------------


@pytest.fixture
def plan_rows(falun_plan, serv, omv, officer, goals):
    rows = {
        "Staffed": ProcurementFactory(
            plan=falun_plan, department=serv, title="Staffed", officer=officer, expert_name="Karin"
        ),
        "NoExpert": ProcurementFactory(plan=falun_plan, department=serv, title="NoExpert", officer=officer),
        "NoOfficer": ProcurementFactory(
            plan=falun_plan, department=omv, title="NoOfficer", expert_name="Per"
        ),
        "Nobody": ProcurementFactory(plan=falun_plan, department=omv, title="Nobody"),
    }
    rows["Staffed"].goals.set([goals["fossil"], goals["organic"]])
    rows["Nobody"].goals.set([goals["fossil"]])
    return rows


def shown(client, plan, params):
    body = client.get(reverse("plans:plan", args=["falun", plan.year]), params).content.decode()
    return {title for title in ("Staffed", "NoExpert", "NoOfficer", "Nobody") if f">{title}</a>" in body}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"Staffed", "NoExpert", "NoOfficer", "Nobody"}),
        ({"no_expert": "1"}, {"NoExpert", "Nobody"}),
        ({"no_expert": "true"}, {"NoExpert", "Nobody"}),
        ({"no_expert": "0"}, {"Staffed", "NoExpert", "NoOfficer", "Nobody"}),
        ({"no_expert": ""}, {"Staffed", "NoExpert", "NoOfficer", "Nobody"}),
        ({"no_officer": "1"}, {"NoOfficer", "Nobody"}),
        ({"no_officer": "on"}, {"NoOfficer", "Nobody"}),
        ({"no_expert": "1", "no_officer": "1"}, {"Nobody"}),
        ({"goal": "fossil"}, {"Staffed", "Nobody"}),
        ({"goal": "organic"}, {"Staffed"}),
        ({"goal": "organic", "no_expert": "1"}, set()),
        ({"goal": "fossil", "no_expert": "1"}, {"Nobody"}),
        ({"goal": "fossil", "department": "SERV"}, {"Staffed"}),
        ({"no_officer": "1", "department": "OMV", "q": "nobody"}, {"Nobody"}),
    ],
)
def test_the_people_and_goal_filters(params, expected, client_for, officer, falun_plan, plan_rows, goals):
    params = {key: str(goals[value].pk) if key == "goal" else value for key, value in params.items()}
    assert shown(client_for(officer), falun_plan, params) == expected


@pytest.mark.parametrize("value", ["abc", "99999", "foreign"])
def test_a_goal_that_is_not_the_municipalitys_is_ignored_with_a_message(
    value, client_for, officer, falun_plan, plan_rows, foreign_goal
):
    value = str(foreign_goal.pk) if value == "foreign" else value
    client = client_for(officer)
    response = client.get(reverse("plans:plan", args=["falun", 2027]), {"goal": value, "no_expert": "1"})
    assert response.status_code == 200
    assert "ignorerades" in response.content.decode()
    assert shown(client, falun_plan, {"goal": value, "no_expert": "1"}) == {"NoExpert", "Nobody"}


def test_the_filter_form_shows_the_new_filters_with_their_state(
    client_for, officer, falun_plan, plan_rows, goals
):
    body = (
        client_for(officer)
        .get(reverse("plans:plan", args=["falun", 2027]), {"no_expert": "1", "goal": goals["organic"].pk})
        .content.decode()
    )
    assert re.search(r'<input type="checkbox" name="no_expert" value="1"[^>]*checked', body)
    assert re.search(r'<input type="checkbox" name="no_officer" value="1"(?![^>]*checked)[^>]*>', body)
    assert f'<option value="{goals["organic"].pk}" selected>40 % ekologiskt</option>' in body


def test_the_filtered_plan_page_takes_the_same_queries_however_many_rows(
    client_for, officer, falun_plan, serv, goals, django_assert_max_num_queries
):
    client = client_for(officer)
    params = {"no_expert": "1", "no_officer": "1", "goal": goals["fossil"].pk}
    for procurement in ProcurementFactory.create_batch(3, plan=falun_plan, department=serv):
        procurement.goals.add(goals["fossil"])
    client.get(reverse("plans:plan", args=["falun", 2027]), params)
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("plans:plan", args=["falun", 2027]), params)
    for procurement in ProcurementFactory.create_batch(40, plan=falun_plan, department=serv):
        procurement.goals.add(goals["fossil"], goals["organic"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("plans:plan", args=["falun", 2027]), params)
    assert response.content.decode().count('class="nowrap"><a href="/plans/falun/2027/') == 43


def test_the_export_honours_the_new_filters(client_for, officer, falun_plan, plan_rows):
    response = client_for(officer).get(
        reverse("plans:export", args=["falun", 2027, "csv"]), {"no_expert": "1", "no_officer": "1"}
    )
    lines = response.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 2 and "Nobody" in lines[1]


# --- The review queue and the board brief --------------------------------------------------------


def test_the_review_queue_shows_the_officer_and_the_expert(
    in_remiss, client_for, politician, staffed, falun_plan
):
    procurement = staffed[0]
    bare = ProcurementFactory(plan=falun_plan, department=procurement.department, ref="2027-900", **STRATEGIC)
    body = client_for(politician).get(reverse("plans:review", args=["falun", 2027])).content.decode()
    item = body[body.index(f'id="item-{procurement.ref}"') : body.index(f'id="item-{bare.ref}"')]
    assert str(procurement.officer) in item
    assert 'href="mailto:karin.kock@falun.se">Karin Kock</a>' in item
    bare_item = body[body.index(f'id="item-{bare.ref}"') :]
    assert bare_item[: bare_item.index("</li>")].count('class="tag"') >= 2


def test_the_brief_shows_the_officer_and_the_expert(client_for, politician, staffed, falun_plan):
    procurement = staffed[0]
    (item,) = plan_brief(plan=falun_plan, quarter=None, disclosure=PUBLIC).items
    assert item.officer == str(procurement.officer)
    assert (item.expert, item.expert_email) == ("Karin Kock", "karin.kock@falun.se")
    body = client_for(politician).get(reverse("plans:brief", args=["falun", 2027])).content.decode()
    assert 'href="mailto:karin.kock@falun.se">Karin Kock</a>' in body
    assert str(procurement.officer) in body


def test_the_brief_pdf_is_drawn_with_and_without_people(staffed, falun_plan, serv):
    ProcurementFactory(plan=falun_plan, department=serv, ref="2027-901", **STRATEGIC)
    brief = plan_brief(plan=falun_plan, quarter=None, disclosure=CENTRE)
    assert sorted(bool(item.expert) for item in brief.items) == [False, True]
    assert brief_pdf(brief).startswith(b"%PDF")


def test_the_brief_takes_the_same_queries_however_many_procurements(
    falun_plan, serv, officer, django_assert_num_queries
):
    ProcurementFactory(plan=falun_plan, department=serv, officer=officer, **STRATEGIC)
    plan_brief(plan=falun_plan, quarter=None, disclosure=PUBLIC)
    # The blocks (3), and the "social hänsyn" section of issue 18 (3: the counts, the labour reserve, the
    # decisions on matches).
    with django_assert_num_queries(6) as few:
        plan_brief(plan=falun_plan, quarter=None, disclosure=PUBLIC)
    ProcurementFactory.create_batch(5, plan=falun_plan, department=serv, officer=officer, **STRATEGIC)
    with django_assert_num_queries(len(few.captured_queries)):
        plan_brief(plan=falun_plan, quarter=None, disclosure=PUBLIC)
