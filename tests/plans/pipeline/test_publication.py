"""What a plan publishes (issue 17): the plan administrators' two settings on the manage page."""

import pytest

from plans.models import HistoryEntry, Plan

pytestmark = pytest.mark.django_db


def post(client, plan, **data):
    return client.post(
        f"/plans/{plan.municipality.slug}/{plan.year}/manage/",
        {"action": "publication", "version": plan.version, **data},
    )


def test_a_plan_administrator_publishes_the_draft_and_the_officers_e_mail(client_for, plan_admin, falun_plan):
    response = post(client_for(plan_admin), falun_plan, publish_draft="on", show_officer_email="on")
    assert response.status_code == 302
    falun_plan.refresh_from_db()
    assert (falun_plan.publish_draft, falun_plan.show_officer_email) == (True, True)
    entry = HistoryEntry.objects.get(plan=falun_plan, action=HistoryEntry.Action.PUBLICATION)
    assert entry.user == plan_admin
    assert set(entry.changes) == {"publish_draft", "show_officer_email"}


def test_a_stale_form_is_refused_and_changes_nothing(client_for, plan_admin, falun_plan):
    Plan.objects.filter(pk=falun_plan.pk).update(version=falun_plan.version + 1)
    response = post(client_for(plan_admin), falun_plan, publish_draft="on")
    assert response.status_code == 400
    falun_plan.refresh_from_db()
    assert falun_plan.publish_draft is False
    assert not HistoryEntry.objects.filter(action=HistoryEntry.Action.PUBLICATION).exists()


def test_a_form_without_its_version_is_refused(client_for, plan_admin, falun_plan):
    response = client_for(plan_admin).post(
        f"/plans/falun/{falun_plan.year}/manage/", {"action": "publication", "publish_draft": "on"}
    )
    assert response.status_code == 400
    falun_plan.refresh_from_db()
    assert falun_plan.publish_draft is False


@pytest.mark.parametrize("role", ["officer", "politician", "department_rep", "outsider"])
def test_others_may_not_change_what_the_plan_publishes(request, client_for, falun_plan, role):
    user = request.getfixturevalue(role)
    response = post(client_for(user), falun_plan, publish_draft="on")
    assert response.status_code in (403, 404)
    falun_plan.refresh_from_db()
    assert falun_plan.publish_draft is False


def test_saving_the_same_choice_writes_no_history(client_for, plan_admin, falun_plan):
    assert post(client_for(plan_admin), falun_plan).status_code == 302
    assert not HistoryEntry.objects.filter(action=HistoryEntry.Action.PUBLICATION).exists()
