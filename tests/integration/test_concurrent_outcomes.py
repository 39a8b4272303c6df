"""
Two officers record the outcome of the same procurement at once, through the outcome page, on
PostgreSQL: the second save is refused and shown, never a silent overwrite, whether or not an outcome
existed when both opened the page; and a save without the form's version is refused.

Each round: both officers load the page (the version their forms carry), then post at the same moment
(a barrier), each on its own connection. Exactly one save lands; the other gets the page back with the
message and the version that is now stored, and the stored outcome is the one that landed.
"""

from functools import partial

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from plans.followup.services import outcome_save
from plans.models import HistoryEntry, Outcome
from tests.factories import ProcurementFactory
from tests.forms import versions_of
from tests.integration.at_once import at_once

pytestmark = pytest.mark.integration
ROUNDS = 5
STALE = "Någon annan sparade utfallet"
MISSING = "utan den version"


@pytest.fixture
def on_postgresql(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("the concurrent-writers test needs PostgreSQL's row locks (set DATABASE_URL)")


@pytest.fixture
def two_officers(officer, centre):
    from accounts.models import Role
    from tests.factories import UserFactory, member

    second = member(UserFactory(username="officer2"), Role.OFFICER, centre=centre)
    clients = []
    for user in (officer, second):
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


def outcome_url(procurement):
    plan = procurement.plan
    return reverse("plans:outcome", args=[plan.municipality.slug, plan.year, procurement.ref])


def race(clients, url, forms):
    """Both clients post their form at the same moment; their answers, in the clients' order. url is
    one address for all, or one per client."""
    urls = url if isinstance(url, list) else [url] * len(clients)
    return at_once(
        *(
            partial(client.post, address, form)
            for client, address, form in zip(clients, urls, forms, strict=True)
        )
    )


def one_lands(answers, forms, procurement, *, version_before):
    """Exactly one answer is the redirect of a save; the other is the refusal; the stored outcome is
    the one that landed, one version on."""
    codes = sorted(answer.status_code for answer in answers)
    assert codes == [302, 400], codes
    winner = next(index for index, answer in enumerate(answers) if answer.status_code == 302)
    loser = answers[1 - winner]
    body = loser.content.decode()
    assert STALE in body
    outcome = Outcome.objects.get(procurement=procurement)
    assert outcome.bids == int(forms[winner]["bids"])
    assert outcome.version == version_before + 1
    # The refused form now carries the stored version: saving again knowingly replaces it.
    assert f'name="version" value="{outcome.version}"' in body


def form(bids, versions):
    return {"status": "awarded", "bids": str(bids), "sme_bids": "1", **versions}


def test_two_first_saves_at_once_one_lands(on_postgresql, two_officers, falun_plan, serv):
    for number in range(ROUNDS):
        procurement = ProcurementFactory(plan=falun_plan, department=serv, ref=f"FIRST-{number}")
        url = outcome_url(procurement)
        loaded = [versions_of(client, url) for client in two_officers]
        assert loaded == [{"version": "0"}, {"version": "0"}]
        forms = [form(3, loaded[0]), form(7, loaded[1])]
        one_lands(race(two_officers, url, forms), forms, procurement, version_before=0)
        assert HistoryEntry.objects.filter(procurement=procurement, action="changed").count() == 1


def test_two_saves_of_an_existing_outcome_at_once_one_lands(
    on_postgresql, two_officers, falun_plan, serv, officer
):
    procurement = ProcurementFactory(plan=falun_plan, department=serv, ref="AGAIN-1")
    outcome_save(procurement=procurement, data={"status": "advertised"}, expected_version=0, user=officer)
    url = outcome_url(procurement)
    for number in range(ROUNDS):
        version = Outcome.objects.get(procurement=procurement).version
        loaded = [versions_of(client, url) for client in two_officers]
        assert loaded == [{"version": str(version)}] * 2
        forms = [form(10 + number, loaded[0]), form(20 + number, loaded[1])]
        one_lands(race(two_officers, url, forms), forms, procurement, version_before=version)


@pytest.mark.parametrize("existing", [False, True], ids=["no outcome yet", "an outcome saved"])
def test_a_save_without_a_version_is_refused_and_saves_nothing(
    on_postgresql, two_officers, falun_plan, serv, officer, existing
):
    procurement = ProcurementFactory(plan=falun_plan, department=serv, ref="NOVERSION")
    if existing:
        outcome_save(procurement=procurement, data={"bids": 2}, expected_version=0, user=officer)
    before = list(Outcome.objects.filter(procurement=procurement).values())
    for data in (form(9, {}), form(9, {"version": ""}), form(9, {"version": "x"})):
        answer = two_officers[0].post(outcome_url(procurement), data)
        assert answer.status_code == 400
        assert MISSING in answer.content.decode()
        assert list(Outcome.objects.filter(procurement=procurement).values()) == before


def test_two_targets_pages_of_different_plans_saved_at_once_do_not_overwrite_the_shared_figures(
    on_postgresql, plan_admin, falun_plan, borlange
):
    """The national reference figures are shared by every plan: two administrators saving two plans'
    targets at once, both from the same figures, cannot both land, or the second would replace the
    first's figures unseen."""
    from plans.models import NationalReference
    from tests.factories import PlanFactory

    borlange_plan = PlanFactory(municipality=borlange, year=2027)
    clients = []
    for _ in range(2):
        client = Client()
        client.force_login(plan_admin)
        clients.append(client)
    urls = [
        reverse("plans:targets", args=[plan.municipality.slug, plan.year])
        for plan in (falun_plan, borlange_plan)
    ]
    forms = []
    for index, (client, url) in enumerate(zip(clients, urls, strict=True)):
        data = versions_of(client, url)
        for key in ("average_bids", "single_bid_share", "sme_share", "appeal_rate"):
            data |= {f"national-{key}-year": "2025", f"national-{key}-value": str(10 + index)}
            data[f"national-{key}-source"] = f"källa {index}"
        forms.append(data)
    answers = race(clients, urls, forms)
    assert sorted(answer.status_code for answer in answers) == [302, 400]
    winner = next(index for index, answer in enumerate(answers) if answer.status_code == 302)
    assert "Någon annan ändrade målen" in answers[1 - winner].content.decode()
    sources = set(NationalReference.objects.filter(year=2025).values_list("source", flat=True))
    assert sources == {f"källa {winner}"}
