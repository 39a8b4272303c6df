"""Dates and amounts as people type them, read by one rule wherever they are typed (the import, and every
form: procurements, orders, outcomes, the rubric, the remiss window): a date is ISO 2027-02-01 or Swedish
1/2/2027 (1 February, never 2 January), anything else is refused with a message beside the field; an
amount is whole kronor, öre are refused with a message, and one beyond the limit says the limit in kronor.

Decided at the edges: "12400000,00" is whole kronor and accepted; "01.02.2027" and "1/2/27" are refused
rather than read (one reading per form of writing, and the message says how to write it)."""

from datetime import date

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from plans.formatting import format_sek
from plans.models import Order, Procurement
from plans.register import fields, validation
from tests.factories import ProcurementFactory
from tests.plans.register.test_procurement_pages import form_data, url


@pytest.fixture(autouse=True)
def swedish():
    """The messages as a Swede reads them, whatever an earlier test left active."""
    with translation.override("sv"):
        yield


# --- The date rule ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2027-02-01", date(2027, 2, 1)),
        ("1/2/2027", date(2027, 2, 1)),  # day first, as a Swede writes it
        ("01/02/2027", date(2027, 2, 1)),
        (" 1/2/2027 ", date(2027, 2, 1)),
        ("31/12/2027", date(2027, 12, 31)),
        ("29/2/2028", date(2028, 2, 29)),  # a leap year
        ("1/12/2027", date(2027, 12, 1)),
        ("2027-02-01 00:00", date(2027, 2, 1)),  # a spreadsheet's midnight
        ("2027-02-01T00:00:00", date(2027, 2, 1)),
        ("29/2/2027", None),  # no such day
        ("31/4/2027", None),
        ("0/1/2027", None),
        ("12/13/2027", None),  # month-first (American) is never guessed
        ("2027-02-30", None),
        ("2027-2-1", None),
        ("01.02.2027", None),  # decided: refused, the message says how to write it
        ("1/2/27", None),  # a two-digit year is refused
        ("1/2 2027", None),
        ("2027/02/01", None),
        ("1 februari 2027", None),
        ("2027-02-01 12:00", None),  # a time of day is not a date
        ("١/٢/٢٠٢٧", None),  # digits of another script
        ("", None),
    ],
)
def test_the_date_rule(text, expected):
    if expected is None:
        with pytest.raises(ValueError):
            validation.read_date(text)
    else:
        assert validation.read_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected", "message"),
    [
        ("1/2/2027", date(2027, 2, 1), None),
        ("2027-02-01", date(2027, 2, 1), None),
        ("", None, None),
        ("29/2/2027", None, "”29/2/2027” är inte ett datum"),
        ("01.02.2027", None, "”01.02.2027” är inte ett datum"),
        ("2/13/2027", None, "”2/13/2027” är inte ett datum"),
    ],
)
def test_a_date_field_reads_the_rule_and_names_the_field(text, expected, message):
    field = fields.DateField(label="planerad annonsering", required=False)
    if message is None:
        assert field.clean(text) == expected
    else:
        with pytest.raises(forms.ValidationError) as refused:
            field.clean(text)
        assert refused.value.messages == [f"Planerad annonsering: {message} (skriv det som 2027-03-01)"]


# --- The amount rule -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected", "message"),
    [
        ("12 400 000", 12_400_000, None),
        ("12400000", 12_400_000, None),
        ("12 400 000 kr", 12_400_000, None),
        ("12400000,00", 12_400_000, None),  # decided: zero öre is whole kronor
        ("12 400 000,50", None, "har ören; skriv beloppet i hela kronor"),
        ("12 400 000.5", None, "har ören"),
        ("0,01", None, "har ören"),
        (str(validation.MAX_AMOUNT), validation.MAX_AMOUNT, None),
        (str(validation.MAX_AMOUNT + 1), None, "är för stort"),
        ("99999999999999999999", None, "är för stort"),
        ("tolv", None, "Ange ett belopp i kronor"),
    ],
)
def test_an_amount_field_takes_whole_kronor_only(text, expected, message):
    field = fields.SEKField(label="uppskattat värde (kr)", required=False)
    if message is None:
        assert field.clean(text) == expected
    else:
        with pytest.raises(forms.ValidationError) as refused:
            field.clean(text)
        assert message in refused.value.messages[0]


