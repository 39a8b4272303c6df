import re
from datetime import date

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from plans.remiss.phases import Phase, default_remiss_window, plan_phase, plan_phase_status

STARTS, ENDS = date(2026, 8, 1), date(2026, 11, 30)


def test_default_window_is_august_to_november_of_the_year_before():
    assert default_remiss_window(2027) == (date(2026, 8, 1), date(2026, 11, 30))


@pytest.mark.parametrize(
    ("today", "adopted_on", "phase"),
    [
        (date(2026, 1, 1), None, Phase.DRAFT),
        (date(2026, 7, 31), None, Phase.DRAFT),  # the day before the window
        (date(2026, 8, 1), None, Phase.REMISS),  # the window's first day
        (date(2026, 11, 30), None, Phase.REMISS),  # the window's last day
        (date(2026, 12, 1), None, Phase.AWAITING_DECISION),  # the day after
        (date(2027, 6, 1), None, Phase.AWAITING_DECISION),
        (date(2026, 12, 14), date(2026, 12, 14), Phase.ADOPTED),  # the board's decision day
        (date(2026, 9, 1), date(2026, 8, 20), Phase.ADOPTED),  # adopted early: the record wins
    ],
)
def test_phase_at_each_boundary(today, adopted_on, phase):
    assert plan_phase(today=today, remiss_starts=STARTS, remiss_ends=ENDS, adopted_on=adopted_on) == phase


@pytest.mark.parametrize(
    ("today", "days_left"),
    [
        (date(2026, 7, 30), 2),  # draft: days until the remiss opens
        (date(2026, 8, 1), 121),
        (date(2026, 11, 29), 1),
        (date(2026, 11, 30), 0),  # last day
        (date(2026, 12, 1), None),
    ],
)
def test_days_left(today, days_left):
    status = plan_phase_status(today=today, remiss_starts=STARTS, remiss_ends=ENDS, adopted_on=None)
    assert status.days_left == days_left


# --- The phase as the pages say it, in English -------------------------------------------------------


@pytest.mark.parametrize(
    ("phase", "english"),
    [
        (Phase.DRAFT, "Draft"),
        (Phase.REMISS, "Consultation"),
        (Phase.AWAITING_DECISION, "Awaiting decision"),
        (Phase.ADOPTED, "Adopted"),
    ],
)
def test_each_phase_has_an_english_label(phase, english):
    with translation.override("en"):
        assert str(phase.label) == english


def page_meta(body: str) -> str:
    """The line under the page's heading: the phase, its days and the remiss window."""
    start = body.index('<p class="meta">')
    return re.sub(r"\s+", " ", body[start : body.index("</p>", start)])


@pytest.mark.parametrize(
    ("today", "phase_text"),
    [
        (date(2026, 7, 30), "Draft consultation opens in 2 days"),
        (date(2026, 11, 29), "Consultation 1 day left"),
        (date(2026, 11, 30), "Consultation last day of the consultation"),
        (date(2026, 12, 1), "Awaiting decision"),
    ],
)
@pytest.mark.parametrize("page", ["plan", "review", "manage"])
def test_the_phase_and_the_window_read_in_english(
    today, phase_text, page, client_for, plan_admin, falun_plan
):
    with time_machine.travel(today, tick=False):
        client = client_for(plan_admin)  # logged in on the day, so the session is fresh
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        body = client.get(reverse(f"plans:{page}", args=["falun", 2027])).content.decode()
    meta = re.sub(r"<[^>]+>", "", page_meta(body))
    assert phase_text in meta
    assert "Remiss" not in meta and "remiss" not in meta
    if page != "manage":
        assert "Consultation 2026-08-01 – 2026-11-30" in meta


def test_the_start_page_and_the_procurement_page_say_consultation_in_english(
    client_for, politician, procurement, in_remiss
):
    client = client_for(politician)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    home = client.get("/").content.decode()
    assert '<th scope="col">Consultation</th>' in home and ">Remiss<" not in home
    page = client.get(reverse("plans:procurement", args=["falun", 2027, procurement.ref])).content.decode()
    assert 'id="remiss-heading">Consultation<' in page and ">Remiss<" not in page
