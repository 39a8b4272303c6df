"""The cast every test can use: an officer, a plan administrator, a Falun politician, a Falun department
representative and a Borlänge politician (the outsider), with Falun's and Borlänge's plans for 2027."""

import sys
from datetime import date

import pytest
import time_machine

from accounts.models import Role
from tests.factories import (
    CentreFactory,
    DepartmentFactory,
    MunicipalityFactory,
    PlanFactory,
    ProcurementFactory,
    UserFactory,
    member,
)

# Inside the default remiss window of the 2027 plans (1 Aug – 30 Nov 2026).
REMISS_DAY = date(2026, 9, 15)


@pytest.fixture(scope="session", autouse=True)
def no_session_outlives_the_suite(django_db_setup, django_db_blocker):
    """On PostgreSQL, end any other session on the test database before pytest-django drops it.

    In the full run (never in a part of it) one thread's connection was still open at the end, idle
    after a ROLLBACK, and dropping the database failed with "being accessed by other users" on the last
    test. What the suite tests is done by then; the sessions ended are named on stderr, so the thread
    that leaves one can still be found."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, application_name, state, left(query, 120), pg_terminate_backend(pid)"
            " FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        for row in cursor.fetchall():
            print(f"\nended a session left on the test database: {row[:4]}", file=sys.stderr)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def in_remiss():
    """The clock stopped on REMISS_DAY for the whole test (a module asks with usefixtures)."""
    with time_machine.travel(REMISS_DAY, tick=False):
        yield


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """run(function, ...) calls it and then what it queued with transaction.on_commit, as a real
    commit would (the test's own transaction never commits)."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


@pytest.fixture
def media(settings, tmp_path):
    """Uploads go to the test's own folder, never the project's media folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def centre(db):
    return CentreFactory()


@pytest.fixture
def falun(centre):
    return MunicipalityFactory(slug="falun", name="Falu kommun", centre=centre)


@pytest.fixture
def borlange(centre):
    return MunicipalityFactory(slug="borlange", name="Borlänge kommun", centre=centre)


@pytest.fixture
def serv(falun):
    return DepartmentFactory(municipality=falun, code="SERV", name="Serviceförvaltningen")


@pytest.fixture
def omv(falun):
    return DepartmentFactory(municipality=falun, code="OMV", name="Omvårdnadsförvaltningen")


@pytest.fixture
def officer(centre):
    return member(UserFactory(username="officer"), Role.OFFICER, centre=centre)


@pytest.fixture
def plan_admin(centre):
    return member(UserFactory(username="planadmin"), Role.PLAN_ADMIN, centre=centre)


@pytest.fixture
def politician(falun):
    return member(UserFactory(username="politician"), Role.POLITICIAN, municipality=falun)


@pytest.fixture
def department_rep(falun, serv):
    return member(UserFactory(username="lugi"), Role.DEPARTMENT_REP, municipality=falun, department=serv)


@pytest.fixture
def coordinator(falun):
    """Falun's labour-market coordinator (issue 18): keeps the centre's register of social enterprises."""
    return member(UserFactory(username="matchare"), Role.COORDINATOR, municipality=falun)


@pytest.fixture
def outsider(borlange):
    """A politician of Borlänge, who must never see Falun's drafts."""
    return member(UserFactory(username="outsider"), Role.POLITICIAN, municipality=borlange)


@pytest.fixture
def falun_plan(falun):
    return PlanFactory(municipality=falun, year=2027)


@pytest.fixture
def adopted_plan(falun):
    return PlanFactory(
        municipality=falun, year=2017, adopted_on=date(2016, 12, 14), adoption_minute_ref="UN § 87"
    )


@pytest.fixture
def procurement(falun_plan, serv):
    return ProcurementFactory(plan=falun_plan, ref="2027-001", title="Arbetskläder", department=serv)


@pytest.fixture
def users(officer, plan_admin, politician, department_rep, outsider):
    return {
        "officer": officer,
        "plan_admin": plan_admin,
        "politician": politician,
        "department_rep": department_rep,
        "outsider": outsider,
        "anonymous": None,
    }


@pytest.fixture
def client_for(client):
    """client_for(user) logs the test client in as user (None: stays anonymous)."""

    def login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return login
