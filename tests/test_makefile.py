"""`make demo` does what the README says: `PORT=8123 make demo` serves on 8123 and mails link there."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(not shutil.which("make"), reason="no make here")

# Stands in for the venv's python: prints what Django would see (SITE_URL) and the command it was given.
FAKE_PYTHON = '#!/bin/sh\necho "SITE_URL=${SITE_URL:-unset} $*"\n'


def run_make_demo(tmp_path, make_args=(), env_changes=None):
    """Runs `make demo` with a stand-in python; returns one line per manage.py command it ran."""
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    python = venv / "bin" / "python"
    python.write_text(FAKE_PYTHON)
    python.chmod(0o755)
    # Newer than pyproject.toml, so make installs nothing.
    (venv / ".installed-app").touch()
    env = {k: v for k, v in os.environ.items() if k not in {"PORT", "HOST", "SITE_URL", "MAKEFLAGS"}}
    env.update(env_changes or {})
    result = subprocess.run(
        ["make", "--no-print-directory", "demo", f"VENV={venv}", *make_args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return [line for line in result.stdout.splitlines() if line.startswith("SITE_URL=")]


@pytest.mark.parametrize(
    ("make_args", "env_changes", "site_url", "address"),
    [
        ((), {}, "http://127.0.0.1:8000", "127.0.0.1:8000"),
        ((), {"PORT": "8123"}, "http://127.0.0.1:8123", "127.0.0.1:8123"),
        (("PORT=8123",), {}, "http://127.0.0.1:8123", "127.0.0.1:8123"),
        (("HOST=0.0.0.0", "PORT=9000"), {}, "http://0.0.0.0:9000", "0.0.0.0:9000"),
        # An explicit SITE_URL (a proxy in front, say) is left alone.
        (
            (),
            {"PORT": "8123", "SITE_URL": "https://demo.example.se"},
            "https://demo.example.se",
            "127.0.0.1:8123",
        ),
    ],
)
def test_the_demo_links_mails_to_the_port_it_serves_on(tmp_path, make_args, env_changes, site_url, address):
    ran = run_make_demo(tmp_path, make_args, env_changes)
    # migrate, load_demo (which queues the remiss mails) and runserver all see the same SITE_URL.
    assert ran == [
        f"SITE_URL={site_url} manage.py migrate --noinput",
        f"SITE_URL={site_url} manage.py load_demo",
        f"SITE_URL={site_url} manage.py runserver {address}",
    ]
