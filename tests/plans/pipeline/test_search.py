"""What a supplier finds under Kommande upphandlingar, and how a search is written (plans.pipeline.search)."""

from datetime import date

import pytest
from django.db import connection

from plans.models import Outcome
from plans.pipeline.search import (
    BANDS,
    MAX_SEARCH,
    clean_words,
    coming,
    described,
    quarter_choices,
    quarter_days,
    saved_query,
    search,
)
from tests.factories import PlanFactory, ProcurementFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("adopted", "publish_draft", "remiss_starts", "advertised", "outcome", "listed"),
    [
        # Adopted: listed from today on, until it is advertised.
        (True, False, date(2026, 8, 1), date(2026, 11, 29), None, True),
        (True, False, date(2026, 8, 1), date(2026, 11, 28), None, False),
        (True, False, date(2026, 8, 1), date(2027, 6, 1), Outcome.Status.NOT_STARTED, True),
        (True, False, date(2026, 8, 1), date(2027, 6, 1), Outcome.Status.ADVERTISED, False),
        (True, False, date(2026, 8, 1), date(2027, 6, 1), Outcome.Status.AWARDED, False),
        (True, False, date(2026, 8, 1), date(2027, 6, 1), Outcome.Status.CANCELLED, False),
        # A draft: only when published, and only once its remiss has opened.
        (False, False, date(2026, 8, 1), date(2027, 6, 1), None, False),
        (False, True, date(2026, 8, 1), date(2027, 6, 1), None, True),
        (False, True, date(2026, 11, 29), date(2027, 6, 1), None, True),
        (False, True, date(2026, 11, 30), date(2027, 6, 1), None, False),
    ],
)
def test_what_is_coming(falun, serv, adopted, publish_draft, remiss_starts, advertised, outcome, listed):
    plan = PlanFactory(
        municipality=falun,
        year=2027,
        remiss_starts=remiss_starts,
        remiss_ends=date(2026, 12, 15),
        adopted_on=date(2026, 11, 20) if adopted else None,
        publish_draft=publish_draft,
    )
    procurement = ProcurementFactory(plan=plan, department=serv, planned_advertisement=advertised)
    if outcome:
        Outcome.objects.create(procurement=procurement, status=outcome)
    assert (procurement in coming()) is listed


def test_sorted_by_planned_advertisement(public_plan, serv):
    late = ProcurementFactory(plan=public_plan, department=serv, planned_advertisement=date(2027, 9, 1))
    early = ProcurementFactory(plan=public_plan, department=serv, planned_advertisement=date(2027, 1, 10))
    assert list(coming()) == [early, late]


def words(text):
    filterset, ignored = search({"q": text})
    assert ignored == []
    return list(filterset.qs)


def test_words_are_searched_in_the_title_and_the_public_description(coming_one, public_plan, serv):
    secret = ProcurementFactory(
        plan=public_plan,
        department=serv,
        title="Konsulttjänster",
        description="Hemlig livsmedelsstrategi",
        confidential=True,
    )
    assert words("skolmåltider") == [coming_one]
    assert words("skolor") == [coming_one]
    # A confidential description is not searched: searching it would reveal it, word by word.
    assert secret not in words("strategi")
    assert secret not in words("livsmedelsstrategi")
    assert words("konsulttjänster") == [secret]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="Swedish stemming is PostgreSQL's")
def test_swedish_words_match_their_forms_on_postgresql(coming_one):
    # "skolmåltid" is the singular of the title's "skolmåltider"; "livsmedlen" the definite plural.
    assert words("skolmåltid") == [coming_one]
    assert words("livsmedel -bilar") == [coming_one]
    assert words('"skolmåltider och livsmedel"') == [coming_one]
    assert words("bilar") == []


@pytest.mark.parametrize(
    "text",
    [
        '"',
        '"unbalanced',
        "& | ! ( ) : *",
        "OR OR -",
        "a' OR 1=1 --",
        "x" * 10_000,
        "🍎🚗 skolmåltider",
        "skol\u0000måltider",
        "\u202e\u200b",
        "<script>alert(1)</script>",
    ],
)
def test_any_text_answers_with_results_or_none(client, coming_one, text):
    response = client.get("/kommande/", {"q": text})
    assert response.status_code == 200
    assert b"<script>alert(1)</script>" not in response.content


def test_no_matches_says_so(client, coming_one):
    response = client.get("/kommande/", {"q": "snöröjning"})
    assert response.status_code == 200
    assert "Inga träffar" in response.content.decode()


@pytest.mark.parametrize(
    ("text", "searched"),
    [
        ("  skol   mat ", "skol mat"),
        ("a\u0000b", "a b"),
        ("x" * (MAX_SEARCH + 50), "x" * MAX_SEARCH),
        ("", ""),
    ],
)
def test_words_are_cleaned_before_they_are_searched(text, searched):
    assert clean_words(text) == searched


