"""`manage.py check --deploy` is clean with the production settings, which turn on HSTS,
secure cookies and the HTTPS redirect."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "kb.settings.production",
    "SECRET_KEY": "a-long-random-production-secret-" + "x7Qp2vLm9Rt4Kw8Zs" * 3,
    "ALLOWED_HOSTS": "kb.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://kb.example.org",
}


def run(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, **PRODUCTION_ENV, **env}
    environment.pop("DATABASE_URL", None)  # the check needs no database
    # Set by the browser tests' conftest for Playwright; never in a deployment.
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=environment, capture_output=True, text=True
    )


def test_check_deploy_is_clean_with_the_production_settings(tmp_path):
    result = run(
        "manage.py", "check", "--deploy", "--fail-level", "WARNING", KB_VAR_DIR=str(tmp_path)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_fails_when_a_protection_is_missing(tmp_path):
    # Proves the check above can fail: a weak secret is reported.
    result = run(
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="short",
        KB_VAR_DIR=str(tmp_path),
    )
    assert result.returncode != 0
    assert "security.W009" in result.stderr + result.stdout


def test_production_turns_on_hsts_secure_cookies_and_two_factor(tmp_path):
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_SSL_REDIRECT, s.KB_REQUIRE_2FA, s.AXES_ENABLED, s.DEBUG)"
    )
    result = run("-c", f"import django; django.setup(); {code}", KB_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["31536000", "True", "True", "True", "True", "True", "False"]
