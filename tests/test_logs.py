"""One JSON object per log line, each request with its id (issue 13, logs)."""

import io
import json
import logging
import os
import sys

import pytest
from django.test import Client

from core.logs import NODE, JsonFormatter, RequestIdFilter
from tests.conftest import make_user, run_manage

pytestmark = pytest.mark.django_db


def _request_lines(caplog) -> list[dict]:
    formatter = JsonFormatter()
    return [
        json.loads(formatter.format(record))
        for record in caplog.records
        if record.name == "chapterwise.request"
    ]


def test_a_given_request_id_is_kept_returned_and_logged(client, caplog):
    user = make_user()
    client.force_login(user)
    with caplog.at_level(logging.INFO, logger="chapterwise.request"):
        response = client.get("/my-learning/", HTTP_X_REQUEST_ID="lb-42.abc")
    assert response["X-Request-ID"] == "lb-42.abc"
    (line,) = _request_lines(caplog)
    assert line["request_id"] == "lb-42.abc" and line["node"] == NODE
    assert (line["path"], line["status"], line["user_id"]) == ("/my-learning/", 200, user.pk)
    assert line["level"] == "INFO" and line["time"].endswith("+00:00")
    assert isinstance(line["duration_ms"], float) and line["client"] == "127.0.0.1"


def test_a_missing_or_odd_request_id_is_replaced(client, caplog):
    with caplog.at_level(logging.INFO, logger="chapterwise.request"):
        first = client.get("/")
        second = client.get("/", HTTP_X_REQUEST_ID="bad id\nwith newline")
    ids = [first["X-Request-ID"], second["X-Request-ID"]]
    assert all(len(i) == 32 for i in ids) and ids[0] != ids[1]
    assert [line["request_id"] for line in _request_lines(caplog)] == ids


def test_the_client_address_comes_from_forwarded_for_only_behind_a_trusted_proxy(
    client, caplog, settings
):
    with caplog.at_level(logging.INFO, logger="chapterwise.request"):
        client.get("/", HTTP_X_FORWARDED_FOR="203.0.113.5")
        settings.RATE_LIMIT_TRUST_X_FORWARDED_FOR = True
        client.get("/", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert [line["client"] for line in _request_lines(caplog)] == ["127.0.0.1", "203.0.113.5"]


def test_production_logs_are_json():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.LOG_FORMAT)",
        env={"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "x" * 60},
    )
    assert result.stdout.strip().splitlines()[-1] == "json", result.stderr


def test_records_skip_the_fields_no_line_prints(caplog):
    # core's ready(): no caller frame, thread, process or task looked up per record.
    with caplog.at_level(logging.INFO, logger="chapterwise.request"):
        logging.getLogger("chapterwise.request").info("one line")
    (record,) = caplog.records
    assert (record.funcName, record.lineno) == ("(unknown function)", 0)
    assert record.threadName is record.processName is record.taskName is None
    assert json.loads(JsonFormatter().format(record))["message"] == "one line"


def test_trimmed_records_still_carry_the_process_id_gunicorn_prints():
    # gunicorn formats its own messages with "%(process)d"; with process ids switched off
    # every worker timeout or exit became "--- Logging error --- TypeError" (issue 26).
    import logging

    from core.logs import record_fields_trim

    record_fields_trim()
    record = logging.LogRecord("gunicorn.error", logging.ERROR, __file__, 1, "timeout", (), None)
    line = logging.Formatter("[%(process)d] %(message)s").format(record)
    assert line == f"[{os.getpid()}] timeout"


def test_each_node_on_a_host_has_its_own_gunicorn_control_socket(monkeypatch):
    # Issue 26: two nodes on one host shared gunicorn's per-user control socket.
    import runpy
    from pathlib import Path

    config = Path(__file__).resolve().parents[1] / "config" / "gunicorn.conf.py"
    monkeypatch.delenv("GUNICORN_BIND", raising=False)
    monkeypatch.delenv("GUNICORN_CONTROL_SOCKET", raising=False)
    sockets = set()
    for port in ("8001", "8002"):
        monkeypatch.setenv("PORT", port)
        sockets.add(runpy.run_path(str(config))["control_socket"])
    assert len(sockets) == 2 and all(s.endswith(".ctl") for s in sockets)


def test_a_user_that_cannot_be_read_does_not_lose_the_request_line():
    # Issue 26: with the session store down, reading request.user raised inside the log
    # middleware, and the failed request got no log line and no X-Request-ID.
    from core.logs import _user_id

    class UnreadableUser:
        @property
        def user(self):
            raise ConnectionError("the session store is down")

    assert _user_id(UnreadableUser()) is None


def test_djangos_own_request_records_kept_carry_the_request_id():
    # A failure outside the log middleware: Django logs the exception after the request's
    # line was written; that record is kept, with the request's id (it was empty).
    from django.test import RequestFactory

    request = RequestFactory().get("/missing")
    request.request_id, request.request_logged = "abc123", True
    try:
        raise RuntimeError("in a middleware")
    except RuntimeError:
        record = logging.LogRecord(
            "django.request", logging.ERROR, __file__, 1, "Error", (), sys.exc_info()
        )
    record.request = request
    assert RequestIdFilter().filter(record)
    assert record.request_id == "abc123"


def test_every_answered_request_has_its_id_and_status_logged(client, caplog):
    with caplog.at_level("INFO", logger="chapterwise.request"):
        response = client.get("/no-such-page/")
    assert response.status_code == 404 and response["X-Request-ID"]
    line = [r for r in caplog.records if r.name == "chapterwise.request"][-1]
    assert (line.status, line.request_id) == (404, response["X-Request-ID"])


@pytest.fixture
def production_handler():
    """The stderr handler as settings configure it (JSON, the request-id filter), writing to
    a buffer: the lines an operator reads."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


def test_a_failed_request_is_one_line_with_its_id_status_and_exception(
    settings, production_handler
):
    settings.ROOT_URLCONF = "tests.failing_urls"
    response = Client(raise_request_exception=False).get("/fails/", HTTP_X_REQUEST_ID="req-500")
    assert response.status_code == 500
    lines = [line for line in production_handler() if line.get("request_id") == "req-500"]
    assert len(lines) == 1, lines  # Django's own "Internal Server Error" line is not repeated
    (line,) = lines
    assert (line["level"], line["status"], line["path"]) == ("ERROR", 500, "/fails/")
    assert "RuntimeError: a bug in a view" in line["exception"]
    assert not [line for line in production_handler() if not line.get("request_id")]


def test_a_not_found_is_one_line_too(client, production_handler):
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="req-404")
    assert response.status_code == 404
    lines = [line for line in production_handler() if line.get("request_id") == "req-404"]
    assert [(line["logger"], line["status"]) for line in lines] == [("chapterwise.request", 404)]
