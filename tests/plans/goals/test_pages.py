"""The goals pages (issue 14): who reads them, who keeps the goals, and what bad input and stale edits get."""

from decimal import Decimal

import pytest
from django.urls import reverse

from plans.models import Goal, Order
from tests.factories import ProcurementFactory
from tests.forms import versions_of

READERS = ("officer", "plan_admin", "politician", "department_rep")


@pytest.fixture
def goal(falun):
    return Goal.objects.create(
        municipality=falun,
        title="Fossilfritt Falun 2035",
        target_year=2035,
        measured_by="Fossila bränslen i kommunens egna fordon och uppvärmning.",
    )


@pytest.fixture
def organic(falun):
    return Goal.objects.create(
        municipality=falun,
        title="40 % ekologiska livsmedel i kommunens kök",
        target_value=Decimal("40"),
        unit="%",
        target_year=2020,
        reached=Decimal("31"),
        reached_year=2017,
    )


def goals_url(slug="falun"):
    return reverse("plans:goals", args=[slug])


def edit_url(goal):
    return reverse("plans:goal_edit", args=[goal.municipality.slug, goal.pk])


def delete_url(goal):
    return reverse("plans:goal_delete", args=[goal.municipality.slug, goal.pk])


def order_for(plan, department, **fields):
    values = {"title": "Elbilar", "need": "Bilar", "category": "goods", "estimated_value_sek": 1_000_000}
    return Order.objects.create(plan=plan, department=department, duration_months=24, **(values | fields))


FORM = {
    "title": "Koldioxidutsläppen −60 % till 2020",
    "target_value": "−60",
    "unit": "%",
    "target_year": "2020",
    "measured_by": "Miljöprogrammet",
    "reached": "−30",
    "reached_year": "2017",
}


# --- Reading --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [*((role, 200) for role in READERS), ("outsider", 404)],
)
def test_the_goals_page_per_role(role, status, users, client_for, goal, organic, falun_plan, serv):
    procurement = ProcurementFactory(plan=falun_plan, department=serv, ref="2027-010")
    procurement.goals.add(organic)
    order_for(falun_plan, serv).goals.add(organic)
    order_for(falun_plan, serv, title="Mejeri").goals.add(organic)
    response = client_for(users[role]).get(goals_url())
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        counts = {g.title: (g.procurement_count, g.order_count) for g in response.context["goals"]}
        assert counts == {goal.title: (0, 0), organic.title: (1, 2)}
        assert f"/plans/falun/2027/?goal={organic.pk}" in page
        assert "40\u00a0%" in page and "31\u00a0%" in page
        assert ("/goals/new/" in page) is (role == "plan_admin")
        assert (edit_url(goal) in page) is (role == "plan_admin")


def test_an_anonymous_visitor_is_sent_to_log_in(client, goal):
    response = client.get(goals_url())
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_an_unknown_municipality_is_a_404_like_another_municipality(client_for, politician):
    assert client_for(politician).get(goals_url("ludvika")).status_code == 404


def test_the_outsider_sees_their_own_municipality_s_goals_and_not_falun_s(
    client_for, outsider, borlange, goal
):
    Goal.objects.create(municipality=borlange, title="Borlänges mål")
    response = client_for(outsider).get(goals_url("borlange"))
    assert response.status_code == 200
    assert "Borlänges mål" in response.content.decode() and goal.title not in response.content.decode()
    assert client_for(outsider).get(edit_url(goal)).status_code == 404


def test_the_filter_link_goes_to_the_newest_plan_the_reader_may_see(
    client_for, politician, goal, adopted_plan, falun_plan
):
    page = client_for(politician).get(goals_url()).content.decode()
    assert f"/plans/falun/2027/?goal={goal.pk}" in page
    assert "/plans/falun/2017/?goal=" not in page


