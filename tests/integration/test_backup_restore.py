"""Backups (issue 8, point 7): the README's pg_dump / pg_restore round trip, on the real PostgreSQL.

The demo is loaded into the test database and committed, dumped with `pg_dump -Fc`, restored with
`pg_restore --no-owner` into a fresh database with a unique name, and every procurement (municipality,
year, ref) is looked for there; the fresh database is dropped whatever happens.

Skipped unless the suite runs on PostgreSQL with pg_dump and pg_restore on PATH; with REQUIRE_SERVICES=1
a missing pg_dump on PostgreSQL fails instead, so CI can never pass by skipping.
"""

import os
import shutil
import subprocess
import uuid

import pytest
from django.core.management import call_command
from django.db import connection

from accounts.models import Municipality
from plans.models import Outcome, Plan, Procurement

pytestmark = pytest.mark.integration

TOOLS = ("pg_dump", "pg_restore")


@pytest.fixture
def postgres():
    """The test database's connection settings, or skip (fail with REQUIRE_SERVICES=1) with the reason.

    Asked for before transactional_db, so that a skip does not first set up the test database.
    """
    if connection.vendor != "postgresql":
        pytest.skip(
            f"backup and restore need PostgreSQL (set DATABASE_URL=postgres://…); this run uses "
            f"{connection.vendor}"
        )
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        reason = f"{' and '.join(missing)} not on PATH (apt-get install postgresql-client)"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return connection.settings_dict


def client_args(settings: dict) -> tuple[list[str], dict]:
    """Command-line arguments and environment for pg_dump / pg_restore, from Django's settings."""
    args = []
    if settings.get("HOST"):
        args += ["--host", str(settings["HOST"])]
    if settings.get("PORT"):
        args += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        args += ["--username", str(settings["USER"])]
    environment = dict(os.environ)
    if settings.get("PASSWORD"):
        environment["PGPASSWORD"] = str(settings["PASSWORD"])
    return args, environment


def connect(settings: dict, dbname: str):
    import psycopg

    return psycopg.connect(
        dbname=dbname,
        host=settings.get("HOST") or None,
        port=settings.get("PORT") or None,
        user=settings.get("USER") or None,
        password=settings.get("PASSWORD") or None,
        autocommit=True,
    )


def run(command: list[str], environment: dict):
    finished = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, f"{' '.join(command[:1])} failed: {finished.stderr}"
    return finished


def test_a_dump_restores_into_a_fresh_database_with_every_procurement(postgres, transactional_db, tmp_path):
    from psycopg import sql

    call_command("load_demo", verbosity=0)
    expected = set(Procurement.objects.values_list("plan__municipality__slug", "plan__year", "ref"))
    outcomes = Outcome.objects.count()
    assert len(expected) >= 99 and outcomes > 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations")
        migrations = set(cursor.fetchall())

    args, environment = client_args(postgres)
    dump = tmp_path / "upphandlingsplan.dump"
    run(["pg_dump", *args, "--format=custom", "--file", str(dump), postgres["NAME"]], environment)
    assert dump.stat().st_size > 0

    fresh = f"restore_check_{uuid.uuid4().hex[:12]}"
    with connect(postgres, "postgres") as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(fresh)))
    try:
        run(
            ["pg_restore", *args, "--no-owner", "--exit-on-error", "--dbname", fresh, str(dump)],
            environment,
        )
        query = sql.SQL(
            "SELECT m.slug, p.year, r.ref FROM {procurement} r "
            "JOIN {plan} p ON p.id = r.plan_id JOIN {municipality} m ON m.id = p.municipality_id"
        ).format(
            procurement=sql.Identifier(Procurement._meta.db_table),
            plan=sql.Identifier(Plan._meta.db_table),
            municipality=sql.Identifier(Municipality._meta.db_table),
        )
        with connect(postgres, fresh) as restored:
            found = set(restored.execute(query).fetchall())
            restored_outcomes = restored.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(Outcome._meta.db_table))
            ).fetchone()[0]
            restored_migrations = set(restored.execute("SELECT app, name FROM django_migrations").fetchall())
        assert found == expected, (
            f"missing: {sorted(expected - found)[:5]}, unexpected: {sorted(found - expected)[:5]}"
        )
        assert restored_outcomes == outcomes
        # The schema came back at the same migration: `manage.py migrate` after a restore has nothing to do.
        assert restored_migrations == migrations
    finally:
        with connect(postgres, "postgres") as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(fresh)))
