"""The manage page lists what is still open before the board adopts the plan: comments not yet handled,
and strategic procurements without guidance, each linked, with counts."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans.models import Comment, Guidance, Procurement
from plans.remiss import open_items
from tests.factories import ProcurementFactory

pytestmark = pytest.mark.usefixtures("in_remiss")

BIG = {"estimated_value_sek": 150_000_000}  # strategic for review on value alone


def manage_url(year=2027):
    return reverse("plans:manage", kwargs={"municipality": "falun", "year": year})


@pytest.fixture
def open_plan(falun_plan, serv, department_rep, politician):
    """Three strategic procurements (one with guidance), one that is not, and three comments."""
    soon = ProcurementFactory(
        plan=falun_plan, department=serv, ref="S-SOON", planned_advertisement=date(2026, 11, 2), **BIG
    )
    mid = ProcurementFactory(
        plan=falun_plan, department=serv, ref="S-MID", planned_advertisement=date(2027, 2, 1), **BIG
    )
    late = ProcurementFactory(
        plan=falun_plan, department=serv, ref="S-LATE", planned_advertisement=date(2027, 6, 1), **BIG
    )
    small = ProcurementFactory(plan=falun_plan, department=serv, ref="S-SMALL", estimated_value_sek=100_000)
    Guidance.objects.create(procurement=mid, kind="within_frame", text="Inom ramen.", user=politician)
    Comment.objects.create(procurement=small, user=department_rep, department=serv, text="Fel antal.")
    Comment.objects.create(procurement=late, user=department_rep, text="Klart.", handled=True, response="Ja.")
    # Answered but not marked handled: still open.
    Comment.objects.create(
        procurement=soon, user=department_rep, text="Och lotterna?", response="Vi ser över."
    )
    return falun_plan


def test_the_plan_administrator_sees_what_is_still_open(client_for, plan_admin, open_plan):
    response = client_for(plan_admin).get(manage_url())
    assert response.status_code == 200
    shown = response.context["open_items"]
    assert [c.text for c in shown.comments] == ["Fel antal.", "Och lotterna?"]  # oldest first
    assert shown.comments_count == 2
    # The most urgent requirements freeze first, as in the review queue.
    assert [item.procurement.ref for item in shown.without_guidance] == ["S-SOON", "S-LATE"]
    assert shown.without_guidance_count == 2 and shown.strategic_count == 3
    body = response.content.decode()
    for comment in shown.comments:
        assert f'href="/plans/falun/2027/{comment.procurement.ref}/#comment-{comment.pk}"' in body
    assert 'href="/plans/falun/2027/S-SOON/"' in body and 'href="/plans/falun/2027/S-LATE/"' in body
    assert 'href="/plans/falun/2027/S-MID/"' not in body  # it has guidance
    assert "Klart." not in body  # handled


@pytest.mark.parametrize(
    ("role", "status"),
    [("officer", 403), ("politician", 403), ("department_rep", 403), ("outsider", 404), ("anonymous", 302)],
)
def test_no_one_else_sees_the_open_items(role, status, users, client_for, open_plan):
    response = client_for(users[role]).get(manage_url())
    assert response.status_code == status
    assert "Fel antal." not in response.content.decode()


def test_with_nothing_open_the_page_says_so(client_for, plan_admin, falun_plan, serv):
    ProcurementFactory(plan=falun_plan, department=serv, estimated_value_sek=100_000)
    response = client_for(plan_admin).get(manage_url())
    shown = response.context["open_items"]
    assert shown.count == 0 and not shown.comments and not shown.without_guidance
    assert 'id="open-items"' in response.content.decode()


def test_an_adopted_plan_has_nothing_open_to_list(client_for, plan_admin, adopted_plan, serv):
    ProcurementFactory(plan=adopted_plan, department=serv, **BIG)
    response = client_for(plan_admin).get(manage_url(2017))
    assert response.status_code == 200
    assert response.context["open_items"] is None
    assert 'id="open-items"' not in response.content.decode()


def test_a_long_list_shows_the_first_ones_and_counts_them_all(
    client_for, plan_admin, open_plan, serv, department_rep, monkeypatch
):
    monkeypatch.setattr(open_items, "SHOWN", 1)
    response = client_for(plan_admin).get(manage_url())
    shown = response.context["open_items"]
    assert len(shown.comments) == 1 and shown.comments_count == 2 and shown.comments_more == 1
    assert len(shown.without_guidance) == 1 and shown.without_guidance_count == 2
    assert shown.without_guidance_more == 1


def test_the_open_items_cost_the_same_queries_however_many_there_are(
    client_for, plan_admin, open_plan, serv, department_rep, django_assert_max_num_queries
):
    client = client_for(plan_admin)
    client.get(manage_url())
    with CaptureQueriesContext(connection) as few:
        assert client.get(manage_url()).status_code == 200
    for n in range(12):
        procurement = ProcurementFactory(plan=open_plan, department=serv, ref=f"S-MORE-{n}", **BIG)
        Comment.objects.create(
            procurement=procurement, user=department_rep, department=serv, text=f"Fråga {n}"
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(manage_url())
    assert response.context["open_items"].comments_count == 14
    assert response.context["open_items"].without_guidance_count == 14
    assert Procurement.objects.filter(plan=open_plan, strategic=True).count() == 15