@pytest.mark.parametrize(
    ("value", "band"),
    [
        (0, "0-1"),
        (999_999, "0-1"),
        (1_000_000, "1-5"),
        (4_999_999, "1-5"),
        (5_000_000, "5-20"),
        (99_999_999, "20-100"),
        (100_000_000, "100-"),
        (10**12, "100-"),
    ],
)
def test_a_value_is_in_exactly_one_band(public_plan, serv, value, band):
    procurement = ProcurementFactory(plan=public_plan, department=serv, estimated_value_sek=value)
    found = [key.key for key in BANDS if procurement in search({"value": key.key})[0].qs]
    assert found == [band]


def test_a_confidential_value_is_in_no_band(public_plan, serv):
    secret = ProcurementFactory(
        plan=public_plan, department=serv, estimated_value_sek=3_000_000, confidential=True
    )
    assert all(secret not in search({"value": band.key})[0].qs for band in BANDS)
    assert secret in search({})[0].qs


@pytest.mark.parametrize(
    ("key", "first", "last"),
    [
        ("2027-1", date(2027, 1, 1), date(2027, 3, 31)),
        ("2027-2", date(2027, 4, 1), date(2027, 6, 30)),
        ("2028-1", date(2028, 1, 1), date(2028, 3, 31)),
        ("2027-4", date(2027, 10, 1), date(2027, 12, 31)),
    ],
)
def test_quarter_days(key, first, last):
    assert quarter_days(key) == (first, last)


def test_the_quarters_offered_start_with_this_one():
    keys = [key for key, _label in quarter_choices(date(2026, 11, 29))]
    assert keys == ["2026-4", "2027-1", "2027-2", "2027-3", "2027-4", "2028-1", "2028-2", "2028-3"]


@pytest.mark.parametrize(
    ("field", "value", "kept"),
    [
        ("municipality", "falun", True),
        ("cpv_division", "15", True),
        ("cpv_group", "151", False),
        ("category", "services", True),
        ("category", "goods", False),
        ("quarter", "2027-1", True),
        ("quarter", "2027-2", False),
        ("procedure", "open", True),
        ("procedure", "direct_award", False),
        ("reserved", "1", False),
        ("lots", "1", True),
        ("value", "5-20", True),
        ("value", "1-5", False),
    ],
)
def test_each_filter(coming_one, field, value, kept):
    filterset, ignored = search({field: value})
    assert ignored == []
    assert (coming_one in filterset.qs) is kept


@pytest.mark.parametrize(
    "data",
    [
        {"municipality": "nowhere"},
        {"cpv_group": "999"},
        {"quarter": "1999-1"},
        {"quarter": "2027-5"},
        {"value": "huge"},
        {"category": "<b>"},
    ],
)
def test_a_value_that_cannot_be_used_is_named_and_ignored(client, coming_one, data):
    filterset, ignored = search(data)
    assert len(ignored) == 1
    assert coming_one in filterset.qs
    response = client.get("/kommande/", data)
    assert response.status_code == 200
    assert ignored[0] in response.content.decode()


def test_the_same_search_is_written_one_way(coming_one):
    one = saved_query(search("q=+skol++mat&lots=1&cpv_division=15&value=&page=3")[0])
    other = saved_query(search("cpv_division=15&lots=on&q=skol%20mat")[0])
    assert one == other == "q=skol+mat&cpv_division=15&lots=1"
    # A value it cannot use is not part of the search.
    assert saved_query(search("q=skol+mat&cpv_division=15&lots=1&value=huge")[0]) == one


def test_a_search_is_described_in_words(coming_one):
    filterset, _ignored = search("q=skol&cpv_group=341&lots=1")
    assert described(filterset) == [
        ("Sök", "skol"),
        ("CPV-grupp", "341 Motor vehicles"),
        ("Delas i lotter", "ja"),
    ]


def test_fifty_a_page_with_the_state_in_the_address(client, public_plan, serv):
    for number in range(51):
        ProcurementFactory(
            plan=public_plan,
            department=serv,
            title=f"Fordon {number}",
            planned_advertisement=date(2027, 3, 1),
        )
    first = client.get("/kommande/", {"q": "fordon"})
    assert len(first.context["rows"]) == 50
    assert "?q=fordon&amp;page=2" in first.content.decode()
    second = client.get("/kommande/", {"q": "fordon", "page": 2})
    assert len(second.context["rows"]) == 1
    # A page past the end shows the last one, never an error.
    assert client.get("/kommande/", {"q": "fordon", "page": 99}).status_code == 200


def test_the_conditions_read_the_right_table_inside_a_subquery(coming_one, public_plan, serv):
    """stamp_public and the alert run use the search as a subquery: its columns must be the subquery's."""
    from plans.models import Procurement

    other = ProcurementFactory(plan=public_plan, department=serv, title="Snöröjning")
    Outcome.objects.create(procurement=other, status=Outcome.Status.ADVERTISED)
    found = Procurement.objects.filter(pk__in=search({"q": "skolmåltider"})[0].qs.values("pk"))
    assert list(found) == [coming_one]
    assert list(Procurement.objects.filter(pk__in=coming().values("pk"))) == [coming_one]
    assert Procurement.objects.filter(pk__in=coming().values("pk")).update(public_since=None) == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index is PostgreSQL's")
def test_the_word_search_uses_the_index(coming_one):
    filterset, _ignored = search({"q": "skolmåltider"})
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = filterset.qs.explain()
    assert "procurement_public_text" in plan
