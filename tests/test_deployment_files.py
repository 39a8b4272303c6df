"""The production set-up as files: docker-compose.yml, the Dockerfile and .ci/run say what the README says."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_runs_postgres_redis_web_worker_and_beat():
    services = compose()["services"]
    assert services["db"]["image"] == "postgres:16"
    assert services["redis"]["image"] == "redis:7"
    assert services["web"]["command"][0] == "gunicorn"
    assert services["worker"]["command"][:4] == ["celery", "-A", "procurement", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "procurement", "beat"]
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DJANGO_ENV"] == "production"
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["REDIS_URL"] == "redis://redis:6379/0"


@pytest.mark.skipif(not (shutil.which("docker-compose") or shutil.which("docker")), reason="no docker client")
def test_docker_compose_config_parses():
    command = (
        ["docker-compose", "config", "-q"]
        if shutil.which("docker-compose")
        else ["docker", "compose", "config"]
    )
    result = subprocess.run(
        command,
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "SECRET_KEY": "x" * 60},
        timeout=60,
    )
    if "unknown command" in result.stderr or "is not a docker command" in result.stderr:
        pytest.skip("docker has no compose plugin here")
    assert result.returncode == 0, result.stderr


def test_the_dockerfile_collects_static_files_for_production():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "collectstatic" in dockerfile
    assert "DJANGO_ENV=production" in dockerfile


@pytest.mark.django_db
def test_the_suite_runs_on_the_database_that_database_url_names():
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected
