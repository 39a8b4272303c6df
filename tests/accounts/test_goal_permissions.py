"""Who reads and who keeps the municipality's goals (issue 14): the rules at their edges, no database."""

import pytest

from accounts.permissions import Access, can_manage_goals, can_read_goals
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

SUPERUSER = Access(authenticated=True, superuser=True)


@pytest.mark.parametrize(
    ("access", "municipality", "reads", "manages"),
    [
        (PLAN_ADMIN, FALUN, True, True),
        (PLAN_ADMIN, BORLANGE, True, True),
        # A municipality the administrator's centre does not serve.
        (PLAN_ADMIN, LUDVIKA, False, False),
        # Officers read the goals (and link procurements to them) but do not keep them.
        (OFFICER, FALUN, True, False),
        (OFFICER, LUDVIKA, False, False),
        (POLITICIAN, FALUN, True, False),
        (DEPARTMENT_REP, FALUN, True, False),
        (DEPARTMENT_REP, BORLANGE, False, False),
        (OUTSIDER, FALUN, False, False),
        (OUTSIDER, BORLANGE, True, False),
        (ANONYMOUS, FALUN, False, False),
        # A superuser works through the admin, not as a plan administrator.
        (SUPERUSER, FALUN, False, False),
    ],
)
def test_who_reads_and_who_keeps_the_goals(access, municipality, reads, manages):
    assert can_read_goals(access, municipality_id=municipality) is reads
    assert can_manage_goals(access, municipality_id=municipality) is manages
