"""One procurement's page, and creating, editing and deleting procurements, per role."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Role
from plans.models import Procurement
from tests.factories import ProcurementFactory, UserFactory, member


def url(name, procurement=None, plan=None, **extra):
    plan = plan or procurement.plan
    kwargs = {"municipality": plan.municipality.slug, "year": plan.year}
    if procurement is not None:
        kwargs["ref"] = procurement.ref
    return reverse(f"plans:{name}", kwargs=kwargs)


def form_data(procurement, **changes):
    data = {
        "ref": procurement.ref,
        "title": procurement.title,
        "description": procurement.description,
        "department": procurement.department_id,
        "category": procurement.category,
        "cpv": procurement.cpv,
        "estimated_value_sek": str(procurement.estimated_value_sek),
        "duration_months": procurement.duration_months,
        "planned_advertisement": procurement.planned_advertisement.isoformat(),
        "current_contract_ends": "",
        "procedure": procurement.procedure,
        "possible_suppliers": procurement.possible_suppliers or "",
        "climate_impact": procurement.climate_impact,
        "environmental_level": procurement.environmental_level,
        "officer": "",
        "version": procurement.version,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("officer", 200),
        ("plan_admin", 200),
        ("politician", 200),
        ("department_rep", 200),
        ("outsider", 404),
        ("anonymous", 302),
    ],
)
def test_procurement_page_per_role(role, status, users, client_for, procurement):
    response = client_for(users[role]).get(url("procurement", procurement))
    assert response.status_code == status
    assert ("Arbetskläder" in response.content.decode()) is (status == 200)


def test_a_procurement_of_another_plan_is_not_found_by_guessing_its_ref(
    client_for, outsider, procurement, borlange
):
    from tests.factories import PlanFactory

    borlange_plan = PlanFactory(municipality=borlange, year=2027)
    response = client_for(outsider).get(f"/plans/borlange/2027/{procurement.ref}/")
    assert borlange_plan.procurements.count() == 0
    assert response.status_code == 404


def test_confidential_description_is_hidden_from_politicians(client_for, politician, officer, procurement):
    procurement.confidential = True
    procurement.description = "Hemlig kalkyl"
    procurement.save()
    assert "Hemlig kalkyl" not in client_for(politician).get(url("procurement", procurement)).content.decode()
    assert "Hemlig kalkyl" in client_for(officer).get(url("procurement", procurement)).content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("officer", 200),
        ("plan_admin", 403),
        ("politician", 403),
        ("department_rep", 403),
        ("outsider", 404),
        ("anonymous", 302),
    ],
)
def test_the_edit_form_is_for_officers(role, status, users, client_for, procurement):
    assert client_for(users[role]).get(url("procurement_edit", procurement)).status_code == status


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("34110000-1", "34110000"),
        ("3411 0000", "34110000"),
        ("3220000", "03220000"),
        ('="03220000"', "03220000"),  # pasted from the Swedish CSV export as a text editor shows it
        ("18100000", "18100000"),
    ],
)
def test_the_form_keeps_a_cpv_code_as_eight_digits_however_it_is_written(
    client_for, officer, procurement, written, kept
):
    response = client_for(officer).post(
        url("procurement_edit", procurement), form_data(procurement, cpv=written)
    )
    assert response.status_code == 302
    procurement.refresh_from_db()
    assert procurement.cpv == kept


@pytest.mark.parametrize("role", ["plan_admin", "politician", "department_rep", "outsider", "anonymous"])
def test_only_officers_can_post_an_edit(role, users, client_for, procurement):
    response = client_for(users[role]).post(
        url("procurement_edit", procurement), form_data(procurement, title="Hackad")
    )
    assert response.status_code in {302, 403, 404}
    procurement.refresh_from_db()
    assert procurement.title == "Arbetskläder"


def test_an_officer_corrects_a_procurement(client_for, officer, procurement):
    response = client_for(officer).post(
        url("procurement_edit", procurement),
        form_data(procurement, title="Arbetskläder och skor", estimated_value_sek="12 400 000"),
    )
    assert response.status_code == 302
    assert response["Location"] == url("procurement", procurement)
    procurement.refresh_from_db()
    assert procurement.title == "Arbetskläder och skor"
    assert procurement.estimated_value_sek == 12_400_000
    assert procurement.version == 2


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("estimated_value_sek", "-1", "kan inte vara negativt"),
        ("estimated_value_sek", "tolv miljoner", "Ange ett belopp i kronor"),
        ("cpv", "3411", "CPV-kod"),
        ("cpv", "34110000-12", "CPV-kod"),
        ("duration_months", "0", "mellan 1 och 120"),
        ("duration_months", "121", "mellan 1 och 120"),
        ("planned_advertisement", "2028-01-01", "2027 eller tidigare"),
        ("planned_advertisement", "1 mars", "”1 mars” är inte ett datum"),
        ("title", "", "Detta fält måste fyllas i"),
        ("ref", "2027/001", "Referensen"),
        ("ref", "review", "reserverad"),
        ("category", "spaceships", "Välj ett giltigt alternativ"),
        ("possible_suppliers", "0", "minst en"),
        # The import's bounds, in the import's words (issue 12): whole kronor, the column's range.
        ("estimated_value_sek", "12 400 000,50", "Uppskattat värde (kr): ”12 400 000,50” har ören"),
        ("estimated_value_sek", "700000.5", "har ören; skriv beloppet i hela kronor"),
        ("estimated_value_sek", "10000000000000001", "”10000000000000001” är för stort"),
        ("estimated_value_sek", "99999999999999999999999", "är för stort"),
        ("estimated_value_sek", "-5", "Det uppskattade värdet kan inte vara negativt."),
        ("duration_months", "-3", "Avtalstiden ska vara mellan 1 och 120 månader."),
        ("duration_months", "99999999999", "Avtalstiden ska vara mellan 1 och 120 månader."),
        ("duration_months", "12,5", "”12,5” är inte ett heltal"),
        ("possible_suppliers", "40000", "Antal möjliga leverantörer: ”40000” är för stort"),
        ("possible_suppliers", "-1", "minst en möjlig leverantör"),
    ],
)
def test_invalid_fields_show_a_swedish_message_beside_the_field_and_save_nothing(
    field, value, message, client_for, officer, procurement
):
    response = client_for(officer).post(
        url("procurement_edit", procurement), form_data(procurement, **{field: value})
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="id_{field}_error"' in body
    error_at = body.index(f'id="id_{field}_error"')
    assert message in body[error_at : error_at + 400]
    assert body.count(f'id="id_{field}_error"') == 1  # one message, not Django's as well
    assert "9223372036854775807" not in body and "32767" not in body
    procurement.refresh_from_db()
    assert procurement.version == 1
    assert procurement.title == "Arbetskläder"


def test_a_department_of_another_municipality_is_refused(client_for, officer, procurement, borlange):
    from tests.factories import DepartmentFactory

    foreign = DepartmentFactory(municipality=borlange, code="BOR")
    response = client_for(officer).post(
        url("procurement_edit", procurement), form_data(procurement, department=foreign.pk)
    )
    assert response.status_code == 200
    assert 'id="id_department_error"' in response.content.decode()
    procurement.refresh_from_db()
    assert procurement.department.code == "SERV"


def test_a_ref_is_unique_within_its_plan(client_for, officer, procurement, serv):
    other = ProcurementFactory(plan=procurement.plan, department=serv, ref="2027-002")
    response = client_for(officer).post(url("procurement_edit", other), form_data(other, ref="2027-001"))
    assert response.status_code == 200
    assert "används redan" in response.content.decode()
    other.refresh_from_db()
    assert other.ref == "2027-002"


def test_the_same_ref_may_be_used_in_another_plan(client_for, officer, procurement, adopted_plan, serv):
    assert ProcurementFactory(plan=adopted_plan, department=serv, ref=procurement.ref).pk


def test_a_stale_edit_is_refused_and_shows_the_other_change(client_for, officer, procurement):
    client = client_for(officer)
    loaded = form_data(procurement)
    # Someone else saves first.
    client.post(url("procurement_edit", procurement), {**loaded, "title": "Deras titel"})
    response = client.post(url("procurement_edit", procurement), {**loaded, "title": "Min titel"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Någon annan sparade" in body
    assert "Deras titel" in body and "Min titel" in body
    procurement.refresh_from_db()
    assert procurement.title == "Deras titel"
    assert procurement.version == 2


def test_a_stale_edit_shows_amounts_in_kronor_and_who_saved_the_other_version_and_when(
    client_for, officer, procurement, centre
):
    colleague = member(
        UserFactory(username="kollega", first_name="Karin", last_name="Kollega"), Role.OFFICER, centre=centre
    )
    loaded = form_data(procurement, estimated_value_sek="400000")
    with time_machine.travel(datetime(2026, 9, 15, 10, 30, tzinfo=ZoneInfo("Europe/Stockholm")), tick=False):
        saved = client_for(colleague).post(
            url("procurement_edit", procurement),
            {**loaded, "estimated_value_sek": "450000", "procedure": "direct_award"},
        )
        assert saved.status_code == 302
    response = client_for(officer).post(
        url("procurement_edit", procurement), {**loaded, "estimated_value_sek": "500000"}
    )
    conflict = response.content.decode().split('class="table conflict"')[1].split("</table>")[0]
    assert "450\u00a0000\u00a0kr" in conflict and "500\u00a0000\u00a0kr" in conflict
    assert "450000" not in conflict
    assert (
        "Direktupphandling" in conflict and ">direct_award<" not in conflict
    )  # the procedure as people say it
    assert "Karin Kollega" in conflict and "2026-09-15 10:30" in conflict


def test_an_edit_without_a_version_is_refused(client_for, officer, procurement):
    data = form_data(procurement, title="Utan version")
    del data["version"]
    response = client_for(officer).post(url("procurement_edit", procurement), data)
    assert response.status_code == 200
    procurement.refresh_from_db()
    assert procurement.title == "Arbetskläder"


def test_an_officer_creates_a_procurement(client_for, officer, falun_plan, serv):
    template = ProcurementFactory.build(plan=falun_plan, department=serv, ref="2027-050", title="Skolskjuts")
    response = client_for(officer).post(url("procurement_create", plan=falun_plan), form_data(template))
    assert response.status_code == 302
    created = Procurement.objects.get(plan=falun_plan, ref="2027-050")
    assert created.title == "Skolskjuts"
    assert created.planned_advertisement == date(2027, 3, 1)


@pytest.mark.parametrize("role", ["plan_admin", "politician", "department_rep"])
def test_others_cannot_create(role, users, client_for, falun_plan, serv):
    template = ProcurementFactory.build(plan=falun_plan, department=serv, ref="2027-050")
    client = client_for(users[role])
    assert client.get(url("procurement_create", plan=falun_plan)).status_code == 403
    assert client.post(url("procurement_create", plan=falun_plan), form_data(template)).status_code == 403
    assert not Procurement.objects.filter(ref="2027-050").exists()


def test_an_officer_deletes_a_procurement(client_for, officer, procurement):
    client = client_for(officer)
    assert client.get(url("procurement_delete", procurement)).status_code == 200
    response = client.post(url("procurement_delete", procurement))
    assert response.status_code == 302
    assert not Procurement.objects.filter(pk=procurement.pk).exists()


@pytest.mark.parametrize("role", ["plan_admin", "politician", "department_rep"])
def test_others_cannot_delete(role, users, client_for, procurement):
    assert client_for(users[role]).post(url("procurement_delete", procurement)).status_code == 403
    assert Procurement.objects.filter(pk=procurement.pk).exists()


def test_an_adopted_plan_is_read_only(client_for, officer, adopted_plan, serv):
    procurement = ProcurementFactory(plan=adopted_plan, department=serv, ref="2017-001", title="Personbilar")
    client = client_for(officer)
    assert client.get(url("procurement_edit", procurement)).status_code == 403
    assert (
        client.post(url("procurement_edit", procurement), form_data(procurement, title="Ny")).status_code
        == 403
    )
    assert "Redigera" not in client.get(url("procurement", procurement)).content.decode()
    procurement.refresh_from_db()
    assert procurement.title == "Personbilar"


@pytest.mark.parametrize("ref", ["2027-014", "A.b_c-1", "Ö-2027", "x y", "50%", "ref?x=1#y"])
def test_the_address_drawn_without_reverse_is_the_one_reverse_gives(ref, falun_plan):
    """Procurement.address is what the plan table, the matrix and the queue link with; refs outside the
    allowed characters (Ö, space, %, ?) still come out quoted as reverse() quotes them."""
    from django.urls import reverse

    from plans.models import Procurement

    expected = reverse("plans:procurement", kwargs={"municipality": "falun", "year": 2027, "ref": ref})
    assert Procurement.address(falun_plan.get_absolute_url(), ref) == expected


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("34110000", "Passenger cars"),
        ("34119999", "Passenger cars"),  # not in the vocabulary: the nearest coarser code's label
        ("03220000", "Vegetables, fruits and nuts"),
    ],
)
def test_the_page_shows_the_cpv_label_beside_the_code(client_for, officer, procurement, code, label):
    Procurement.objects.filter(pk=procurement.pk).update(cpv=code)
    page = client_for(officer).get(url("procurement", procurement)).content.decode()
    assert f'{code} <span class="muted" lang="en">{label}</span>' in page


def test_the_history_shows_a_changed_cpv_code_with_its_labels(client_for, officer, procurement):
    client = client_for(officer)
    client.post(url("procurement_edit", procurement), form_data(procurement, cpv="34110000"))
    page = client.get(url("procurement", procurement)).content.decode()
    assert (
        '98310000 <span class="muted" lang="en">Washing and dry-cleaning services</span>'
        ' → 34110000 <span class="muted" lang="en">Passenger cars</span>'
    ) in page
