"""/healthz for load balancers: database checked, no session touched."""

import pytest
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
