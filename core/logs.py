"""Logs for several nodes: one JSON object per line, each request with its id.

The request id comes from ``X-Request-ID`` when a proxy set a sane one, else it is made
here; it is returned in the response and stamped on every log line written while the request
runs, with the node's name, so one request can be followed across a load balancer's nodes.
"""

import json
import logging
import os
import re
import socket
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from core.ratelimit import client_address

_request_id: ContextVar[str] = ContextVar("request_id", default="")
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
NODE = os.environ.get("NODE_NAME") or socket.gethostname()
logger = logging.getLogger("chapterwise.request")

# Fields a log call may add with ``extra=`` that the JSON line carries.
_EXTRA = ("path", "method", "status", "duration_ms", "user_id", "client")


def record_fields_trim() -> None:
    """Stop the logging module from finding out, for every record, what no line here prints:
    the calling frame, thread, multiprocessing name and asyncio task (the Logging HOWTO's
    "Optimization"). The request line cost 35 µs, 23 µs without (bench/RESULTS.md,
    2026-12-03). Process ids stay: gunicorn's own log format prints ``%(process)d``, and
    without them every worker timeout or restart message was a "Logging error" (issue 26)."""
    logging._srcfile = None  # the HOWTO's own switch for caller lookups
    logging.logThreads = False
    logging.logMultiprocessing = False
    logging.logAsyncioTasks = False


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or _request_id.get(),
            "node": NODE,
        }
        for name in _EXTRA:
            if hasattr(record, name):
                line[name] = getattr(record, name)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


class RequestIdFilter(logging.Filter):
    """Stamps the current request's id on every record while the request runs.

    Django's own ``django.request`` record of a 4xx or 5xx is not written as a second line
    (issue 26): logged inside the middleware chain (an exception), it hands its level and
    exception to the request's line (``RequestLogMiddleware``), which follows; logged after
    the chain (an error response), it only repeats what that line said. Kept, with the id
    it carries: a record with an exception whose request's line was already written (a
    failure outside the log middleware), and records of requests the middleware never saw."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if record.name == "django.request" and getattr(request, "request_id", ""):
            if not getattr(request, "request_logged", False):
                request.request_error = (record.levelno, record.exc_info)
                return False
            if not record.exc_info:
                return False
        if not getattr(record, "request_id", ""):
            record.request_id = getattr(request, "request_id", "") or _request_id.get()
        return True


def _user_id(request) -> int | None:
    """The signed-in user's id, if it can be known without failing the log line (the user
    is read from a session store that may be down)."""
    try:
        user = getattr(request, "user", None)
        return user.pk if user is not None and user.is_authenticated else None
    except Exception:  # noqa: BLE001 - any failure only means "not known"
        return None


class RequestLogMiddleware:
    """Gives each request an id (X-Request-ID) and logs one line when it is answered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = given if _VALID_ID.match(given) else uuid.uuid4().hex
        token = _request_id.set(request_id)
        request.request_id = request_id
        started = time.perf_counter()
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            response["X-Request-ID"] = request_id
            return response
        finally:
            # One line for every request, answered or not (issue 26: a failure while
            # reading the user lost the line and the header), with the exception Django
            # logged for it, if any (RequestIdFilter).
            level, exc_info = getattr(request, "request_error", (logging.INFO, None))
            if status >= 500:
                level = max(level, logging.ERROR)
            request.request_logged = True
            logger.log(
                level,
                "%s %s %s",
                request.method,
                request.path,
                status,
                extra={
                    "request_id": request_id,
                    "method": request.method,
                    "path": request.path,
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": _user_id(request),
                    "client": client_address(request),
                },
                exc_info=exc_info,
            )
            _request_id.reset(token)
