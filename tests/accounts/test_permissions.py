"""The permission rules on plain values, at their edges, without a database."""

import pytest

from accounts.permissions import (
    Access,
    can_edit_procurements,
    can_manage_plans,
    can_view_confidential,
    can_view_plan,
)
from plans.remiss.phases import Phase

FALUN, BORLANGE, LUDVIKA = 1, 2, 3

OFFICER = Access(authenticated=True, officer_municipalities=frozenset({FALUN, BORLANGE}))
PLAN_ADMIN = Access(authenticated=True, admin_municipalities=frozenset({FALUN, BORLANGE}))
POLITICIAN = Access(authenticated=True, politician_municipalities=frozenset({FALUN}))
DEPARTMENT_REP = Access(
    authenticated=True, departments=frozenset({10}), department_municipalities=frozenset({FALUN})
)
OUTSIDER = Access(authenticated=True, politician_municipalities=frozenset({BORLANGE}))
ANONYMOUS = Access.anonymous()

NOT_ADOPTED = [Phase.DRAFT, Phase.REMISS, Phase.AWAITING_DECISION]


@pytest.mark.parametrize("phase", NOT_ADOPTED)
@pytest.mark.parametrize(
    ("access", "sees"),
    [
        (OFFICER, True),
        (PLAN_ADMIN, True),
        (POLITICIAN, True),
        (DEPARTMENT_REP, True),
        (OUTSIDER, False),
        (ANONYMOUS, False),
    ],
)
def test_drafts_are_seen_only_by_the_municipality_and_its_centre(access, sees, phase):
    assert can_view_plan(access, municipality_id=FALUN, phase=phase) is sees


@pytest.mark.parametrize("access", [OFFICER, PLAN_ADMIN, POLITICIAN, DEPARTMENT_REP, OUTSIDER, ANONYMOUS])
def test_adopted_plans_are_public(access):
    assert can_view_plan(access, municipality_id=FALUN, phase=Phase.ADOPTED)


@pytest.mark.parametrize(
    ("phase", "publish_draft", "sees"),
    [
        (Phase.DRAFT, True, False),
        (Phase.REMISS, False, False),
        (Phase.REMISS, True, True),
        (Phase.AWAITING_DECISION, False, False),
        (Phase.AWAITING_DECISION, True, True),
        (Phase.ADOPTED, False, True),
    ],
)
@pytest.mark.parametrize("access", [OUTSIDER, ANONYMOUS])
def test_a_published_draft_is_public_from_the_remiss_on(access, phase, publish_draft, sees):
    assert can_view_plan(access, municipality_id=FALUN, phase=phase, publish_draft=publish_draft) is sees


def test_an_officer_does_not_see_a_municipality_the_centre_does_not_serve():
    assert not can_view_plan(OFFICER, municipality_id=LUDVIKA, phase=Phase.REMISS)


@pytest.mark.parametrize(
    ("access", "sees"),
    [(OFFICER, True), (PLAN_ADMIN, True), (POLITICIAN, False), (DEPARTMENT_REP, False), (ANONYMOUS, False)],
)
def test_confidential_fields_are_for_the_centre_only(access, sees):
    assert can_view_confidential(access, municipality_id=FALUN) is sees


@pytest.mark.parametrize(
    ("access", "phase", "edits"),
    [
        (OFFICER, Phase.DRAFT, True),
        (OFFICER, Phase.REMISS, True),
        (OFFICER, Phase.AWAITING_DECISION, True),
        (OFFICER, Phase.ADOPTED, False),  # an adopted plan is read-only
        (PLAN_ADMIN, Phase.DRAFT, False),
        (POLITICIAN, Phase.DRAFT, False),
        (DEPARTMENT_REP, Phase.REMISS, False),
        (OUTSIDER, Phase.DRAFT, False),
        (ANONYMOUS, Phase.DRAFT, False),
    ],
)
def test_only_officers_edit_procurements_and_only_before_adoption(access, phase, edits):
    assert can_edit_procurements(access, municipality_id=FALUN, phase=phase) is edits


@pytest.mark.parametrize(("access", "manages"), [(PLAN_ADMIN, True), (OFFICER, False), (POLITICIAN, False)])
def test_plan_administrators_manage_plans(access, manages):
    assert can_manage_plans(access, municipality_id=FALUN) is manages


def test_access_is_read_from_memberships(
    officer, plan_admin, politician, department_rep, outsider, falun, borlange, serv
):
    assert officer.access.officer_municipalities == {falun.pk, borlange.pk}
    assert plan_admin.access.admin_municipalities == {falun.pk, borlange.pk}
    assert politician.access.politician_municipalities == {falun.pk}
    assert department_rep.access.departments == {serv.pk}
    assert department_rep.access.department_municipalities == {falun.pk}
    assert outsider.access.member_municipalities == {borlange.pk}


def test_a_superuser_is_staff_everywhere(falun, borlange):
    from tests.factories import UserFactory

    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    assert root.access.officer_municipalities == {falun.pk, borlange.pk}


@pytest.mark.parametrize(
    ("access", "phase", "flags"),
    [
        (OFFICER, Phase.DRAFT, True),
        (OFFICER, Phase.REMISS, True),
        (OFFICER, Phase.AWAITING_DECISION, True),
        (OFFICER, Phase.ADOPTED, False),
        (POLITICIAN, Phase.DRAFT, False),
        (POLITICIAN, Phase.REMISS, True),  # politicians flag during the remiss only
        (POLITICIAN, Phase.AWAITING_DECISION, False),
        (OUTSIDER, Phase.REMISS, False),
        (DEPARTMENT_REP, Phase.REMISS, False),
        (PLAN_ADMIN, Phase.REMISS, False),
        (ANONYMOUS, Phase.REMISS, False),
    ],
)
def test_who_flags_procurements_strategic(access, phase, flags):
    from accounts.permissions import can_flag_strategic

    assert can_flag_strategic(access, municipality_id=FALUN, phase=phase) is flags


@pytest.mark.parametrize(
    ("access", "phase", "edits"),
    [
        (PLAN_ADMIN, Phase.DRAFT, True),
        (PLAN_ADMIN, Phase.REMISS, True),
        (PLAN_ADMIN, Phase.AWAITING_DECISION, True),
        (PLAN_ADMIN, Phase.ADOPTED, False),
        (OFFICER, Phase.DRAFT, False),
        (POLITICIAN, Phase.REMISS, False),
    ],
)
def test_who_edits_the_rubric(access, phase, edits):
    from accounts.permissions import can_edit_rubric

    assert can_edit_rubric(access, municipality_id=FALUN, phase=phase) is edits
