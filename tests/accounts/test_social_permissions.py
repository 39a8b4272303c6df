"""Who keeps and who reads the social enterprises' register, the matches and the labour reserve (issue 18):
the rules at their edges, no database; and the coordinator's access as read from the memberships."""

import pytest

from accounts.models import Membership, Role
from accounts.permissions import (
    Access,
    can_decide_match,
    can_edit_social_register,
    can_keep_labour_reserve,
    can_read_orders,
    can_read_social_register,
    can_view_confidential,
    can_view_matches,
    can_view_plan,
)
from plans.remiss.phases import Phase
from tests.accounts.test_permissions import (
    ANONYMOUS,
    BORLANGE,
    DEPARTMENT_REP,
    FALUN,
    LUDVIKA,
    OFFICER,
    OUTSIDER,
    PLAN_ADMIN,
    POLITICIAN,
)

# Falun and Borlänge are served by centre 100; Ludvika by centre 200.
UHC, OTHER_CENTRE = 100, 200
SERVED = {UHC: frozenset({FALUN, BORLANGE}), OTHER_CENTRE: frozenset({LUDVIKA})}
STAFF_OFFICER = Access(
    authenticated=True,
    officer_municipalities=OFFICER.officer_municipalities,
    officer_centres=frozenset({UHC}),
)
STAFF_ADMIN = Access(
    authenticated=True, admin_municipalities=PLAN_ADMIN.admin_municipalities, admin_centres=frozenset({UHC})
)
COORDINATOR = Access(
    authenticated=True, coordinator_municipalities=frozenset({FALUN}), coordinator_centres=frozenset({UHC})
)
LUDVIKA_COORDINATOR = Access(
    authenticated=True,
    coordinator_municipalities=frozenset({LUDVIKA}),
    coordinator_centres=frozenset({OTHER_CENTRE}),
)


@pytest.mark.parametrize(
    ("access", "centre", "reads", "edits", "matches"),
    [
        (STAFF_OFFICER, UHC, True, True, True),
        (STAFF_ADMIN, UHC, True, True, True),
        (COORDINATOR, UHC, True, True, True),
        # Politicians and departments of a served municipality read what the enterprises offer.
        (POLITICIAN, UHC, True, False, False),
        (DEPARTMENT_REP, UHC, True, False, False),
        (OUTSIDER, UHC, True, False, False),
        # Another centre's register is not theirs, to read or to keep.
        (STAFF_OFFICER, OTHER_CENTRE, False, False, False),
        (COORDINATOR, OTHER_CENTRE, False, False, False),
        (LUDVIKA_COORDINATOR, UHC, False, False, False),
        (LUDVIKA_COORDINATOR, OTHER_CENTRE, True, True, True),
        (POLITICIAN, OTHER_CENTRE, False, False, False),
        (ANONYMOUS, UHC, False, False, False),
    ],
)
def test_who_reads_and_keeps_the_register(access, centre, reads, edits, matches):
    assert can_read_social_register(access, centre_id=centre, municipality_ids=SERVED[centre]) is reads
    assert can_edit_social_register(access, centre_id=centre) is edits
    assert can_view_matches(access, centre_id=centre) is matches


@pytest.mark.parametrize(
    ("access", "phase", "decides"),
    [
        (STAFF_OFFICER, Phase.DRAFT, True),
        (STAFF_OFFICER, Phase.REMISS, True),
        (STAFF_OFFICER, Phase.AWAITING_DECISION, True),
        # An adopted plan keeps the requirements it was adopted with.
        (STAFF_OFFICER, Phase.ADOPTED, False),
        # The coordinator suggests; the officer, who runs the procurement, decides.
        (COORDINATOR, Phase.DRAFT, False),
        (STAFF_ADMIN, Phase.DRAFT, False),
        (POLITICIAN, Phase.REMISS, False),
        (DEPARTMENT_REP, Phase.REMISS, False),
        (ANONYMOUS, Phase.DRAFT, False),
    ],
)
def test_officers_record_what_was_decided_on_a_match(access, phase, decides):
    assert can_decide_match(access, municipality_id=FALUN, phase=phase) is decides


@pytest.mark.parametrize(
    ("access", "municipality", "keeps"),
    [
        (COORDINATOR, FALUN, True),
        # A coordinator keeps their own municipality's figures only.
        (COORDINATOR, BORLANGE, False),
        (STAFF_ADMIN, FALUN, True),
        (STAFF_ADMIN, BORLANGE, True),
        (STAFF_OFFICER, FALUN, False),
        (POLITICIAN, FALUN, False),
        (ANONYMOUS, FALUN, False),
    ],
)
def test_who_keeps_the_labour_reserve(access, municipality, keeps):
    assert can_keep_labour_reserve(access, municipality_id=municipality) is keeps


def test_a_coordinator_reads_their_municipality_as_a_member_but_no_confidential_value():
    assert can_view_plan(COORDINATOR, municipality_id=FALUN, phase=Phase.DRAFT)
    assert not can_view_plan(COORDINATOR, municipality_id=BORLANGE, phase=Phase.DRAFT)
    assert can_read_orders(COORDINATOR, municipality_id=FALUN)
    assert not can_view_confidential(COORDINATOR, municipality_id=FALUN)


def test_the_coordinators_access_is_read_from_the_membership(coordinator, falun, centre):
    assert coordinator.access.coordinator_municipalities == {falun.pk}
    assert coordinator.access.coordinator_centres == {centre.pk}
    assert coordinator.access.member_municipalities == {falun.pk}
    assert not coordinator.access.staff_municipalities


@pytest.mark.parametrize(
    ("place", "valid"),
    [("municipality", True), ("centre", False), ("department", False), ("nothing", False)],
)
def test_a_coordinator_belongs_to_one_municipality_only(place, valid, falun, serv, centre):
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction

    from tests.factories import UserFactory

    scope = {
        "municipality": {"municipality": falun},
        "centre": {"centre": centre},
        "department": {"municipality": falun, "department": serv},
        "nothing": {},
    }[place]
    membership = Membership(user=UserFactory(), role=Role.COORDINATOR, **scope)
    if valid:
        membership.full_clean()
        membership.save()
        return
    with pytest.raises(ValidationError):
        membership.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        membership.save()