@pytest.mark.parametrize(
    "text", [str(validation.MAX_AMOUNT + 1), "99999999999999999999", "9223372036854775808"]
)
def test_an_amount_too_large_says_the_limit_in_kronor(text):
    with pytest.raises(forms.ValidationError) as refused:
        fields.SEKField(label="uppskattat värde (kr)").clean(text)
    message = refused.value.messages[0]
    assert format_sek(validation.MAX_AMOUNT) in message  # "1 000 000 000 000 000 kr"
    assert "9223372036854775807" not in message


# --- Through the forms -----------------------------------------------------------------------------


@pytest.fixture
def procurement(falun_plan, serv):
    return ProcurementFactory(plan=falun_plan, department=serv, ref="2027-001", title="Arbetskläder")


def error_beside(body: str, field: str) -> str:
    marker = f'id="id_{field}_error">'
    assert marker in body, f"no error beside {field}"
    start = body.index(marker) + len(marker)
    return body[start : body.index("</p>", start)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1/2/2027", date(2027, 2, 1)), ("01/02/2027", date(2027, 2, 1)), ("2027-02-01", date(2027, 2, 1))],
)
def test_a_procurement_takes_a_swedish_date_as_a_swede_means_it(
    text, expected, client_for, officer, procurement
):
    response = client_for(officer).post(
        url("procurement_edit", procurement),
        form_data(procurement, planned_advertisement=text, current_contract_ends="31/12/2027"),
    )
    assert response.status_code == 302
    procurement.refresh_from_db()
    assert procurement.planned_advertisement == expected
    assert procurement.current_contract_ends == date(2027, 12, 31)


@pytest.mark.parametrize("text", ["29/2/2027", "01.02.2027", "2/13/2027"])
def test_a_date_that_is_not_one_is_refused_beside_the_field_and_nothing_saved(
    text, client_for, officer, procurement
):
    before = procurement.planned_advertisement
    response = client_for(officer).post(
        url("procurement_edit", procurement), form_data(procurement, planned_advertisement=text)
    )
    assert response.status_code == 200
    assert f"”{text}” är inte ett datum" in error_beside(response.content.decode(), "planned_advertisement")
    procurement.refresh_from_db()
    assert procurement.planned_advertisement == before


def test_a_huge_estimated_value_says_the_limit_in_kronor(client_for, officer, procurement):
    response = client_for(officer).post(
        url("procurement_edit", procurement),
        form_data(procurement, estimated_value_sek="99999999999999999999"),
    )
    message = error_beside(response.content.decode(), "estimated_value_sek")
    assert format_sek(validation.MAX_AMOUNT) in message.replace("&nbsp;", "\u00a0")
    assert "9223372036854775807" not in response.content.decode()
    assert Procurement.objects.get().estimated_value_sek == procurement.estimated_value_sek


def test_ore_on_a_procurement_are_refused_beside_the_field(client_for, officer, procurement):
    response = client_for(officer).post(
        url("procurement_edit", procurement), form_data(procurement, estimated_value_sek="12 400 000,50")
    )
    assert response.status_code == 200
    assert "”12 400 000,50” har ören" in error_beside(response.content.decode(), "estimated_value_sek")
    procurement.refresh_from_db()
    assert procurement.estimated_value_sek != 12_400_000


@pytest.fixture
def ordering():
    import time_machine

    from tests.plans.orders.test_pages import ORDER_DAY

    with time_machine.travel(ORDER_DAY, tick=False):
        yield


@pytest.mark.usefixtures("ordering")
def test_an_order_takes_a_swedish_date_and_refuses_ore(falun_plan, department_rep, client_for):
    from tests.plans.orders.test_pages import form_data as order_data

    client = client_for(department_rep)
    create = reverse("plans:order_create", args=["falun", 2027])
    refused = client.post(create, order_data(estimated_value_sek="2 600 000,50", desired_start="1/2/2027"))
    assert refused.status_code == 200 and "har ören" in error_beside(
        refused.content.decode(), "estimated_value_sek"
    )
    assert not Order.objects.exists()
    assert client.post(create, order_data(desired_start="1/2/2027")).status_code == 302
    assert Order.objects.get().desired_start == date(2027, 2, 1)


def test_the_remiss_window_takes_a_swedish_date(client_for, plan_admin, falun_plan):
    data = {
        "action": "window",
        "remiss_starts": "15/8/2026",
        "remiss_ends": "30/11/2026",
        "version": falun_plan.version,
    }
    response = client_for(plan_admin).post(reverse("plans:manage", args=["falun", 2027]), data)
    assert response.status_code == 302
    falun_plan.refresh_from_db()
    assert (falun_plan.remiss_starts, falun_plan.remiss_ends) == (date(2026, 8, 15), date(2026, 11, 30))
