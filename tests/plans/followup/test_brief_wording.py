"""The board brief's words (issue 15, fault 9): the reasons start with a capital, the climate impact is
not listed as a requirement, and the requirements freeze is explained the first time a page names it."""

import re
from datetime import date

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.conftest import REMISS_DAY
from tests.factories import ProcurementFactory
from tests.plans.followup.test_brief import brief_url, pdf_text

FREEZE_EXPLAINED = "Requirements freeze: the last day to influence the requirements before the advertisement."


@pytest.fixture
def low_climate(falun_plan, serv):
    """One strategic procurement with a low climate impact, basic environmental requirements and no
    social requirement (so its social weight has nothing that counts)."""
    with time_machine.travel(REMISS_DAY, tick=False):
        procurement = ProcurementFactory(
            plan=falun_plan,
            department=serv,
            ref="2027-010",
            title="Skolmåltider",
            estimated_value_sek=150_000_000,
            planned_advertisement=date(2027, 2, 1),
            climate_impact="low",
            environmental_level="bas",
        )
    assert procurement.strategic
    return procurement


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def between(text: str, start: str, end: str) -> str:
    at = text.index(start)
    return text[at : text.index(end, at)]


@pytest.fixture
def pdf(client_for, officer, falun_plan, low_climate):
    # The request leaves its language active in this thread: override() puts the earlier one back.
    with time_machine.travel(REMISS_DAY, tick=False), translation.override(settings.LANGUAGE_CODE):
        return pdf_text(english(client_for(officer)).get(brief_url(falun_plan, "brief_pdf")).content)


@pytest.fixture
def page(client_for, officer, falun_plan, low_climate):
    with time_machine.travel(REMISS_DAY, tick=False), translation.override(settings.LANGUAGE_CODE):
        body = english(client_for(officer)).get(brief_url(falun_plan)).content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


@pytest.mark.parametrize("where", ["pdf", "page"])
def test_a_reason_starts_with_a_capital(where, request):
    text = request.getfixturevalue(where)
    assert "Nothing that counts → 0" in text and "nothing that counts" not in text


@pytest.mark.parametrize("where", ["pdf", "page"])
def test_the_climate_impact_stands_apart_from_the_environmental_requirements(where, request):
    text = request.getfixturevalue(where)
    requirements = between(text, "Environmental requirements planned", "Politicians' guidance")
    assert "Environmental requirements: Basic (bas)" in requirements
    assert "Climate impact" not in requirements
    assert re.search(r"Climate impact:? Low", text)


@pytest.mark.parametrize("where", ["pdf", "page"])
def test_the_requirements_freeze_is_explained_where_first_named(where, request):
    text = request.getfixturevalue(where)
    assert text.count(FREEZE_EXPLAINED) == 1
    assert text.index("Requirements freeze") == text.index(FREEZE_EXPLAINED)


def test_the_review_queue_explains_the_requirements_freeze_before_its_cards(
    client_for, politician, falun_plan, low_climate, in_remiss
):
    body = english(client_for(politician)).get(reverse("plans:review", args=["falun", 2027])).content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", body).split())
    assert text.count(FREEZE_EXPLAINED) == 1
    assert text.index("Requirements freeze") == text.index(FREEZE_EXPLAINED)
