"""Issue 16: the coordination page (/centre/<centre>/<year>/coordination/) per role, its steps without
JavaScript (POST, redirect, message), the refused and stale paths, the settings and its queries."""

import html
from datetime import date

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from plans.centre.coordination import group_create
from plans.models import Category, CentreSettings, CoordinationGroup, HistoryEntry, Procurement
from tests.factories import DepartmentFactory, MunicipalityFactory, PlanFactory, ProcurementFactory
from tests.plans.centre.coordinated import car, ludvika, reloaded

pytestmark = pytest.mark.django_db
MAX_QUERIES = 15


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def client_for(client_for):
    """client_for(user), the pages and their messages in English (a message is written in the request's
    language). After the login: logging out forgets the cookies."""

    def login(user):
        client = client_for(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return login


@pytest.fixture
def cars(centre, falun, borlange):
    return car(falun, month=2), car(borlange, month=3), car(ludvika(centre), month=4)


def url(name="coordination", *args, **query):
    address = reverse(f"centre:{name}", args=["uhc", 2027, *args])
    return address + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def told(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def create_data(cars, *, lead=None, title="Personbilar 2027", **extra):
    return {
        "suggestion": cars[0].pk,
        "procurement": [p.pk for p in cars],
        "lead": (lead or cars[0]).pk,
        "title": title,
        **extra,
    }


# --- Who sees the page ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status", "acts", "sets"),
    [
        ("officer", 200, True, False),
        ("plan_admin", 200, False, True),
        ("politician", 404, False, False),
        ("department_rep", 404, False, False),
        ("outsider", 404, False, False),
    ],
)
def test_the_page_per_role(client_for, users, cars, role, status, acts, sets):
    response = client_for(users[role]).get(url())
    assert response.status_code == status
    if status != 200:
        return
    page = response.content.decode()
    assert "CPV 341: Motor vehicles" in page
    # Each row's code with its English label, which wraps under it on a phone.
    assert '34110000</span> <span class="cpv-label" lang="en">Passenger cars</span>' in page
    assert 'aria-current="page">Coordination<' in page
    assert ('name="procurement"' in page) is acts
    assert (">Coordinate</button>" in page) is acts
    assert (url("coordination_settings") in page) is sets


def test_anonymous_is_asked_to_log_in(client, cars):
    response = client.get(url())
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_politician_cannot_post_either(client_for, users, cars):
    response = client_for(users["politician"]).post(url("coordination_create"), create_data(cars))
    assert response.status_code == 404
    assert not CoordinationGroup.objects.exists()


# --- Create --------------------------------------------------------------------------------------------


def test_an_officer_coordinates_a_suggestion(client_for, officer, cars):
    response = client_for(officer).post(url("coordination_create"), create_data(cars, lead=cars[1], page=1))
    group = CoordinationGroup.objects.get()
    assert response.status_code == 302
    assert response.url == url(page=1) + f"#group-{group.pk}"
    assert told(response) == ["“Personbilar 2027” is now a coordinated procurement."]
    assert (group.title, group.lead_id, group.created_by) == ("Personbilar 2027", cars[1].pk, officer)
    assert {p.coordinated_value_sek for p in reloaded(*cars)} == {6_000_000}
    page = client_for(officer).get(url()).content.decode()
    assert f'id="group-{group.pk}"' in page
    assert "Combined value 6,000,000" in page.replace("\u00a0", " ").replace("SEK ", "")
    assert "Nothing to suggest with these settings." in page


def test_a_plan_admin_only_reads(client_for, plan_admin, cars):
    response = client_for(plan_admin).post(url("coordination_create"), create_data(cars))
    assert response.status_code == 403
    assert not CoordinationGroup.objects.exists()


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"procurement": []}, "Tick the procurements of two municipalities or more."),
        ({"procurement": "one"}, "Tick the procurements of two municipalities or more."),
        ({"lead": ""}, "Choose the lead."),
        ({"title": "x" * 301}, "At most 300 characters (now 301)."),
    ],
)
def test_bad_input_is_shown_by_its_suggestion(client_for, officer, cars, change, error):
    data = create_data(cars)
    data.update(change)
    if change.get("procurement") == "one":
        data["procurement"] = [cars[0].pk]
    response = client_for(officer).post(url("coordination_create"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert error in page
    assert f'id="s{cars[0].pk}"' in page
    assert not CoordinationGroup.objects.exists()


def test_the_lead_must_be_ticked(client_for, officer, cars):
    data = create_data(cars, lead=cars[2])
    data["procurement"] = [cars[0].pk, cars[1].pk]
    response = client_for(officer).post(url("coordination_create"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose the lead among the ticked procurements." in page
    # What was ticked stays ticked; the third is not.
    assert f'value="{cars[2].pk}" id="s{cars[0].pk}-p{cars[2].pk}">' in page


def test_a_refused_step_says_why_and_changes_nothing(client_for, officer, centre, cars, falun):
    other = car(falun, ref="BIL-2", month=5)
    group_create(centre=centre, year=2027, procurements=cars[1:], lead=cars[1], user=officer)
    response = client_for(officer).post(url("coordination_create"), create_data([other, cars[1]]))
    assert response.status_code == 302
    assert told(response) == [
        "BIL of Borlänge kommun is already in a coordinated procurement; it can take part in one only. "
        "Nothing was changed."
    ]
    assert CoordinationGroup.objects.count() == 1
    assert reloaded(other)[0].coordination_id is None


# --- Join, leave, dissolve ------------------------------------------------------------------------------


@pytest.fixture
def pair(centre, cars, officer):
    """Falun and Borlänge coordinated; Ludvika's car is suggested to join."""
    return group_create(centre=centre, year=2027, procurements=cars[:2], lead=cars[0], user=officer)


def test_a_join_suggestion_and_joining(client_for, officer, pair, cars):
    page = client_for(officer).get(url()).content.decode()
    assert "Could join the coordinated procurement" in page
    assert url("coordination_join", pair.pk) in page
    response = client_for(officer).post(
        url("coordination_join", pair.pk),
        {"procurement": [cars[2].pk], "version": 1, "suggestion": cars[0].pk},
    )
    assert told(response) == [f"Joined “{pair.title}”."]
    assert reloaded(cars[2])[0].coordination_id == pair.pk
    assert CoordinationGroup.objects.get().version == 2


def test_a_stale_join_changes_nothing(client_for, officer, pair, cars):
    response = client_for(officer).post(
        url("coordination_join", pair.pk), {"procurement": [cars[2].pk], "version": 0}
    )
    assert response.status_code == 302
    assert told(response) == [
        "Someone else changed this coordinated procurement after the page was loaded. Nothing was changed: "
        "check it below and try again."
    ]
    assert reloaded(cars[2])[0].coordination_id is None


def test_a_join_without_a_version_is_refused(client_for, officer, pair, cars):
    response = client_for(officer).post(
        url("coordination_join", pair.pk), {"procurement": [cars[2].pk], "suggestion": cars[0].pk}
    )
    assert response.status_code == 400
    assert "The form came without the version" in response.content.decode()
    assert reloaded(cars[2])[0].coordination_id is None


def test_another_centres_group_is_not_found(client_for, officer, pair, cars):
    response = client_for(officer).post(
        reverse("centre:coordination_join", args=["uhc", 2028, pair.pk]),
        {"procurement": [cars[2].pk], "version": 1},
    )
    assert response.status_code == 404


def test_leave_is_confirmed_then_done(client_for, officer, centre, cars):
    group = group_create(centre=centre, year=2027, procurements=cars, lead=cars[0], user=officer)
    client = client_for(officer)
    confirm = client.get(url("coordination_leave", group.pk, cars[0].pk))
    assert confirm.status_code == 200
    text = confirm.content.decode()
    assert "<h1>Should BIL of Falu kommun leave the coordinated procurement?</h1>" in text
    assert "BIL of Borlänge kommun, the earliest advertised of the others, will lead instead." in text
    response = client.post(url("coordination_leave", group.pk, cars[0].pk), {"version": 1})
    assert told(response) == ["BIL of Falu kommun left “Personbilar Falu kommun”."]
    group.refresh_from_db()
    assert (group.lead_id, group.version) == (cars[1].pk, 2)
    assert reloaded(cars[0])[0].coordination_id is None


def test_a_stale_leave_changes_nothing(client_for, officer, pair, cars):
    response = client_for(officer).post(url("coordination_leave", pair.pk, cars[1].pk), {"version": 5})
    assert "Someone else changed this coordinated procurement" in told(response)[0]
    assert reloaded(cars[1])[0].coordination_id == pair.pk


@pytest.mark.parametrize(
    ("members", "leaving", "dissolves"),
    [
        (3, 0, False),  # the lead of three: Borlänge and Ludvika go on
        (3, 2, False),
        (2, 1, True),  # a participant of two: Falun would be alone
        (2, 0, True),  # the lead of two
    ],
)
def test_the_leave_confirmation_says_beforehand_when_the_group_will_be_dissolved(
    client_for, officer, centre, cars, members, leaving, dissolves
):
    group = group_create(centre=centre, year=2027, procurements=cars[:members], lead=cars[0], user=officer)
    member = reloaded(cars[leaving])[0]
    municipality = member.plan.municipality.name
    text = html.unescape(
        client_for(officer).get(url("coordination_leave", group.pk, member.pk)).content.decode()
    )
    assert f"<h1>Should BIL of {municipality} leave the coordinated procurement?</h1>" in text
    warning = (
        "Fewer than two municipalities would remain: the coordinated procurement “Personbilar Falu kommun” "
        "will then be dissolved."
    )
    assert (warning in text) is dissolves
    assert (">Leave and dissolve</button>" in text) is dissolves
    assert (">Leave</button>" in text) is not dissolves
    # The group is named "Personbilar Falu kommun" after its lead: the procurement is named by ref and
    # municipality, never by a title that may be the group's as well.
    assert (
        f"BIL of {municipality} will be on its own again: its economic weight counts its own value." in text
    )
    assert f"“{member.title}” will be on its own again" not in text


def test_the_last_but_one_leaving_dissolves(client_for, officer, pair, cars):
    confirm = client_for(officer).get(url("coordination_leave", pair.pk, cars[1].pk)).content.decode()
    assert "Every member will be on its own again" in confirm
    response = client_for(officer).post(url("coordination_leave", pair.pk, cars[1].pk), {"version": 1})
    assert told(response)[0].endswith("Fewer than two municipalities remained: it was dissolved.")
    assert not CoordinationGroup.objects.get().is_active


def test_dissolve_is_confirmed_then_done(client_for, officer, pair, cars):
    client = client_for(officer)
    assert (
        "Dissolve “Personbilar Falu kommun”?"
        in client.get(url("coordination_dissolve", pair.pk)).content.decode()
    )
    response = client.post(url("coordination_dissolve", pair.pk), {"version": 1})
    assert told(response) == ["“Personbilar Falu kommun” was dissolved."]
    assert not CoordinationGroup.objects.get().is_active
    assert HistoryEntry.objects.filter(action=HistoryEntry.Action.DISSOLVED).count() == 2
    again = client.post(url("coordination_dissolve", pair.pk), {"version": 2})
    assert told(again)[-1] == "The coordinated procurement has been dissolved."


def test_a_plan_admin_cannot_leave_or_dissolve(client_for, plan_admin, pair, cars):
    client = client_for(plan_admin)
    assert client.get(url("coordination_dissolve", pair.pk)).status_code == 403
    assert client.post(url("coordination_leave", pair.pk, cars[1].pk), {"version": 1}).status_code == 403
    assert CoordinationGroup.objects.get().is_active


# --- Settings --------------------------------------------------------------------------------------


def test_a_plan_admin_saves_the_settings(client_for, plan_admin, centre, cars):
    response = client_for(plan_admin).post(
        url("coordination_settings"), {"cpv_digits": 4, "months": 3, "version": 1}
    )
    assert told(response) == ["The coordination settings were saved."]
    saved = CentreSettings.of(centre)
    assert (saved.coordination_cpv_digits, saved.coordination_months, saved.version) == (4, 3, 2)


def test_stale_settings_are_refused(client_for, plan_admin, centre, cars):
    saved = CentreSettings.of(centre)
    saved.version = 3
    saved.save()
    response = client_for(plan_admin).post(
        url("coordination_settings"), {"cpv_digits": 4, "months": 3, "version": 1}
    )
    assert "Someone else saved the centre's settings" in told(response)[0]
    assert CentreSettings.of(centre).coordination_cpv_digits == 3


def test_bad_settings_are_shown_beside_the_field(client_for, plan_admin, centre, cars):
    response = client_for(plan_admin).post(
        url("coordination_settings"), {"cpv_digits": 1, "months": 3, "version": 1}
    )
    assert response.status_code == 400
    assert "At least 2." in response.content.decode()
    assert CentreSettings.of(centre).version == 1


def test_an_officer_cannot_save_the_settings(client_for, officer, cars):
    response = client_for(officer).post(
        url("coordination_settings"), {"cpv_digits": 4, "months": 3, "version": 1}
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("query", "suggested", "note"),
    [
        ({}, True, False),
        ({"cpv_digits": 8, "months": 0}, False, True),
        ({"months": 1}, True, True),
        ({"cpv_digits": "abc"}, True, False),
    ],
)
def test_other_values_tried(client_for, officer, cars, query, suggested, note):
    page = client_for(officer).get(url(**query)).content.decode()
    assert ("CPV 341" in page) is suggested
    assert ("These are values you are trying" in page) is note
    if query.get("cpv_digits") == "abc":
        assert "Enter a whole number. The centre's setting, 3, is used instead." in html.unescape(page)


@pytest.mark.parametrize(
    ("query", "field", "error", "in_use", "suggested"),
    [
        (
            {"cpv_digits": 1},
            "cpv_digits",
            "At least 2. The centre's setting, 3, is used instead.",
            (3, 6),
            True,
        ),
        ({"months": -3}, "months", "At least 0. The centre's setting, 6, is used instead.", (3, 6), True),
        ({"months": 999}, "months", "At most 24. The centre's setting, 6, is used instead.", (3, 6), True),
        # The value that can be used still is: no suggestion within 0 months.
        (
            {"cpv_digits": 9, "months": 0},
            "cpv_digits",
            "At most 8. The centre's setting, 3, is used instead.",
            (3, 0),
            False,
        ),
    ],
)
def test_a_value_that_cannot_be_used_says_so_beside_its_field(
    client_for, officer, cars, query, field, error, in_use, suggested
):
    response = client_for(officer).get(url(**query))
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    form = page[page.index('id="try"') : page.index("</form>", page.index('id="try"'))]
    assert f'<p class="error" id="id_{field}_error">{error}</p>' in form
    assert f'aria-describedby="id_{field}_helptext id_{field}_error" id="id_{field}"' in form
    assert form.count('class="error"') == 1
    digits, months = in_use
    assert f"share the first {digits} digits" in page and f"within {months} months of each other" in page
    assert ("CPV 341" in page) is suggested


# --- Queries ---------------------------------------------------------------------------------------


def bench_year(centre, municipalities: range, per_municipality: int):
    for number in municipalities:
        municipality = MunicipalityFactory(slug=f"m{number}", name=f"Kommun {number}", centre=centre)
        plan = PlanFactory(municipality=municipality, year=2027)
        department = DepartmentFactory(municipality=municipality)
        Procurement.objects.bulk_create(
            ProcurementFactory.build(
                plan=plan,
                department=department,
                ref=f"R{index}",
                cpv=f"{30 + index % 20}{index % 7}00000",
                category=Category.GOODS,
                planned_advertisement=date(2027, 1 + index % 12, 1),
                confidential=index % 5 == 0,
            )
            for index in range(per_municipality)
        )


def test_the_page_reads_a_fixed_number_of_queries(client_for, officer, centre):
    bench_year(centre, range(3), 10)
    client = client_for(officer)
    pks = [Procurement.objects.get(plan__municipality__slug=slug, ref="R1").pk for slug in ("m0", "m1")]
    group_create(centre=centre, year=2027, procurements=pks, lead=pks[0], user=officer)
    client.get(url())
    with CaptureQueriesContext(connection) as few:
        assert client.get(url()).status_code == 200
    bench_year(centre, range(3, 10), 60)
    more = list(Procurement.objects.filter(plan__municipality__slug__in=["m3", "m4", "m5"], ref="R0"))
    group_create(centre=centre, year=2027, procurements=more, lead=more[0], user=officer)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url())
    assert response.status_code == 200
    assert len(many) == len(few) <= MAX_QUERIES


# --- Input no form would send -----------------------------------------------------------------------


@pytest.mark.parametrize("junk", ["²", "99999999999999999999", "-1", "0", "1e3", ""])
@pytest.mark.parametrize("field", ["suggestion", "procurement", "lead"])
def test_junk_ids_are_refused_without_an_error_page(client_for, officer, cars, field, junk):
    data = create_data(cars)
    data[field] = [cars[0].pk, junk] if field == "procurement" else junk
    response = client_for(officer).post(url("coordination_create"), data)
    assert response.status_code in (200, 302, 400)
    if field != "suggestion":  # the suggestion only says where to show errors: the step may go on
        assert not CoordinationGroup.objects.exists()


@pytest.mark.parametrize("junk", ["²", "99999999999999999999"])
def test_junk_ids_to_join_are_refused_without_an_error_page(client_for, officer, pair, cars, junk):
    for data in (
        {"procurement": [junk], "version": 1, "suggestion": cars[0].pk},
        {"procurement": [cars[2].pk], "version": 1, "suggestion": junk},
    ):
        response = client_for(officer).post(url("coordination_join", pair.pk), data)
        assert response.status_code in (200, 302, 400)
    assert reloaded(cars[2])[0].coordination_id in (None, pair.pk)


@pytest.mark.parametrize("junk", ["²", "99999999999999999999", "-3"])
def test_junk_in_the_kept_query_is_dropped(client_for, officer, cars, junk):
    response = client_for(officer).get(url(page=junk, months=junk, cpv_digits=junk))
    assert response.status_code == 200
