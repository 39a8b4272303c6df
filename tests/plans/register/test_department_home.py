"""The department's view on the start page (issue 14): a department representative sees their
department's orders (questions waiting first), the procurements that came from them with the
responsible officer, and the answers to their comments; in a fixed number of queries."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from accounts.models import Role
from plans.models import Comment, Order
from plans.register import desk
from tests.factories import DepartmentFactory, PlanFactory, ProcurementFactory, UserFactory, member

pytestmark = pytest.mark.django_db


def order(plan, department, title, **fields):
    values = {
        "need": "Behovet.",
        "category": "services",
        "estimated_value_sek": 1_000_000,
        "duration_months": 24,
    }
    return Order.objects.create(plan=plan, department=department, title=title, **(values | fields))


def answered(procurement, user, text, response, *, department=None, day=1, by=None):
    return Comment.objects.create(
        procurement=procurement,
        user=user,
        department=department,
        text=text,
        response=response,
        responded_by=by,
        responded_at=datetime(2026, 9, day, 12, tzinfo=UTC),
    )


def gettext(text: str) -> str:
    """A text as the pages show it: in Swedish, the default language."""
    with translation.override("sv"):
        return translation.gettext(text)


def ngettext(singular: str, plural: str, n: int) -> str:
    with translation.override("sv"):
        return translation.ngettext(singular, plural, n)


def shown(text: str) -> str:
    """A text as it stands in the page's HTML."""
    return escape(text)


def home(client_for, user) -> str:
    response = client_for(user).get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def section(page: str, anchor: str) -> str:
    """The part of the page from the section with the id to the next section."""
    start = page.index(f'id="{anchor}"')
    return page[start : page.find("</section>", start)]


def test_the_representative_sees_their_departments_orders_with_the_questions_first(
    client_for, department_rep, falun_plan, serv, omv, adopted_plan, borlange
):
    order(falun_plan, serv, "Skolmat till förskolorna")
    asked = order(falun_plan, serv, "Snöröjning", status="question", question="Vilka områden ingår?")
    order(falun_plan, omv, "Hjälpmedel (annan förvaltning)")
    order(adopted_plan, serv, "Beställning i en antagen plan")
    outsider_plan = PlanFactory(municipality=borlange, year=2027)
    order(outsider_plan, DepartmentFactory(municipality=borlange), "Borlänges beställning")

    orders = section(home(client_for, department_rep), "department-orders")

    assert orders.index("Snöröjning") < orders.index("Skolmat till förskolorna")
    assert "Vilka områden ingår?" in orders
    assert (
        shown(
            ngettext("%(n)s question waits for your answer.", "%(n)s questions wait for your answer.", 1)
            % {"n": 1}
        )
        in orders
    )
    url = reverse("plans:order", kwargs={"municipality": "falun", "year": 2027, "order": asked.pk})
    assert f'href="{url}"' in orders
    for hidden in ("annan förvaltning", "antagen plan", "Borlänges"):
        assert hidden not in orders
    assert reverse("plans:orders", kwargs={"municipality": "falun", "year": 2027}) in orders


def test_the_representative_sees_the_procurements_that_came_from_them_with_the_officer(
    client_for, department_rep, falun_plan, serv, omv, adopted_plan
):
    officer = UserFactory(username="anna", first_name="Anna", last_name="Lindqvist")
    ProcurementFactory(
        plan=falun_plan, ref="2027-001", title="Städtjänster", department=serv, officer=officer
    )
    shared = ProcurementFactory(plan=falun_plan, ref="2027-002", title="Livsmedel", department=omv)
    order(falun_plan, serv, "Livsmedel till skolköken", status="merged", procurement=shared)
    declined_into = ProcurementFactory(plan=falun_plan, ref="2027-003", title="Hjälpmedel", department=omv)
    order(falun_plan, omv, "Hjälpmedel", status="accepted", procurement=declined_into)
    ProcurementFactory(plan=adopted_plan, ref="2017-001", title="Gammal upphandling", department=serv)

    procurements = section(home(client_for, department_rep), "department-procurements")

    assert "Städtjänster" in procurements and "Anna Lindqvist" in procurements
    assert "Livsmedel" in procurements and shown(gettext("ordered by your department")) in procurements
    assert shown(gettext("Not assigned yet")) in procurements  # the shared one has no officer
    assert "Hjälpmedel" not in procurements  # another department's order, another department's procurement
    assert "Gammal upphandling" not in procurements


