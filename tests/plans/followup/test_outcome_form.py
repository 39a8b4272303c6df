"""The outcome form as an officer meets it on a busy day: a date typed as a Swede writes it is read as
meant, a bad one comes back as typed with one message beside it, and a refused form says at the top
that nothing was saved, as the procurement form does."""

import re
from datetime import date

import pytest
from django.urls import reverse

from plans.models import Outcome
from tests.factories import ProcurementFactory

NOTHING_SAVED = "Inget sparades. Rätta de markerade fälten nedan."


@pytest.fixture
def procurement(falun_plan, serv):
    return ProcurementFactory(plan=falun_plan, department=serv, ref="2027-001", title="Arbetskläder")


def outcome_url(procurement):
    plan = procurement.plan
    return reverse("plans:outcome", args=[plan.municipality.slug, plan.year, procurement.ref])


def date_input(body: str, name: str) -> dict:
    """The attributes of the input named name, as the browser receives them."""
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', body).group(0)
    return dict(re.findall(r'(\w[\w-]*)="([^"]*)"', tag))


def post(client, procurement, **data):
    return client.post(outcome_url(procurement), {"status": "advertised", "version": "0", **data})


def test_a_swedish_date_is_saved_as_meant(client_for, officer, procurement):
    response = post(client_for(officer), procurement, advertised_on="1/2/2027", contract_starts="31/12/2027")
    assert response.status_code == 302
    outcome = Outcome.objects.get(procurement=procurement)
    assert (outcome.advertised_on, outcome.contract_starts) == (date(2027, 2, 1), date(2027, 12, 31))


@pytest.mark.parametrize("typed", ["32/1/2027", "29/2/2027", "01.02.2027", "snart"])
def test_a_bad_date_comes_back_as_typed(typed, client_for, officer, procurement):
    """A date input (type="date") shows nothing for a value that is not yyyy-mm-dd: the browser throws
    it away. What was typed comes back in a text input, so the officer sees it beside the message."""
    response = post(client_for(officer), procurement, advertised_on=typed)
    assert response.status_code == 400
    attributes = date_input(response.content.decode(), "advertised_on")
    assert attributes["value"] == typed
    assert attributes["type"] == "text"
    assert not Outcome.objects.filter(procurement=procurement).exists()


def test_a_good_date_in_a_refused_form_comes_back_as_a_date_the_browser_shows(
    client_for, officer, procurement
):
    response = post(client_for(officer), procurement, advertised_on="1/2/2027", bids="många")
    assert response.status_code == 400
    attributes = date_input(response.content.decode(), "advertised_on")
    assert (attributes["type"], attributes["value"]) == ("date", "2027-02-01")


def test_a_bad_date_has_one_message_beside_it(client_for, officer, procurement):
    body = post(client_for(officer), procurement, advertised_on="32/1/2027").content.decode()
    assert body.count('id="id_advertised_on_error"') == 1
    assert "”32/1/2027” är inte ett datum" in body


@pytest.mark.parametrize(
    "data",
    [
        {"advertised_on": "32/1/2027"},
        {"bids": "2.5"},
        {"awarded_value_sek": "2 900 000,75"},
        {"advertised_on": ""},
    ],
)
def test_a_refused_outcome_says_nothing_was_saved(data, client_for, officer, procurement):
    response = post(client_for(officer), procurement, **data)
    assert response.status_code == 400
    body = response.content.decode()
    assert NOTHING_SAVED in body
    assert not Outcome.objects.filter(procurement=procurement).exists()


def test_a_saved_outcome_shows_no_such_banner(client_for, officer, procurement):
    client = client_for(officer)
    assert NOTHING_SAVED not in client.get(outcome_url(procurement)).content.decode()