def test_the_page_counts_in_a_fixed_number_of_queries(
    client_for, politician, falun, falun_plan, serv, django_assert_max_num_queries
):
    for n in range(12):
        goal = Goal.objects.create(municipality=falun, title=f"Mål {n}")
        ProcurementFactory(plan=falun_plan, department=serv, ref=f"2027-{n:03}").goals.add(goal)
    client = client_for(politician)
    with django_assert_max_num_queries(8):
        assert client.get(goals_url()).status_code == 200


# --- Keeping the goals ----------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "status"), [("officer", 403), ("politician", 403), ("department_rep", 403),
                                              ("outsider", 404), ("anonymous", 302)])  # fmt: skip
def test_only_the_plan_administrator_adds_goals(role, status, users, client_for, falun):
    response = client_for(users[role]).post(reverse("plans:goal_create", args=["falun"]), FORM)
    assert response.status_code == status
    assert not Goal.objects.exists()


def test_the_plan_administrator_adds_a_goal_with_negative_figures(client_for, plan_admin, falun):
    client = client_for(plan_admin)
    assert client.get(reverse("plans:goal_create", args=["falun"])).status_code == 200
    response = client.post(reverse("plans:goal_create", args=["falun"]), FORM)
    assert response.status_code == 302 and response["Location"] == goals_url()
    goal = Goal.objects.get()
    assert (goal.municipality, goal.target_value, goal.reached, goal.target_year, goal.reached_year) == (
        falun,
        Decimal("-60"),
        Decimal("-30"),
        2020,
        2017,
    )
    assert "\u221260\u00a0%" in client.get(goals_url()).content.decode()


def test_a_duplicate_title_is_refused_beside_the_title(client_for, plan_admin, goal, borlange):
    client = client_for(plan_admin)
    response = client.post(
        reverse("plans:goal_create", args=["falun"]), FORM | {"title": " fossilfritt  FALUN 2035"}
    )
    assert response.status_code == 400
    assert 'id="id_title_error"' in response.content.decode()
    assert Goal.objects.count() == 1
    # The same title in another municipality is another goal.
    assert (
        client.post(reverse("plans:goal_create", args=["borlange"]), FORM | {"title": goal.title}).status_code
        == 302
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", ""),
        ("target_value", "fyrtio"),
        ("target_value", "1,234"),
        ("target_value", "1e3"),  # a number to Python, not as anyone writes a goal
        ("reached", "Infinity"),
        ("target_year", "1850"),
        ("reached_year", "3000"),
        ("reached", ""),
    ],
)
def test_bad_input_is_refused_beside_the_field(client_for, plan_admin, falun, field, value):
    response = client_for(plan_admin).post(
        reverse("plans:goal_create", args=["falun"]), FORM | {field: value}
    )
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Goal.objects.exists()


def test_the_plan_administrator_edits_a_goal(client_for, plan_admin, organic):
    client = client_for(plan_admin)
    data = versions_of(client, edit_url(organic)) | FORM | {"title": organic.title, "reached": "35"}
    assert client.post(edit_url(organic), data).status_code == 302
    organic.refresh_from_db()
    assert organic.reached == Decimal("35") and organic.version == 2


def test_a_stale_edit_is_refused_and_saves_nothing(client_for, plan_admin, organic):
    client = client_for(plan_admin)
    versions = versions_of(client, edit_url(organic))
    first = versions | FORM | {"title": organic.title, "reached": "35"}
    assert client.post(edit_url(organic), first).status_code == 302
    second = versions | FORM | {"title": organic.title, "reached": "20"}
    response = client.post(edit_url(organic), second)
    assert response.status_code == 400
    assert (
        "Someone else saved this goal" in response.content.decode()
        or "Någon annan" in response.content.decode()
    )
    organic.refresh_from_db()
    assert organic.reached == Decimal("35")
    # The form now carries the version saved: saving again replaces it, knowingly.
    assert client.post(edit_url(organic), second | versions_of_response(response)).status_code == 302
    organic.refresh_from_db()
    assert organic.reached == Decimal("20")


def versions_of_response(response):
    from tests.forms import VERSION_INPUT

    return dict(VERSION_INPUT.findall(response.content.decode()))


