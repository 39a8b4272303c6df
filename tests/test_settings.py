"""Settings come from the environment; malformed values and an insecure production fail at start."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_settings(env_changes):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_ENV", "SECRET_KEY"}
    }
    env.update(env_changes)
    code = (
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.DATABASES['default']['ENGINE'], settings.DEBUG, settings.CELERY_TASK_ALWAYS_EAGER)"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "procurement.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_with_nothing_set_the_site_runs_on_sqlite_with_tasks_in_process():
    result = run_settings({})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True", "True"]


def test_database_and_redis_urls_switch_to_the_real_services():
    result = run_settings(
        {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/x", "REDIS_URL": "redis://127.0.0.1:6379/0"}
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "True", "False"]


@pytest.mark.parametrize(
    ("env", "complaint"),
    [
        ({"DJANGO_ENV": "production"}, "SECRET_KEY"),
        ({"DJANGO_ENV": "production", "SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"DJANGO_ENV": "staging"}, "DJANGO_ENV"),
        ({"DEBUG": "perhaps"}, "DEBUG"),
        ({"DB_CONN_MAX_AGE": "forever"}, "DB_CONN_MAX_AGE"),
        ({"DATABASE_URL": "nosuchdb://x"}, "DATABASE_URL"),
    ],
)
def test_bad_settings_fail_loudly_at_start(env, complaint):
    result = run_settings(env)
    assert result.returncode != 0
    assert complaint in result.stderr


def test_production_with_a_real_key_turns_debug_off():
    result = run_settings(
        {"DJANGO_ENV": "production", "SECRET_KEY": "k" * 20 + "x7Q!pz" * 6, "ALLOWED_HOSTS": "a.se"}
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[1] == "False"


SQLITE_WRITERS = """
import threading, time
import django
from django.conf import settings
django.setup()
from django.db import connection, connections, transaction

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE counter (n integer)")
    cursor.execute("INSERT INTO counter VALUES (0)")
failures = []

def writer():
    try:
        for _ in range(25):
            # Read, think, write: what a save does (the version check, then the update).
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT n FROM counter")
                n = cursor.fetchone()[0]
                time.sleep(0.002)
                cursor.execute("UPDATE counter SET n = %s", [n + 1])
    except Exception as exc:
        failures.append(repr(exc))
    finally:
        connections.close_all()

threads = [threading.Thread(target=writer) for _ in range(4)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
with connection.cursor() as cursor:
    cursor.execute("SELECT n FROM counter")
    print(cursor.fetchone()[0], failures)
"""


def test_the_demo_on_sqlite_serialises_concurrent_writers_instead_of_failing(tmp_path):
    """Four writers read and write the same row at once, 25 times each, on the demo's SQLite settings:
    with IMMEDIATE transactions and a busy timeout none gets "database is locked" (a 500 on a page) and
    no update is lost."""
    database = tmp_path / "demo.sqlite3"
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_ENV"}}
    result = subprocess.run(
        [sys.executable, "-c", SQLITE_WRITERS],
        cwd=ROOT,
        env={
            **env,
            "DATABASE_URL": f"sqlite:///{database}",
            "DJANGO_SETTINGS_MODULE": "procurement.settings",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "100 []"
