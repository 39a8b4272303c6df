"""The plan page per role, its filters, sorting and pagination."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import ProcurementFactory


def plan_url(plan):
    return reverse("plans:plan", kwargs={"municipality": plan.municipality.slug, "year": plan.year})


@pytest.mark.parametrize("role", ["officer", "plan_admin", "politician", "department_rep"])
def test_members_of_the_municipality_see_the_draft_plan(role, users, client_for, procurement):
    response = client_for(users[role]).get(plan_url(procurement.plan))
    assert response.status_code == 200
    assert "Arbetskläder" in response.content.decode()


def test_a_politician_of_another_municipality_gets_404_for_a_draft(users, client_for, procurement):
    response = client_for(users["outsider"]).get(plan_url(procurement.plan))
    assert response.status_code == 404
    assert "Arbetskläder" not in response.content.decode()


def test_the_404_for_a_draft_is_the_same_as_for_a_plan_that_does_not_exist(users, client_for, procurement):
    client = client_for(users["outsider"])
    existing = client.get(plan_url(procurement.plan))
    missing = client.get("/plans/falun/2031/")
    assert existing.status_code == missing.status_code == 404

    def without_tokens(response):
        return re.sub(r"[A-Za-z0-9]{64}", "", response.content.decode())

    # The pages differ only in the address they were asked for (the language form's "next").
    assert without_tokens(existing) == without_tokens(missing).replace("/2031/", "/2027/")


def test_an_anonymous_visitor_is_sent_to_log_in_whether_the_draft_exists_or_not(client, procurement):
    existing = client.get(plan_url(procurement.plan))
    missing = client.get("/plans/falun/2031/")
    assert existing.status_code == missing.status_code == 302
    assert existing["Location"].startswith("/accounts/login/?next=/plans/falun/2027/")
    assert missing["Location"].startswith("/accounts/login/?next=/plans/falun/2031/")


@pytest.mark.parametrize("role", ["outsider", "anonymous"])
def test_adopted_plans_are_public(role, users, client_for, adopted_plan, serv):
    ProcurementFactory(plan=adopted_plan, ref="2017-001", title="Personbilar", department=serv)
    response = client_for(users[role]).get(plan_url(adopted_plan))
    assert response.status_code == 200
    assert "Personbilar" in response.content.decode()


def test_the_table_shows_swedish_digit_grouping(client_for, officer, falun_plan, serv):
    ProcurementFactory(plan=falun_plan, department=serv, estimated_value_sek=12_400_000)
    body = client_for(officer).get(plan_url(falun_plan)).content.decode()
    assert "12\u00a0400\u00a0000\u00a0kr" in body


@pytest.mark.parametrize(
    ("role", "sees_value"), [("officer", True), ("politician", False), ("department_rep", False)]
)
def test_confidential_values_are_shown_only_to_the_centre(
    role, sees_value, users, client_for, falun_plan, serv
):
    ProcurementFactory(plan=falun_plan, department=serv, estimated_value_sek=7_654_321, confidential=True)
    body = client_for(users[role]).get(plan_url(falun_plan)).content.decode()
    assert ("7\u00a0654\u00a0321" in body) is sees_value
    assert ("Sekretess" in body) is not sees_value


def test_a_value_range_cannot_be_used_to_guess_a_confidential_value(client_for, politician, falun_plan, serv):
    ProcurementFactory(
        plan=falun_plan, department=serv, title="Hemlig", estimated_value_sek=7_654_321, confidential=True
    )
    body = (
        client_for(politician)
        .get(plan_url(falun_plan), {"value_min": 7_000_000, "value_max": 8_000_000})
        .content
    )
    assert "Hemlig" not in body.decode()


def test_filter_by_department_keeps_its_state_in_the_url(client_for, officer, falun_plan, serv, omv):
    ProcurementFactory(plan=falun_plan, department=serv, title="Tvätt")
    ProcurementFactory(plan=falun_plan, department=omv, title="Hemtjänstbilar")
    response = client_for(officer).get(plan_url(falun_plan), {"department": "OMV"})
    body = response.content.decode()
    assert "Hemtjänstbilar" in body
    assert "Tvätt" not in body
    assert '<option value="OMV" selected>' in body


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"category": "works"}, {"Vägar"}),
        ({"procedure": "direct_award"}, {"Kontorsmaterial"}),
        ({"value_min": "1000000"}, {"Vägar", "Tvätt"}),
        ({"value_max": "1000000"}, {"Kontorsmaterial"}),
        ({"value_min": "1000000", "value_max": "5000000"}, {"Tvätt"}),
        ({"q": "tvä"}, {"Tvätt"}),
        ({"q": "P-T"}, {"Tvätt"}),
        ({"q": "kontors material"}, {"Kontorsmaterial"}),  # every word must match
        ({"q": "kontors vägar"}, set()),
    ],
)
def test_filters(params, expected, client_for, officer, falun_plan, serv):
    ProcurementFactory(
        plan=falun_plan, department=serv, title="Vägar", category="works", estimated_value_sek=30_000_000
    )
    ProcurementFactory(
        plan=falun_plan, department=serv, title="Tvätt", ref="P-T", estimated_value_sek=2_000_000
    )
    ProcurementFactory(
        plan=falun_plan,
        department=serv,
        title="Kontorsmaterial",
        procedure="direct_award",
        estimated_value_sek=500_000,
    )
    body = client_for(officer).get(plan_url(falun_plan), params).content.decode()
    shown = {title for title in ("Vägar", "Tvätt", "Kontorsmaterial") if f">{title}</a>" in body}
    assert shown == expected


@pytest.mark.parametrize(
    "params",
    [
        {"department": "NOPE"},
        {"category": "spaceships"},
        {"value_min": "abc"},
        {"procedure": "<script>"},
        {"sort": "nonsense"},
        {"sort": "-estimated_value_sek__password"},
    ],
)
def test_unknown_filter_values_give_the_page_with_a_message(params, client_for, officer, procurement):
    response = client_for(officer).get(plan_url(procurement.plan), params)
    assert response.status_code == 200
    assert "Arbetskläder" in response.content.decode()
    if "sort" not in params:
        assert "ignorerades" in response.content.decode()


def test_a_bad_filter_is_ignored_and_the_good_ones_still_apply(client_for, officer, falun_plan, serv, omv):
    ProcurementFactory(plan=falun_plan, department=serv, title="Tvätt")
    ProcurementFactory(plan=falun_plan, department=omv, title="Hemtjänstbilar")
    body = (
        client_for(officer)
        .get(plan_url(falun_plan), {"department": "OMV", "value_min": "x"})
        .content.decode()
    )
    assert "Hemtjänstbilar" in body
    assert "Tvätt" not in body


def test_sorting_by_value_both_ways(client_for, officer, falun_plan, serv):
    for title, value in [("Mellan", 2_000_000), ("Stor", 90_000_000), ("Liten", 100_000)]:
        ProcurementFactory(plan=falun_plan, department=serv, title=title, estimated_value_sek=value)
    client = client_for(officer)

    def order(sort):
        body = client.get(plan_url(falun_plan), {"sort": sort}).content.decode()
        return sorted(["Mellan", "Stor", "Liten"], key=lambda title: body.index(f">{title}</a>"))

    assert order("shown_value") == ["Liten", "Mellan", "Stor"]
    assert order("-shown_value") == ["Stor", "Mellan", "Liten"]


def test_fifty_a_page(client_for, officer, falun_plan, serv):
    ProcurementFactory.create_batch(60, plan=falun_plan, department=serv)
    client = client_for(officer)
    first = client.get(plan_url(falun_plan)).content.decode()
    second = client.get(plan_url(falun_plan), {"page": 2}).content.decode()
    assert first.count('class="nowrap"><a href="/plans/falun/2027/') == 50
    assert second.count('class="nowrap"><a href="/plans/falun/2027/') == 10


@pytest.mark.parametrize(
    ("params", "heading", "rows", "pages"),
    [
        ({}, "70 upphandlingar", 50, 2),
        ({"page": 2}, "70 upphandlingar", 20, 2),
        ({"department": "SERV"}, "60 av 70 upphandlingar", 50, 2),
        ({"department": "SERV", "page": 2}, "60 av 70 upphandlingar", 10, 2),
        ({"department": "OMV"}, "10 av 70 upphandlingar", 10, 1),
        ({"department": "OMV", "page": 2}, "10 av 70 upphandlingar", 10, 1),  # past the end: the last page
    ],
)
def test_counts_and_pages_follow_the_filters(
    params, heading, rows, pages, client_for, officer, falun_plan, serv, omv
):
    ProcurementFactory.create_batch(60, plan=falun_plan, department=serv)
    ProcurementFactory.create_batch(10, plan=falun_plan, department=omv)
    body = client_for(officer).get(plan_url(falun_plan), params).content.decode()
    assert heading in re.sub(r"\s+", " ", body)
    assert body.count('class="nowrap"><a href="/plans/falun/2027/') == rows
    assert ('class="pagination"' in body) == (pages > 1)


@pytest.mark.parametrize(
    ("in_serv", "in_omv", "heading"),
    [
        # The noun agrees with the total: "1 of 11 procurements", never "1 of 11 procurement".
        (10, 1, "1 of 11 procurements"),
        (1, 1, "1 of 2 procurements"),
        (0, 1, "1 of 1 procurement"),
    ],
)
def test_of_how_many_agrees_with_the_total(
    in_serv, in_omv, heading, client_for, officer, falun_plan, serv, omv
):
    ProcurementFactory.create_batch(in_serv, plan=falun_plan, department=serv)
    ProcurementFactory.create_batch(in_omv, plan=falun_plan, department=omv)
    client = client_for(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(plan_url(falun_plan), {"department": "OMV"}).content.decode()
    shown = re.search(r'id="table-heading"[^>]*>(.*?)</h2>', body, re.S).group(1)
    assert " ".join(shown.split()) == heading


def test_the_rows_are_counted_once(client_for, officer, falun_plan, serv, django_assert_max_num_queries):
    """The quadrant summary counts the filtered rows; neither the paginator nor the heading counts again."""
    ProcurementFactory.create_batch(3, plan=falun_plan, department=serv)
    client = client_for(officer)
    with django_assert_max_num_queries(9) as captured:
        client.get(plan_url(falun_plan))
    assert not [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT COUNT(*)")]


@pytest.mark.parametrize("page", ["999", "abc", "-1"])
def test_a_page_out_of_range_is_not_a_server_error(page, client_for, officer, procurement):
    response = client_for(officer).get(plan_url(procurement.plan), {"page": page})
    assert response.status_code in {200, 404}


def test_the_plan_page_runs_a_constant_number_of_queries(
    client_for, officer, falun_plan, serv, omv, django_assert_max_num_queries
):
    client = client_for(officer)
    ProcurementFactory.create_batch(5, plan=falun_plan, department=serv)
    client.get(plan_url(falun_plan))
    with django_assert_max_num_queries(12) as few:
        client.get(plan_url(falun_plan))
    ProcurementFactory.create_batch(45, plan=falun_plan, department=omv)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(plan_url(falun_plan))


def test_the_start_page_lists_visible_plans_with_their_phase(
    client_for, politician, outsider, falun_plan, adopted_plan
):
    body = client_for(politician).get("/").content.decode()
    assert "/plans/falun/2027/" in body
    assert "/plans/falun/2017/" in body
    assert "Antagen" in body
    outsider_body = client_for(outsider).get("/").content.decode()
    assert "/plans/falun/2027/" not in outsider_body
    assert "/plans/falun/2017/" in outsider_body


def test_the_quadrant_cards_say_how_many_are_for_review(client_for, officer, falun_plan, serv):
    ProcurementFactory.create_batch(2, plan=falun_plan, department=serv, estimated_value_sek=150_000_000)
    client = client_for(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(plan_url(falun_plan)).content.decode()
    cards = re.findall(r'<span class="quadrant-strategic">([^<]*)</span>', body)
    assert len(cards) == 4 and all(card.endswith("for review") for card in cards), cards
    assert "2 for review" in cards
