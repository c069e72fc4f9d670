"""/healthz for load balancers: database checked, no session touched."""

import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_after_asking_the_database(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    # A write check (SQLite: the write lock taken and given back; PostgreSQL: not read-only),
    # and nothing about sessions or users.
    assert 1 <= len(queries.captured_queries) <= 8
    assert not any("session" in q["sql"] or "user" in q["sql"] for q in queries.captured_queries)
    assert "Set-Cookie" not in response.headers


def test_health_answers_a_load_balancer_that_sends_the_node_address_as_host(client, settings):
    settings.ALLOWED_HOSTS = ["chapterwise.example.org"]
    for path in ("/healthz", "/readyz"):
        response = client.get(path, HTTP_HOST="10.0.0.7:8000")
        assert response.status_code in (200, 503), path  # never 400 for the Host
    assert client.get("/", HTTP_HOST="10.0.0.7:8000").status_code == 400


def test_readyz_checks_database_cache_storage_and_signing_key(client, settings, tmp_path):
    settings.CREDENTIAL_SIGNING_KEY = ""
    settings.CREDENTIAL_SIGNING_KEY_FILE = tmp_path / "missing.pem"
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error" and body["signing_key"].startswith("error")
    assert body["database"] == body["cache"] == body["certificate_storage"] == "ok"
    settings.CREDENTIAL_SIGNING_KEY_FILE = tmp_path / "key.pem"
    call_command("generate_signing_key")
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ok"


def test_readyz_answers_without_waiting_for_a_check_that_hangs(client, monkeypatch):
    """A dependency that accepts the call and never answers (a paused server) is reported,
    and the probe still gets its JSON; the check is released afterwards."""
    from core import health

    released = threading.Event()
    monkeypatch.setitem(health._CHECKS, "hanging", lambda: released.wait(30))
    monkeypatch.setattr(health, "CHECKS_SECONDS", 0.2)
    try:
        response = client.get("/readyz")
    finally:
        released.set()
    assert response.status_code == 503
    body = response.json()
    assert body["hanging"] == "error: no answer in time"
    assert body["cache"] == "ok" and body["database"] == "ok"
