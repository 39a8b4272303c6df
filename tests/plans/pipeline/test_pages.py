"""The pipeline's pages as a visitor meets them: no login, bad input answered clearly and changing nothing."""

import csv
import io
import json
import re
from datetime import date
from xml.etree import ElementTree

import pytest
from django.core import mail

from plans.models import Subscription
from plans.pipeline import alerts
from tests.factories import PlanFactory, ProcurementFactory

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def test_anonymous_visitors_see_the_coming_procurements(client, coming_one):
    response = client.get("/kommande/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Skolmåltider och livsmedel" in page
    assert coming_one.get_absolute_url() in page
    assert "15000000" in page and "Food, beverages, tobacco and related products" in page
    # The procurement page it links to is public too.
    assert client.get(coming_one.get_absolute_url()).status_code == 200


def test_a_published_draft_is_listed_and_readable_until_it_is_unpublished(client, falun, serv):
    draft = PlanFactory(municipality=falun, year=2027, publish_draft=True)
    procurement = ProcurementFactory(plan=draft, department=serv, title="Hemtjänstbilar")
    assert "Hemtjänstbilar" in client.get("/kommande/").content.decode()
    assert client.get(procurement.get_absolute_url()).status_code == 200
    draft.publish_draft = False
    draft.save()
    assert "Hemtjänstbilar" not in client.get("/kommande/").content.decode()
    # Not public: the visitor is asked to log in, as for any plan they may not see.
    assert client.get(procurement.get_absolute_url()).status_code == 302


@pytest.mark.parametrize(("setting", "shown"), [(True, True), (False, False)])
def test_the_public_page_names_the_officer_to_ask_when_the_plan_says_so(
    client, public_plan, serv, officer, setting, shown
):
    public_plan.show_officer_email = setting
    public_plan.save()
    officer.email = "stefan.g@uhc.example"
    officer.save()
    procurement = ProcurementFactory(plan=public_plan, department=serv, officer=officer)
    page = client.get(procurement.get_absolute_url()).content.decode()
    assert ("stefan.g@uhc.example" in page) is shown


def test_members_see_the_officer_e_mail_whatever_the_setting(
    client_for, public_plan, serv, officer, politician
):
    officer.email = "stefan.g@uhc.example"
    officer.save()
    procurement = ProcurementFactory(plan=public_plan, department=serv, officer=officer)
    assert (
        "stefan.g@uhc.example" in client_for(politician).get(procurement.get_absolute_url()).content.decode()
    )


def test_subscribing_from_the_page(client, coming_one, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/kommande/alerts/", {"email": "inkop@leverantor.se", "query": "q=skolm%C3%A5ltider&lots=1"}
        )
    assert response.status_code == 302
    assert response["Location"] == "/kommande/alerts/sent/?q=skolm%C3%A5ltider&lots=1"
    assert Subscription.objects.get().query == "q=skolm%C3%A5ltider&lots=1"
    assert len(mail.outbox) == 1
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize("email", ["", "not-an-address", "a@", "x" * 300 + "@b.se"])
def test_a_bad_address_is_refused_beside_the_field_and_nothing_is_stored(client, email):
    response = client.post("/kommande/alerts/", {"email": email, "query": "q=bilar"})
    assert response.status_code == 400
    assert 'id="email-error"' in response.content.decode()
    assert not Subscription.objects.exists()
    assert mail.outbox == []


def test_a_query_that_cannot_be_used_is_stored_as_the_search_it_means(client):
    client.post("/kommande/alerts/", {"email": "a@b.se", "query": "value=huge&q=%00bilar&zzz=1"})
    assert Subscription.objects.get().query == ""


def test_the_confirmation_link_shows_first_and_confirms_with_the_button(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/kommande/alerts/", {"email": "a@b.se", "query": "q=bilar"})
    url = re.search(r"http://[^\s]+(/kommande/alerts/confirm/[^\s]+/)", mail.outbox[0].body).group(1)
    shown = client.get(url)
    assert shown.status_code == 200
    assert (
        Subscription.objects.get().confirmed_at is None
    )  # a mail scanner following the link confirms nothing
    assert client.post(url).status_code == 200
    assert Subscription.objects.get().confirmed_at is not None
    again = client.post(url)
    assert again.status_code == 200
    assert again.context["state"] == alerts.LinkState.ALREADY


@pytest.mark.parametrize("token", ["x", "abc:def:ghi", "%00", "a" * 2000])
def test_a_broken_link_gets_a_clear_page(client, token):
    for url in (f"/kommande/alerts/confirm/{token}/", f"/kommande/alerts/unsubscribe/{token}/"):
        response = client.get(url)
        assert response.status_code in (400, 404)


def test_the_link_shows_the_alert_and_the_button_ends_it(client, coming_one):
    subscription = Subscription.objects.create(
        email="a@b.se", query="q=bilar", confirmed_at=coming_one.created_at
    )
    url = f"/kommande/alerts/unsubscribe/{alerts.unsubscribe_token(subscription)}/"
    shown = client.get(url)
    assert shown.status_code == 200
    # A mail scanner following the link ends nothing.
    assert Subscription.objects.filter(pk=subscription.pk).exists()
    assert 'method="post"' in shown.content.decode()
    assert client.post(url).status_code == 200
    assert not Subscription.objects.filter(pk=subscription.pk).exists()
    again = client.get(url)
    assert again.status_code == 200 and again.context["state"] == alerts.LinkState.GONE


def test_the_mail_programs_one_click_posts_without_a_csrf_token(coming_one):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    subscription = Subscription.objects.create(email="a@b.se", query="", confirmed_at=coming_one.created_at)
    url = f"/kommande/alerts/unsubscribe/{alerts.unsubscribe_token(subscription)}/"
    response = strict.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Subscription.objects.exists()


def test_the_atom_feed_follows_the_search(client, coming_one, public_plan, serv):
    ProcurementFactory(
        plan=public_plan, department=serv, title="Snöröjning", planned_advertisement=date(2027, 1, 5)
    )
    response = client.get("/kommande/feed.atom", {"q": "skolmåltider"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    titles = [entry.find(f"{ATOM}title").text for entry in feed.findall(f"{ATOM}entry")]
    assert titles == ["Skolmåltider och livsmedel – Falu kommun"]


def test_the_search_as_csv(client, coming_one, public_plan, serv):
    ProcurementFactory(
        plan=public_plan,
        department=serv,
        title="Vaktbolag",
        estimated_value_sek=4_444_444,
        confidential=True,
        cpv="03220000",
        planned_advertisement=date(2027, 1, 5),
    )
    response = client.get("/kommande/export.csv")
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 3
    assert "4444444" not in text
    # The leading zero survives a spreadsheet: the code is written as a text formula.
    assert '="03220000"' in text


def test_the_search_as_ocds_keeps_its_query_in_the_uri(client, coming_one):
    response = client.get("/kommande/export.json", {"q": "skolmåltider"})
    package = json.loads(response.content)
    assert package["uri"].endswith("/kommande/export.json?q=skolm%C3%A5ltider")
    assert [release["tender"]["title"] for release in package["releases"]] == ["Skolmåltider och livsmedel"]


def test_an_unknown_file_type_is_not_found(client):
    assert client.get("/kommande/export.xml").status_code == 404


def test_a_published_draft_shows_the_public_the_draft_not_its_consultation(
    client, client_for, falun, serv, politician, department_rep
):
    from plans.models import Comment, Guidance, StrategicFlag

    draft = PlanFactory(municipality=falun, year=2027, publish_draft=True)
    procurement = ProcurementFactory(plan=draft, department=serv, title="Hemtjänstbilar")
    Comment.objects.create(
        procurement=procurement, user=department_rep, department=serv, text="Värdet är för lågt"
    )
    Guidance.objects.create(
        procurement=procurement, user=politician, kind="within_frame", text="Endast elbilar"
    )
    StrategicFlag.objects.create(
        procurement=procurement, flagged=True, reason="Politiskt känslig", user=politician
    )
    public = client.get(procurement.get_absolute_url()).content.decode()
    assert "Hemtjänstbilar" in public
    for secret in (
        "Värdet är för lågt",
        "Endast elbilar",
        "Politiskt känslig",
        politician.get_full_name() or "x" * 9,
    ):
        assert secret not in public
    assert 'id="consultation-note"' in public
    # The municipality's members see the consultation, as before.
    member = client_for(politician).get(procurement.get_absolute_url()).content.decode()
    assert "Värdet är för lågt" in member and "Endast elbilar" in member


@pytest.mark.parametrize(("setting", "shown"), [(True, True), (False, False)])
def test_the_plans_file_names_the_officer_to_the_public_only_when_the_plan_says_so(
    client, public_plan, serv, officer, setting, shown
):
    public_plan.show_officer_email = setting
    public_plan.save()
    officer.email = "stefan.g@uhc.example"
    officer.save()
    ProcurementFactory(plan=public_plan, department=serv, officer=officer)
    for extension in ("csv", "xlsx"):
        response = client.get(f"{public_plan.get_absolute_url()}export.{extension}")
        assert response.status_code == 200
        if extension == "csv":
            assert ("stefan.g@uhc.example" in response.content.decode("utf-8-sig")) is shown