def test_the_representative_sees_the_answers_to_their_comments_newest_first(
    client_for, department_rep, politician, procurement, serv, officer
):
    answered(procurement, department_rep, "Första kommentaren", "Det första svaret", day=2, by=officer)
    answered(procurement, department_rep, "Andra kommentaren", "Det senaste svaret", day=9, by=officer)
    colleague = member(UserFactory(username="kollega"), Role.DEPARTMENT_REP, department=serv)
    answered(procurement, colleague, "För förvaltningen", "Svar till förvaltningen", department=serv, day=5)
    answered(procurement, politician, "Politikerns kommentar", "Svar till politikern", day=10)
    Comment.objects.create(procurement=procurement, user=department_rep, text="Obesvarad kommentar")

    answers = section(home(client_for, department_rep), "comment-answers")

    assert answers.index("Det senaste svaret") < answers.index("Svar till förvaltningen")
    assert answers.index("Svar till förvaltningen") < answers.index("Det första svaret")
    assert "Svar till politikern" not in answers
    assert "Obesvarad kommentar" not in answers
    assert f"#comment-{Comment.objects.get(text='Andra kommentaren').pk}" in answers


@pytest.mark.parametrize("role", ["officer", "plan_admin", "politician", "outsider", "anonymous"])
def test_no_one_but_a_department_representative_has_the_department_view(client_for, users, role):
    assert "department-orders" not in home(client_for, users[role])


def test_an_empty_desk_says_so(client_for, department_rep):
    page = home(client_for, department_rep)
    assert shown(gettext("Your department has no orders in a plan being prepared.")) in page
    assert shown(gettext("No comment of yours has been answered yet.")) in page


def fill(plan, serv, omv, user, n, start=0):
    for i in range(start, start + n):
        mine = ProcurementFactory(plan=plan, ref=f"2027-{i:03d}", department=serv)
        theirs = ProcurementFactory(plan=plan, ref=f"2027-{500 + i:03d}", department=omv)
        order(plan, serv, f"Beställning {i}", status="merged", procurement=theirs)
        order(plan, serv, f"Fråga {i}", status="question", question="Varför?")
        answered(mine, user, f"Kommentar {i}", f"Svar {i}", day=1 + i % 28)


def queries_of_home(client, path="/") -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_the_department_view_takes_the_same_few_queries_whatever_the_amount_of_data(
    client_for, department_rep, falun_plan, serv, omv
):
    client = client_for(department_rep)
    fill(falun_plan, serv, omv, department_rep, 2)
    few = queries_of_home(client)
    fill(falun_plan, serv, omv, department_rep, 40, start=2)  # beyond every list's limit
    many = queries_of_home(client)
    # One more at most: when the questions fill the list, they are counted beyond it.
    assert few <= many <= few + 1
    assert many <= 9, many  # the session, the user, memberships, the plans, and three or four for the desk


def test_long_lists_are_cut_and_the_questions_are_kept_first(department_rep, falun_plan, serv, omv):
    fill(falun_plan, serv, omv, department_rep, desk.LIMIT + 3)
    result = desk.department_desk(department_rep.access, department_rep)
    assert len(result.orders.rows) == desk.LIMIT and result.orders.more
    assert {o.status for o in result.orders.rows} == {"question"}
    # Counted beyond the rows shown.
    assert result.questions_waiting == Order.objects.filter(status="question").count() > desk.LIMIT
    assert len(result.procurements.rows) == desk.LIMIT and result.procurements.more
    assert len(result.answers.rows) == desk.ANSWERS_LIMIT and result.answers.more


def test_the_desk_is_for_department_representatives_only(officer, politician):
    assert desk.department_desk(officer.access, officer) is None
    assert desk.department_desk(politician.access, politician) is None


def test_orders_in_an_adopted_plan_leave_the_desk(department_rep, falun_plan, serv):
    order(falun_plan, serv, "Skolmat")
    falun_plan.adopted_on = date.today() - timedelta(days=1)
    falun_plan.save()
    assert desk.department_desk(department_rep.access, department_rep).orders.rows == []
