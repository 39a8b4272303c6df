"""Login abuse, passwords, sessions, security headers and the deployment check."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests.factories import PASSWORD, UserFactory

ROOT = Path(__file__).resolve().parents[2]


def attempt(client, username, password):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR="10.9.8.7"
    )


@pytest.mark.django_db
def test_repeated_failures_lock_the_account_even_with_the_right_password(client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    UserFactory(username="anna")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = attempt(client, "anna", "gissning")
        assert response.status_code == 200  # the form again, with its error
    locked = attempt(client, "anna", "gissning")
    assert locked.status_code == 429
    assert "För många misslyckade inloggningar" in locked.content.decode()
    # Now even the right password is refused for a while.
    assert attempt(client, "anna", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_good_login_before_the_limit_resets_the_count(client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    UserFactory(username="per")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "per", "fel")
    assert attempt(client, "per", PASSWORD).status_code == 302
    client.logout()
    assert attempt(client, "per", "fel").status_code == 200  # counting starts again


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("demo", False),
        ("password1234", False),
        ("123456789012", False),
        ("kort-men-bra", True),
        ("Remiss-i-november-2026", True),
    ],
)
def test_passwords_must_be_strong(password, ok):
    try:
        validate_password(password)
    except ValidationError:
        assert not ok
    else:
        assert ok


def test_sessions_end_with_the_browser_and_after_a_working_day():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_AGE <= 12 * 60 * 60


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/accounts/login/"])
def test_security_headers_and_a_policy_without_inline_script(client, path):
    response = client.get(path)
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert directives["frame-ancestors"] == "'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_no_template_has_inline_script_or_style():
    offenders = []
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)", text) or re.search(r"\sstyle=\"", text) or "<style" in text:
            offenders.append(str(template.relative_to(ROOT)))
    assert offenders == []


def production_env(**extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "DJANGO_ENV", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        DJANGO_ENV="production",
        SECRET_KEY="s" * 10 + "R3al-Pr0duct10n-K3y-With-Enough-Entropy_xyzXYZ0987654321",
        ALLOWED_HOSTS="plan.example.se",
        CSRF_TRUSTED_ORIGINS="https://plan.example.se",
        DATABASE_URL="sqlite:////tmp/upphandlingsplan-deploy-check.sqlite3",
        **extra,
    )
    return env


def test_the_deployment_check_reports_nothing_in_production():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_real_secret_key():
    env = production_env()
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
