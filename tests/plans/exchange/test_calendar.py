"""The private calendar feed: the link page per role, the feed by token, and the iCalendar text itself."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from plans.exchange import ical
from plans.models import CalendarToken
from tests.conftest import REMISS_DAY
from tests.factories import PlanFactory, ProcurementFactory

STOCKHOLM = ZoneInfo("Europe/Stockholm")
LINK = "/plans/calendar/"


def at(day):
    return time_machine.travel(datetime(day.year, day.month, day.day, 9, tzinfo=STOCKHOLM), tick=False)


# --- iCalendar text, without a database ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("Arbetskläder", "Arbetskläder"),
        ("Mat, dryck", "Mat\\, dryck"),
        ("Del 1; del 2", "Del 1\\; del 2"),
        ("C:\\temp", "C:\\\\temp"),
        ("rad 1\nrad 2", "rad 1\\nrad 2"),
        ("rad 1\r\nrad 2\rrad 3", "rad 1\\nrad 2\\nrad 3"),
        ("\\,", "\\\\\\,"),  # the backslash is escaped first, then the comma
        ("", ""),
    ],
)
def test_text_values_are_escaped(text, escaped):
    assert ical.escape_text(text) == escaped


@pytest.mark.parametrize(
    ("line", "physical"),
    [
        ("A" * 75, ["A" * 75]),
        ("A" * 76, ["A" * 75, " A"]),
        ("A" * 149, ["A" * 75, " " + "A" * 74]),
        ("A" * 150, ["A" * 75, " " + "A" * 74, " A"]),
        ("A" * 74 + "ä", ["A" * 74, " ä"]),  # ä is two octets: it is not split
        ("", [""]),
    ],
)
def test_lines_are_folded_at_75_octets(line, physical):
    assert ical.fold(line).split("\r\n") == physical


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=400))
def test_folding_keeps_every_line_within_75_octets_and_unfolds_to_the_original(line):
    folded = ical.fold(line)
    assert all(len(part.encode("utf-8")) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_an_event_is_a_whole_day_or_several_with_an_exclusive_end():
    stamp = datetime(2026, 9, 15, 7, 0, tzinfo=UTC)
    one = ical.Event(uid="a@x", summary="S", start=date(2027, 3, 1)).lines(stamp)
    assert "DTSTART;VALUE=DATE:20270301" in one and "DTEND;VALUE=DATE:20270302" in one
    assert "DTSTAMP:20260915T070000Z" in one
    window = ical.Event(uid="b@x", summary="S", start=date(2026, 8, 1), last_day=date(2026, 11, 30)).lines(
        stamp
    )
    assert "DTEND;VALUE=DATE:20261201" in window


def test_a_calendar_ends_every_line_in_crlf():
    text = ical.calendar(
        [ical.Event(uid="a@x", summary="S", start=date(2027, 3, 1))], name="N", stamp=datetime.now(UTC)
    )
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")


# --- The link page -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["officer", "plan_admin", "politician", "department_rep", "outsider"])
def test_every_logged_in_user_has_a_calendar_link_page(role, users, client_for):
    response = client_for(users[role]).get(LINK)
    assert response.status_code == 200
    assert 'name="create"' in response.content.decode()
    assert not CalendarToken.objects.exists()  # looking creates nothing


def test_an_anonymous_visitor_is_sent_to_log_in(client_for, db):
    response = client_for(None).get(LINK)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client_for(None).post(LINK, {"create": "1"}).status_code == 302
    assert not CalendarToken.objects.exists()


def test_creating_the_link_shows_the_private_address(client_for, politician):
    client = client_for(politician)
    assert client.post(LINK, {"create": "1"}).status_code == 302
    token = CalendarToken.objects.get(user=politician).token
    assert len(token) >= 43
    page = client.get(LINK).content.decode()
    assert f"http://127.0.0.1:8000/plans/calendar/{token}.ics" in page
    assert f"webcal://127.0.0.1:8000/plans/calendar/{token}.ics" in page
    assert 'name="renew"' in page


def test_the_home_page_links_to_the_calendar_for_logged_in_users(client_for, politician):
    assert LINK in client_for(politician).get("/").content.decode()
    assert LINK not in client_for(None).get("/").content.decode()


# --- The feed ------------------------------------------------------------------------------------


@pytest.fixture
def plans(falun_plan, adopted_plan, borlange, serv):
    """Falun 2027 on remiss with a strategic and a routine procurement; Borlänge 2027; Falun 2017 adopted."""
    ProcurementFactory(
        plan=falun_plan,
        ref="2027-001",
        title="Fordon, personbilar; och \\ service – ramavtal för kommunens hela fordonsflotta",
        department=serv,
        estimated_value_sek=150_000_000,
        planned_advertisement=date(2027, 3, 1),
    )
    ProcurementFactory(
        plan=falun_plan,
        ref="2027-002",
        title="Kontorsmaterial",
        department=serv,
        estimated_value_sek=400_000,
        planned_advertisement=date(2027, 5, 3),
        confidential=True,
        description="Hemlig kalkyl",
    )
    ProcurementFactory(plan=adopted_plan, ref="2017-001", department=serv)
    borlange_plan = PlanFactory(municipality=borlange, year=2027)
    ProcurementFactory(
        plan=borlange_plan, ref="B-001", title="Skolskjuts", planned_advertisement=date(2027, 4, 1)
    )
    return {"falun": falun_plan, "borlange": borlange_plan, "adopted": adopted_plan}


def token_for(user):
    return CalendarToken.objects.create(user=user, token=f"token-of-{user.username}-{'x' * 30}").token


def feed(client, token):
    with at(REMISS_DAY):
        return client.get(reverse("plans:calendar_feed", kwargs={"token": token}))


def unfolded(response):
    return response.content.decode().replace("\r\n ", "")


def test_an_unknown_token_is_not_found(client, plans):
    assert feed(client, "no-such-token").status_code == 404


def test_the_feed_has_the_remiss_window_the_freeze_dates_and_the_advertisements(client, politician, plans):
    response = feed(client, token_for(politician))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = unfolded(response)
    falun, strategic = plans["falun"], plans["falun"].procurements.get(ref="2027-001")
    routine = plans["falun"].procurements.get(ref="2027-002")
    assert strategic.strategic and not routine.strategic
    remiss = event(text, f"remiss-{falun.pk}@upphandlingsplan")
    assert "DTSTART;VALUE=DATE:20260801" in remiss and "DTEND;VALUE=DATE:20261201" in remiss
    assert "URL:http://127.0.0.1:8000/plans/falun/2027/" in remiss
    freeze = event(text, f"freeze-{strategic.pk}@upphandlingsplan")
    assert "DTSTART;VALUE=DATE:20270104" in freeze  # 1 March 2027 minus 8 weeks
    assert "URL:http://127.0.0.1:8000/plans/falun/2027/2027-001/" in freeze
    assert "Fordon\\, personbilar\\; och \\\\ service" in freeze
    advertisement = event(text, f"advertisement-{strategic.pk}@upphandlingsplan")
    assert "DTSTART;VALUE=DATE:20270301" in advertisement and "DTEND;VALUE=DATE:20270302" in advertisement
    assert f"advertisement-{routine.pk}@upphandlingsplan" in text
    assert f"freeze-{routine.pk}@upphandlingsplan" not in text  # only strategic procurements have one
    assert "Hemlig kalkyl" not in text  # no descriptions, so nothing confidential
    assert "DTSTAMP:20260915T070000Z" in remiss
    assert "B-001" not in text  # Borlänge's draft is not the politician's
    assert "2017-001" not in text and f"remiss-{plans['adopted'].pk}@" not in text  # past years are left out


def event(text, uid):
    for block in text.split("BEGIN:VEVENT")[1:]:
        if f"UID:{uid}\r\n" in block:
            return block.split("END:VEVENT")[0]
    raise AssertionError(f"no event {uid}")


def test_an_outsiders_feed_has_no_falun_draft(client, outsider, plans):
    text = unfolded(feed(client, token_for(outsider)))
    assert "B-001" in text and f"remiss-{plans['borlange'].pk}@" in text
    assert "falun" not in text.lower() and "Falu" not in text
    assert f"remiss-{plans['falun'].pk}@" not in text


def test_officers_see_every_municipality_of_their_centre(client, officer, plans):
    text = unfolded(feed(client, token_for(officer)))
    assert "2027-001" in text and "B-001" in text


def test_the_feed_is_crlf_and_folded_at_75_octets(client, politician, plans):
    raw = feed(client, token_for(politician)).content
    assert raw.endswith(b"END:VCALENDAR\r\n")
    lines = raw.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in lines)
    assert any(line.startswith(b" ") for line in lines)  # the long title was folded
    assert b"\n" not in raw.replace(b"\r\n", b"")
    raw.decode("utf-8")  # no character was split by the folding


def test_uids_are_stable_between_fetches(client, politician, plans):
    token = token_for(politician)
    uids = [
        [line for line in unfolded(feed(client, token)).split("\r\n") if line.startswith("UID:")]
        for _ in range(2)
    ]
    assert uids[0] == uids[1] and len(uids[0]) == len(set(uids[0])) == 1 + 1 + 2


def test_a_renewed_token_makes_the_old_link_not_found(client_for, politician, plans):
    client = client_for(politician)
    client.post(LINK, {"create": "1"})
    old = CalendarToken.objects.get(user=politician).token
    assert feed(client, old).status_code == 200
    client.post(LINK, {"renew": "1"})
    new = CalendarToken.objects.get(user=politician).token
    assert new != old
    assert feed(client, old).status_code == 404
    assert feed(client, new).status_code == 200
    client.logout()
    assert feed(client, new).status_code == 200  # the token is the credential: no login


def test_a_deactivated_users_feed_is_not_found(client, politician, plans):
    token = token_for(politician)
    politician.is_active = False
    politician.save()
    assert feed(client, token).status_code == 404


def test_the_feed_asks_the_database_a_fixed_number_of_times(
    client, officer, plans, django_assert_num_queries
):
    token = token_for(officer)
    for number in range(10):
        ProcurementFactory(plan=plans["falun"], ref=f"X-{number}")
    # The token, the user's access (one), the plans with their rubrics, the procurements.
    with django_assert_num_queries(4):
        assert feed(client, token).status_code == 200
