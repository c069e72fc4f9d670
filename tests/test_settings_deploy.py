"""Production settings: `check --deploy` is clean, and a missing secret key is refused."""

import secrets
import subprocess
from pathlib import Path

import pytest

from tests.conftest import run_manage

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, **env):
    return run_manage(*args, env=env)


PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
    "DJANGO_ALLOWED_HOSTS": "example.org",
    "SITE_URL": "https://example.org",
}


def test_check_deploy_passes_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION}
    del env["DJANGO_SECRET_KEY"]
    result = manage("check", **env)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.django_db
def test_pages_carry_csp_and_frame_headers(client):
    response = client.get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_command_on_an_unmigrated_database_says_so_in_one_line(tmp_path):
    result = manage("load_demo", DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().startswith("Database error: no such table")
    assert "manage.py migrate" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_old_secret_keys_are_read_from_the_environment_for_rotation():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SECRET_KEY_FALLBACKS)",
        **PRODUCTION,
        DJANGO_SECRET_KEY_FALLBACKS="old-one, older-one",
    )
    assert result.stdout.strip().splitlines()[-1] == "['old-one', 'older-one']", result.stderr


def test_make_serve_refuses_postgresql_without_a_shared_secret_key():
    result = subprocess.run(
        ["make", "--no-print-directory", "secret-key"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": "postgres://app@db/app"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "set DJANGO_SECRET_KEY (the same on every node)" in result.stdout
