"""The capacity page (issue 16): who sees it and who edits it, the table it draws, assigning an officer
with and without htmx, stale and refused assignments, the capacity and weight forms, and its queries."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Role
from plans.centre import capacity_services as services
from plans.centre.capacity import Cell, Entry, Item, capacity_stamp
from plans.models import (
    CentreSettings,
    CoordinationGroup,
    HistoryEntry,
    OfficerCapacity,
    Procedure,
    Procurement,
)
from plans.register.services import StaleEdit
from plans.scoring.rules import Quadrant
from tests.factories import (
    CentreFactory,
    DepartmentFactory,
    MunicipalityFactory,
    PlanFactory,
    ProcurementFactory,
    UserFactory,
    member,
)

YEAR = 2027
MAX_QUERIES = 15


def page_url(centre="uhc", year=YEAR):
    return reverse("centre:capacity", args=[centre, year])


def edit_url(centre="uhc", year=YEAR):
    return reverse("centre:capacity_edit", args=[centre, year])


def assign_url(procurement, centre="uhc", year=YEAR):
    return reverse("centre:capacity_assign", args=[centre, year, procurement.pk])


def routine(plan, ref, **fields):
    """A procurement the rubric places in the routine quadrant (weight 1)."""
    fields = {"estimated_value_sek": 500_000, "possible_suppliers": 5, **fields}
    return ProcurementFactory(plan=plan, ref=ref, **fields)


def strategic(plan, ref, **fields):
    """A strategic procurement (weight 3): a large value and a single possible supplier, critical."""
    fields = {
        "estimated_value_sek": 30_000_000,
        "possible_suppliers": 1,
        "business_critical": True,
        **fields,
    }
    return ProcurementFactory(plan=plan, ref=ref, **fields)


@pytest.fixture
def as_user(client_for, settings):
    """client_for, in English: the texts asserted here are the English ones, whatever the Swedish
    translation says."""

    def login(user):
        client = client_for(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return login


@pytest.fixture
def colleague(centre):
    """A second officer of the centre, with no procurements."""
    return member(
        UserFactory(username="olle", first_name="Olle", last_name="Ek"), Role.OFFICER, centre=centre
    )


@pytest.fixture
def borlange_plan(borlange):
    return PlanFactory(municipality=borlange, year=YEAR)


@pytest.fixture
def year(centre, falun_plan, borlange_plan, officer, colleague):
    """Falun: two strategic procurements of the officer in Q2 (6 points), one routine in Q1, one direct
    award without an officer; Borlänge: a routine procurement without an officer in Q3."""
    rows = {
        "F-1": strategic(
            falun_plan, "F-1", title="Fordon", planned_advertisement=date(YEAR, 4, 1), officer=officer
        ),
        "F-2": strategic(
            falun_plan, "F-2", title="Livsmedel", planned_advertisement=date(YEAR, 6, 30), officer=officer
        ),
        "F-3": routine(
            falun_plan,
            "F-3",
            title="Kontorsmaterial",
            planned_advertisement=date(YEAR, 3, 31),
            officer=officer,
        ),
        "F-4": routine(
            falun_plan,
            "F-4",
            title="Blommor",
            planned_advertisement=date(YEAR, 2, 1),
            procedure=Procedure.DIRECT_AWARD,
        ),
        "B-1": routine(borlange_plan, "B-1", title="Städning", planned_advertisement=date(YEAR, 8, 1)),
    }
    assert rows["F-1"].kraljic == rows["F-2"].kraljic == Quadrant.STRATEGIC
    assert rows["F-3"].kraljic == rows["B-1"].kraljic == Quadrant.ROUTINE
    OfficerCapacity.objects.create(centre=centre, officer=officer, year=YEAR, quarter=2, points=5)
    return rows


# --- Who sees the page, who edits ---------------------------------------------------------------


@pytest.mark.parametrize("role", ["officer", "plan_admin"])
def test_the_centres_staff_see_the_capacity_page(as_user, users, year, role):
    response = as_user(users[role]).get(page_url())
    assert response.status_code == 200
    assert b'id="capacity-load"' in response.content


@pytest.mark.parametrize("role", ["politician", "department_rep", "outsider"])
def test_a_municipalitys_people_get_404(as_user, users, year, role):
    assert as_user(users[role]).get(page_url()).status_code == 404


def test_an_anonymous_visitor_is_asked_to_log_in(client, year):
    response = client.get(page_url())
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_staff_of_another_centre_get_404(as_user, year):
    other = CentreFactory(slug="vastra", name="Västra upphandlingscentret")
    stranger = member(UserFactory(username="annan"), Role.OFFICER, centre=other)
    assert as_user(stranger).get(page_url()).status_code == 404
    assert as_user(stranger).get(page_url(centre="vastra")).status_code == 200


def test_only_a_plan_administrator_sees_the_way_to_edit(as_user, users, year):
    assert edit_url().encode() in as_user(users["plan_admin"]).get(page_url()).content
    assert edit_url().encode() not in as_user(users["officer"]).get(page_url()).content


@pytest.mark.parametrize(
    ("role", "status"),
    [("plan_admin", 200), ("officer", 403), ("politician", 404), ("department_rep", 404), ("outsider", 404)],
)
def test_only_a_plan_administrator_opens_the_edit_page(as_user, users, year, role, status):
    assert as_user(users[role]).get(edit_url()).status_code == status


def test_an_officer_cannot_post_capacities_or_weights(as_user, users, year, officer):
    client = as_user(users["officer"])
    field = f"c-{officer.pk}-1"
    response = client.post(edit_url(), {"part": "capacity", "stamp": capacity_stamp({}), field: "9"})
    assert response.status_code == 403
    response = client.post(edit_url(), {"part": "weights", "version": 1, "strategic": "9"})
    assert response.status_code == 403
    assert not OfficerCapacity.objects.filter(quarter=1).exists()
    assert CentreSettings.of(year["F-1"].plan.municipality.centre).weight_strategic == 3


# --- What the table shows -------------------------------------------------------------------------


def test_the_table_shows_load_against_capacity_and_marks_over_capacity_in_words(
    as_user, users, year, colleague
):
    response = as_user(users["officer"]).get(page_url())
    desk = response.context["desk"]
    officer_row = desk.table.row(users["officer"].pk)
    assert [cell.load for cell in officer_row.cells] == [1, 6, 0, 0]
    assert officer_row.cells[1].capacity == 5 and officer_row.cells[1].over
    # The colleague has a row though nothing stands in their name.
    assert desk.table.row(colleague.pk).load == 0
    # The unassigned: Falun's direct award (0,5) in Q1 and Borlänge's routine (1) in Q3.
    assert [cell.load for cell in desk.table.unassigned_row.cells] == [Decimal("0.5"), 0, 1, 0]
    html = response.content.decode()
    assert "6 / 5" in html
    # Said in words, not by colour alone: Q2 only (the year has no capacity with three quarters unset).
    assert html.count("over capacity</strong>") == 1
    assert "Olle Ek" in html
    # Behind each cell: the procurements, linking to their pages.
    assert year["F-1"].get_absolute_url() in html
    assert "Fordon" in html and "Falu kommun" in html


def test_the_page_lists_the_unassigned_procurements_the_earliest_first_with_a_form(as_user, users, year):
    response = as_user(users["officer"]).get(page_url())
    unassigned = [entry.item.pk for entry in response.context["table"].unassigned]
    assert unassigned == [year["F-4"].pk, year["B-1"].pk]
    html = response.content.decode()
    assert assign_url(year["F-4"]) in html and assign_url(year["B-1"]) in html
    assert assign_url(year["F-1"]) not in html


def test_a_coordinated_procurement_counts_once_for_its_leads_officer(as_user, users, year, colleague, centre):
    lead, participant = year["F-1"], year["B-1"]
    group = CoordinationGroup.objects.create(centre=centre, year=YEAR, title="Fordon", lead=lead)
    Procurement.objects.filter(pk__in=[lead.pk, participant.pk]).update(coordination=group)
    Procurement.objects.filter(pk=participant.pk).update(officer=colleague)
    table = as_user(users["officer"]).get(page_url()).context["table"]
    assert table.row(colleague.pk).load == 0
    q2 = table.row(users["officer"].pk).cells[1]
    assert q2.load == 6
    assert [(entry.item.pk, entry.counted) for entry in q2.entries][:2] == [
        (lead.pk, True),
        (participant.pk, False),
    ]
    # Dissolved, the group no longer joins them: each counts for its own officer.
    CoordinationGroup.objects.filter(pk=group.pk).update(dissolved_at=timezone.now())
    table = as_user(users["officer"]).get(page_url()).context["table"]
    assert table.row(colleague.pk).load == 1


def cell_html(html: str, row_name: str, quarter: int) -> str:
    """The quarter's cell of the load table's row headed row_name."""
    table = html[html.index('class="table capacity-table"') :]
    (row,) = [row for row in table.split("<tr")[1:] if f'<th scope="row">{row_name}' in row]
    return row.split('<td class="load-cell')[quarter]


def test_a_cell_says_what_its_count_leaves_out_and_the_participants_officer_sees_theirs(
    as_user, users, year, colleague, centre
):
    """Fordon (Falun, the officer's, Q2) leads; Borlänge's Städning (Olle's, Q3) takes part."""
    lead, participant = year["F-1"], year["B-1"]
    group = CoordinationGroup.objects.create(centre=centre, year=YEAR, title="Fordon", lead=lead)
    Procurement.objects.filter(pk__in=[lead.pk, participant.pk]).update(coordination=group)
    Procurement.objects.filter(pk=participant.pk).update(officer=colleague)
    response = as_user(users["officer"]).get(page_url())
    html = response.content.decode()
    lead_name = str(users["officer"])
    # The lead's cell: two procurements weigh (6 points), a third is listed with no weight.
    lead_cell = cell_html(html, lead_name, 2)
    assert "<summary>2 procurements, and 1 coordinated counted with the lead</summary>" in lead_cell
    assert lead_cell.count("<li ") == 3
    assert "6 / 5" in lead_cell
    # Olle's own Q3: Städning is his, with no weight, and says who carries it.
    own_cell = cell_html(html, "Olle Ek", 3)
    assert "<summary>1 coordinated, counted with the lead</summary>" in own_cell
    assert f"0 p · coordinated, counted with the lead ({lead_name})" in own_cell
    assert participant.get_absolute_url() in own_cell
    assert '<span class="load-figure">0 / <span aria-hidden="true">–</span>' in own_cell
    table = response.context["table"]
    assert table.row(colleague.pk).load == 0 and table.row(colleague.pk).count == 0


@pytest.mark.parametrize(
    ("counted", "with_lead", "summary"),
    [
        (3, 0, "3 procurements"),
        (1, 0, "1 procurement"),
        (10, 1, "10 procurements, and 1 coordinated counted with the lead"),
        (1, 2, "1 procurement, and 2 coordinated counted with the leads"),
        (0, 1, "1 coordinated, counted with the lead"),
        (0, 3, "3 coordinated, counted with the leads"),
    ],
)
def test_a_cells_summary_counts_what_it_lists(counted, with_lead, summary):
    def entry(pk, counts):
        item = Item(
            pk=pk, officer_id=1, quadrant=Quadrant.ROUTINE, procedure="open", advertised=date(YEAR, 1, 1)
        )
        return Entry(item=item, weight=Decimal(counts), counted=counts)

    cell = Cell(1, 1, None, [entry(pk, True) for pk in range(counted)])
    cell.entries += [entry(100 + pk, False) for pk in range(with_lead)]
    with translation.override("en"):
        html = render_to_string(
            "plans/centre/includes/load_cell.html", {"cell": cell, "row": None, "list": ""}
        )
    assert f"<summary>{summary}</summary>" in html


def test_a_procurement_of_next_years_plan_advertised_this_year_weighs_on_this_year(
    as_user, users, falun, officer
):
    plan_2028 = PlanFactory(municipality=falun, year=YEAR + 1)
    routine(plan_2028, "N-1", planned_advertisement=date(YEAR, 11, 1), officer=officer)
    table = as_user(users["officer"]).get(page_url()).context["table"]
    assert table.row(officer.pk).cells[3].load == 1
    response = as_user(users["officer"]).get(page_url(year=YEAR + 1))
    assert response.context["table"].row(officer.pk).load == 0
    # The next year's page says where it went.
    assert "1 procurement of the 2028 plans is advertised before 2028 and weighs on 2027" in (
        response.content.decode()
    )
    assert page_url() in response.content.decode()


def test_procurements_of_another_centres_municipalities_are_not_counted(as_user, users, year, officer):
    elsewhere = MunicipalityFactory(slug="mora", centre=CentreFactory(slug="vastra", name="Väst"))
    plan = PlanFactory(municipality=elsewhere, year=YEAR)
    routine(plan, "M-1", officer=officer)
    routine(plan, "M-2")
    table = as_user(users["officer"]).get(page_url()).context["table"]
    assert table.row(officer.pk).load == 7
    assert len(table.unassigned) == 2


# --- Assigning an officer ---------------------------------------------------------------------------


def test_assigning_by_post_without_javascript_redirects_back_with_a_message(as_user, users, year, colleague):
    client = as_user(users["officer"])
    target = year["B-1"]
    response = client.post(
        assign_url(target), {"officer": colleague.pk, "version": target.version, "page": "1"}
    )
    assert response.status_code == 302
    assert response.url == page_url() + "#unassigned"
    target.refresh_from_db()
    assert target.officer == colleague and target.version == 2
    entry = HistoryEntry.objects.get(procurement=target, action=HistoryEntry.Action.ASSIGNED)
    assert entry.user == users["officer"] and entry.changes == {"officer": ["", "Olle Ek"]}
    # The procurement's own page tells it in its history.
    history = client.get(target.get_absolute_url()).content.decode()
    assert "assigned the officer" in history and "Olle Ek" in history
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == ["B-1 Städning was assigned to Olle Ek."]
    table = client.get(page_url()).context["table"]
    assert table.row(colleague.pk).cells[2].load == 1
    assert [entry.item.pk for entry in table.unassigned] == [year["F-4"].pk]


def test_the_unassigned_list_is_paged_and_an_assignment_returns_to_its_page(
    as_user, users, year, monkeypatch
):
    monkeypatch.setattr("plans.centre.capacity_views.UNASSIGNED_PAGE_SIZE", 1)
    client = as_user(users["officer"])
    html = client.get(page_url() + "?page=2").content.decode()
    assert assign_url(year["B-1"]) in html and assign_url(year["F-4"]) not in html
    assert "?page=1#unassigned" in html
    data = {"officer": users["officer"].pk, "version": 1, "page": "2"}
    response = client.post(assign_url(year["B-1"]), data)
    assert response.url == page_url() + "?page=2#unassigned"


def test_a_plan_administrator_assigns_too(as_user, users, year, officer):
    target = year["F-4"]
    response = as_user(users["plan_admin"]).post(assign_url(target), {"officer": officer.pk, "version": 1})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.officer == officer


def test_assigning_with_htmx_answers_with_the_row_the_table_and_the_count(as_user, users, year, colleague):
    target = year["B-1"]
    response = as_user(users["officer"]).post(
        assign_url(target), {"officer": colleague.pk, "version": 1}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<tr id="unassigned-{target.pk}"')
    assert "Assigned to Olle Ek" in html
    assert '<div id="capacity-load" class="capacity-load" hx-swap-oob="true">' in html
    assert 'id="unassigned-heading" hx-swap-oob="true"' in html
    assert 'id="assign-status" hx-swap-oob="innerHTML"' in html
    table = response.context["table"]
    assert table.row(colleague.pk).cells[2].load == 1
    assert [entry.item.pk for entry in table.unassigned] == [year["F-4"].pk]


def test_a_stale_assignment_is_refused_and_says_who_has_it(as_user, users, year, officer, colleague):
    target = year["B-1"]
    client = as_user(users["officer"])
    client.post(assign_url(target), {"officer": colleague.pk, "version": 1})
    response = client.post(assign_url(target), {"officer": officer.pk, "version": 1})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.officer == colleague and target.version == 2
    assert HistoryEntry.objects.filter(procurement=target, action=HistoryEntry.Action.ASSIGNED).count() == 1
    message = [str(m) for m in get_messages(response.wsgi_request)][-1]
    assert "B-1" in message and "Olle Ek" in message


def test_a_stale_assignment_with_htmx_shows_the_error_in_the_row(as_user, users, year, officer, colleague):
    target = year["F-4"]
    Procurement.objects.filter(pk=target.pk).update(version=5, description="Ändrad.")
    response = as_user(users["officer"]).post(
        assign_url(target), {"officer": officer.pk, "version": 1}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error"' in html and 'aria-invalid="true"' in html
    assert 'name="version" value="5"' in html  # the row now offers the current version
    target.refresh_from_db()
    assert target.officer is None


def test_assigning_someone_who_is_not_an_officer_of_the_centre_is_refused(as_user, users, year, plan_admin):
    target = year["B-1"]
    for who in (users["politician"], plan_admin):
        response = as_user(users["officer"]).post(assign_url(target), {"officer": who.pk, "version": 1})
        assert response.status_code == 302
        message = [str(m) for m in get_messages(response.wsgi_request)][-1]
        assert message.startswith("B-1:")
    target.refresh_from_db()
    assert target.officer is None and target.version == 1


def test_the_service_refuses_a_non_officer_and_an_officer_of_another_centre(year, politician, officer):
    stranger = member(
        UserFactory(username="annan"), Role.OFFICER, centre=CentreFactory(slug="vastra", name="V")
    )
    for who in (politician, stranger):
        with pytest.raises(services.CapacityRefused):
            services.officer_assign(procurement=year["B-1"], officer=who, expected_version=1, user=officer)
    with pytest.raises(StaleEdit):
        services.officer_assign(procurement=year["B-1"], officer=officer, expected_version=7, user=officer)


def test_assigning_is_allowed_on_an_adopted_plan(year, adopted_plan, officer):
    done = routine(adopted_plan, "2017-001", planned_advertisement=date(2017, 2, 1))
    saved = services.officer_assign(procurement=done, officer=officer, expected_version=1, user=officer)
    assert saved.officer == officer


@pytest.mark.parametrize("role", ["politician", "department_rep", "outsider"])
def test_a_municipalitys_people_cannot_assign(as_user, users, year, officer, role):
    response = as_user(users[role]).post(assign_url(year["B-1"]), {"officer": officer.pk, "version": 1})
    assert response.status_code == 404
    assert Procurement.objects.get(pk=year["B-1"].pk).officer is None


def test_a_procurement_of_another_centre_cannot_be_assigned_from_this_desk(as_user, users, year, officer):
    elsewhere = MunicipalityFactory(slug="mora", centre=CentreFactory(slug="vastra", name="Väst"))
    foreign = routine(PlanFactory(municipality=elsewhere, year=YEAR), "M-1")
    response = as_user(users["officer"]).post(assign_url(foreign), {"officer": officer.pk, "version": 1})
    assert response.status_code == 404


def test_assigning_without_choosing_an_officer_changes_nothing(as_user, users, year):
    client = as_user(users["officer"])
    response = client.post(assign_url(year["B-1"]), {"officer": "", "version": 1}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Choose an officer." in response.content.decode()
    response = client.post(assign_url(year["B-1"]), {"officer": users["officer"].pk})  # no version
    assert response.status_code == 302
    assert Procurement.objects.get(pk=year["B-1"].pk).officer is None


def test_the_assignment_address_takes_only_post(as_user, users, year):
    assert as_user(users["officer"]).get(assign_url(year["B-1"])).status_code == 405


# --- Capacities and weights -------------------------------------------------------------------------


def capacity_post(officer, stamp, **points):
    data = {"part": "capacity", "stamp": stamp}
    data.update({f"c-{officer.pk}-{quarter[1:]}": value for quarter, value in points.items()})
    return data


def test_a_plan_administrator_sets_capacities(as_user, users, year, officer, colleague):
    client = as_user(users["plan_admin"])
    stamp = client.get(edit_url()).context["capacity_form"]["stamp"].value()
    data = capacity_post(officer, stamp, q1="4", q2="6,5", q3="", q4="0")
    data[f"c-{colleague.pk}-1"] = "3.5"
    response = client.post(edit_url(), data)
    assert response.status_code == 302
    assert response.url == page_url()
    stored = {(c.officer_id, c.quarter): c.points for c in OfficerCapacity.objects.all()}
    assert stored == {
        (officer.pk, 1): Decimal("4"),
        (officer.pk, 2): Decimal("6.5"),
        (officer.pk, 4): Decimal("0"),
        (colleague.pk, 1): Decimal("3.5"),
    }
    # The page now: Q2 6 of 6,5 is not over; Q1 1 of 4 neither.
    table = client.get(page_url()).context["table"]
    assert [cell.over for cell in table.row(officer.pk).cells] == [False, False, False, False]


def test_an_emptied_capacity_is_cleared(as_user, users, year, officer):
    client = as_user(users["plan_admin"])
    stamp = client.get(edit_url()).context["capacity_form"]["stamp"].value()
    client.post(edit_url(), capacity_post(officer, stamp, q2=""))
    assert not OfficerCapacity.objects.exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-1", "Points cannot be negative."),
        ("sex", "Enter a number of points, e.g. 6 or 2,5."),
        ("1e3", "Enter a number of points, e.g. 6 or 2,5."),
        ("2,25", "At most 1 decimal."),
        ("1000", "At most 999 points."),
    ],
)
def test_bad_capacity_input_is_refused_beside_the_field_and_nothing_is_saved(
    as_user, users, year, officer, typed, message
):
    client = as_user(users["plan_admin"])
    stamp = client.get(edit_url()).context["capacity_form"]["stamp"].value()
    response = client.post(edit_url(), capacity_post(officer, stamp, q1="4", q3=typed))
    assert response.status_code == 400
    form = response.context["capacity_form"]
    assert list(form.errors) == [f"c-{officer.pk}-3"]
    html = response.content.decode()
    assert f'id="id_c-{officer.pk}-3_error"' in html
    assert form.errors[f"c-{officer.pk}-3"] == [message]
    assert list(OfficerCapacity.objects.values_list("quarter", flat=True)) == [2]


def test_capacities_saved_by_someone_else_meanwhile_refuse_the_save(as_user, users, year, officer):
    client = as_user(users["plan_admin"])
    stamp = client.get(edit_url()).context["capacity_form"]["stamp"].value()
    OfficerCapacity.objects.create(
        centre=year["F-1"].plan.municipality.centre, officer=officer, year=YEAR, quarter=3, points=2
    )
    response = client.post(edit_url(), capacity_post(officer, stamp, q1="4"))
    assert response.status_code == 400
    assert response.context["capacity_form"].non_field_errors()
    assert not OfficerCapacity.objects.filter(quarter=1).exists()


def test_capacities_are_per_year(as_user, users, year, officer):
    client = as_user(users["plan_admin"])
    stamp = client.get(edit_url(year=YEAR + 1)).context["capacity_form"]["stamp"].value()
    client.post(edit_url(year=YEAR + 1), capacity_post(officer, stamp, q1="8"))
    assert OfficerCapacity.objects.get(year=YEAR + 1).points == 8
    assert OfficerCapacity.objects.filter(year=YEAR).count() == 1


def test_the_service_refuses_capacities_for_someone_who_is_not_an_officer(year, plan_admin, politician):
    centre = year["F-1"].plan.municipality.centre
    current = services.capacities_of(centre, YEAR)
    for who in (plan_admin, politician):
        with pytest.raises(services.CapacityRefused):
            services.capacity_set(
                centre=centre,
                year=YEAR,
                points={(who.pk, 1): Decimal(3)},
                expected_stamp=capacity_stamp(current),
                user=plan_admin,
            )
    assert OfficerCapacity.objects.count() == 1


def weights_post(version, **weights):
    data = {"part": "weights", "version": version}
    data.update({"strategic": "3", "leverage": "2", "bottleneck": "2", "routine": "1", "direct_award": "0,5"})
    data.update(weights)
    return data


def test_a_plan_administrator_sets_the_weights_and_the_load_follows(as_user, users, year, officer):
    client = as_user(users["plan_admin"])
    response = client.post(edit_url(), weights_post(1, strategic="2,5", routine="0"))
    assert response.status_code == 302
    settings = CentreSettings.objects.get()
    assert (settings.weight_strategic, settings.weight_routine, settings.version) == (Decimal("2.5"), 0, 2)
    table = client.get(page_url()).context["table"]
    assert [cell.load for cell in table.row(officer.pk).cells] == [0, 5, 0, 0]
    assert "strategic 2.5, leverage 2" in client.get(page_url()).content.decode()


@pytest.mark.parametrize(
    ("field", "typed"),
    [
        ("strategic", "-1"),
        ("leverage", "två"),
        ("routine", ""),
        ("direct_award", "0,125"),
        ("bottleneck", "21"),
    ],
)
def test_bad_weights_are_refused_beside_the_field(as_user, users, year, field, typed):
    response = as_user(users["plan_admin"]).post(edit_url(), weights_post(1, **{field: typed}))
    assert response.status_code == 400
    assert list(response.context["weights_form"].errors) == [field]
    assert f'id="id_{field}_error"' in response.content.decode()
    assert CentreSettings.objects.get().version == 1


def test_stale_weights_are_refused(as_user, users, year):
    client = as_user(users["plan_admin"])
    client.post(edit_url(), weights_post(1, strategic="4"))
    response = client.post(edit_url(), weights_post(1, strategic="5"))
    assert response.status_code == 400
    assert response.context["weights_form"].non_field_errors()
    assert CentreSettings.objects.get().weight_strategic == 4
    # The form now carries the current version: saving again replaces the other's weights knowingly.
    assert response.context["weights_form"].data["version"] == 2


def test_weights_without_a_version_are_refused(as_user, users, year):
    data = weights_post(1, strategic="5")
    del data["version"]
    response = as_user(users["plan_admin"]).post(edit_url(), data)
    assert response.status_code == 400
    assert CentreSettings.objects.get().weight_strategic == 3


# --- Queries ------------------------------------------------------------------------------------------


def build_year(centre, municipalities, size, officers):
    """size procurements spread over the municipalities' 2027 plans, half of them assigned."""
    plans = [PlanFactory(municipality=m, year=YEAR) for m in municipalities]
    departments = [DepartmentFactory(municipality=m) for m in municipalities]
    Procurement.objects.bulk_create(
        Procurement(
            plan=plans[n % len(plans)],
            ref=f"Q-{n:04d}",
            title=f"Upphandling {n}",
            department=departments[n % len(plans)],
            category="services",
            cpv="98310000",
            estimated_value_sek=100_000 * (1 + n % 40),
            duration_months=24,
            planned_advertisement=date(YEAR, 1 + n % 12, 1 + n % 28),
            procedure=("open", "direct_award")[n % 7 == 0],
            officer=officers[n % len(officers)] if n % 2 else None,
        )
        for n in range(size)
    )
    leads = list(Procurement.objects.filter(plan=plans[0]).order_by("pk")[:3])
    for lead in leads:
        group = CoordinationGroup.objects.create(centre=centre, year=YEAR, title=lead.title, lead=lead)
        partner = Procurement.objects.filter(plan=plans[1]).exclude(coordination__isnull=False).first()
        Procurement.objects.filter(pk__in=[lead.pk, partner.pk]).update(coordination=group)


@pytest.mark.parametrize("role", ["officer", "plan_admin"])
def test_the_page_runs_a_fixed_number_of_queries_however_many_procurements(as_user, users, centre, role):
    municipalities = [MunicipalityFactory(slug=f"k{n}", centre=centre) for n in range(10)]
    officers = [users["officer"]] + [
        member(UserFactory(username=f"officer{n}"), Role.OFFICER, centre=centre) for n in range(4)
    ]
    CentreSettings.of(centre)  # as it is once anyone has opened the desk
    client = as_user(users[role])
    counts = []
    for size in (20, 200):
        build_year(centre, municipalities, size, officers)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page_url())
        assert response.status_code == 200
        counts.append(len(queries))
        Procurement.objects.all().delete()
        CoordinationGroup.objects.all().delete()
        for m in municipalities:
            m.plans.all().delete()
    assert counts[0] == counts[1], counts
    assert counts[0] <= MAX_QUERIES, counts


def test_titles_are_shown_as_text_in_the_cells_and_the_unassigned_list(as_user, users, year, officer):
    payload = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    Procurement.objects.filter(pk__in=[year["F-1"].pk, year["B-1"].pk]).update(title=payload)
    html = as_user(users["officer"]).get(page_url()).content.decode()
    assert "<script>alert(" not in html and "<img src=x" not in html
    # In the officer's Q2 list, the unassigned row's Q3 list and the unassigned table.
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 3