def test_an_edit_without_its_version_is_refused(client_for, plan_admin, organic):
    response = client_for(plan_admin).post(edit_url(organic), FORM | {"title": organic.title})
    assert response.status_code == 400
    organic.refresh_from_db()
    assert organic.reached == Decimal("31")


def test_renaming_a_goal_to_another_goal_s_title_is_refused(client_for, plan_admin, goal, organic):
    client = client_for(plan_admin)
    data = versions_of(client, edit_url(organic)) | FORM | {"title": goal.title}
    response = client.post(edit_url(organic), data)
    assert response.status_code == 400 and 'id="id_title_error"' in response.content.decode()


@pytest.mark.parametrize("role", ["officer", "politician"])
def test_officers_and_politicians_may_not_edit_or_remove_goals(role, users, client_for, goal):
    client = client_for(users[role])
    assert client.get(edit_url(goal)).status_code == 403
    assert client.post(delete_url(goal), {"version": "1", "links": "0"}).status_code == 403
    assert Goal.objects.filter(pk=goal.pk).exists()


# --- Removing a goal ------------------------------------------------------------------------------


def test_removing_a_linked_goal_asks_first_and_says_how_many_links_go(
    client_for, plan_admin, organic, falun_plan, serv
):
    procurement = ProcurementFactory(plan=falun_plan, department=serv, ref="2027-010")
    procurement.goals.add(organic)
    order = order_for(falun_plan, serv)
    order.goals.add(organic)
    client = client_for(plan_admin)
    question = client.get(delete_url(organic))
    assert question.status_code == 200
    assert question.context["links"].procurements == 1 and question.context["links"].orders == 1
    assert Goal.objects.filter(pk=organic.pk).exists()
    response = client.post(delete_url(organic), {"version": "1", "links": "2"})
    assert response.status_code == 302
    assert not Goal.objects.filter(pk=organic.pk).exists()
    # The procurement and the order stay, without the link.
    assert procurement.goals.count() == 0 and Order.objects.filter(pk=order.pk).exists()


def test_a_link_made_after_the_question_stops_the_removal(client_for, plan_admin, organic, falun_plan, serv):
    client = client_for(plan_admin)
    assert client.get(delete_url(organic)).context["links"].total == 0
    ProcurementFactory(plan=falun_plan, department=serv, ref="2027-010").goals.add(organic)
    response = client.post(delete_url(organic), {"version": "1", "links": "0"})
    assert response.status_code == 400
    assert response.context["links"].procurements == 1
    assert Goal.objects.filter(pk=organic.pk).exists()


def test_a_removal_without_what_it_was_shown_removes_nothing(client_for, plan_admin, organic):
    assert client_for(plan_admin).post(delete_url(organic), {}).status_code == 400
    assert Goal.objects.filter(pk=organic.pk).exists()


def test_a_removal_after_an_edit_removes_nothing(client_for, plan_admin, organic):
    Goal.objects.filter(pk=organic.pk).update(version=2)
    assert client_for(plan_admin).post(delete_url(organic), {"version": "1", "links": "0"}).status_code == 400
    assert Goal.objects.filter(pk=organic.pk).exists()


@pytest.mark.parametrize(
    ("typed", "unit", "saved"),
    [
        ({"target_value": "40 %", "unit": ""}, "%", Decimal("40")),  # the sign is the unit
        ({"target_value": "50", "reached": "31 %", "unit": ""}, "%", Decimal("50")),
        ({"target_value": "40 %", "unit": "procent"}, "procent", Decimal("40")),  # a unit given stays
        ({"target_value": "50", "reached": "25", "unit": "bilar"}, "bilar", Decimal("50")),
    ],
)
def test_a_per_cent_sign_typed_with_the_figure_becomes_the_unit(
    client_for, plan_admin, falun, typed, unit, saved
):
    response = client_for(plan_admin).post(reverse("plans:goal_create", args=["falun"]), FORM | typed)
    assert response.status_code == 302
    goal = Goal.objects.get()
    assert (goal.unit, goal.target_value) == (unit, saved)
