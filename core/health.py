"""Readiness checks: each app registers what it needs to serve (core: database, cache;
certificates: its storage and signing key), and /readyz runs them all.

/healthz (liveness) and /readyz answer before any other middleware asks for the Host
header: a load balancer probing a node by its address must not get a 400.
"""

import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait

from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.http import JsonResponse

from core.drain import draining

_CHECKS: dict[str, Callable[[], None]] = {}


def register_check(name: str, check: Callable[[], None]) -> None:
    """``check`` raises (any exception) when the node is not ready for that reason."""
    _CHECKS[name] = check


def _cache_check() -> None:
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", 10)
    if cache.get(key) != "1":
        raise RuntimeError("the cache did not return what was stored")
    cache.delete(key)


register_check("cache", _cache_check)


def _not_draining() -> None:
    if draining():
        raise RuntimeError("the node is shutting down")


register_check("draining", _not_draining)


# The checks run side by side and the answer never waits longer than this for them: a
# dependency that does not answer is reported as such, within the probe's patience (each
# client's own timeouts end the call a little later, in its thread).
CHECKS_SECONDS = 1.5
_POOL = ThreadPoolExecutor(max_workers=8, thread_name_prefix="readyz")


def _run(check: Callable[[], None]) -> str:
    try:
        check()
    except Exception as error:  # noqa: BLE001 - any failure means "not ready"
        return f"error: {type(error).__name__}"
    return "ok"


def readiness() -> tuple[bool, dict[str, str]]:
    futures = {name: _POOL.submit(_run, check) for name, check in _CHECKS.items()}
    wait(futures.values(), timeout=CHECKS_SECONDS)
    results = {
        name: future.result() if future.done() else "error: no answer in time"
        for name, future in futures.items()
    }
    return all(value == "ok" for value in results.values()), results


class _Rollback(Exception):
    pass


def database_state() -> str:
    """'ok', 'read-only' or 'locked': whether this node can write now."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_is_in_recovery(), current_setting('transaction_read_only')")
            in_recovery, read_only = cursor.fetchone()
            return "read-only" if in_recovery or read_only == "on" else "ok"
        if connection.vendor == "sqlite":
            # Take the write lock and give it back; wait one second at most, not the busy
            # timeout a request would wait.
            timeout_ms = int(connection.settings_dict["OPTIONS"].get("timeout", 5) * 1000)
            cursor.execute("PRAGMA busy_timeout = 1000")
            try:
                with transaction.atomic():
                    cursor.execute("SELECT 1")
                    raise _Rollback
            except _Rollback:
                pass
            except DatabaseError:
                return "locked"
            finally:
                cursor.execute(f"PRAGMA busy_timeout = {timeout_ms}")
            return "ok"
        cursor.execute("SELECT 1")
        return "ok"


def healthz(request):
    """For load balancers: the database answers and can take writes; never the session."""
    try:
        state = database_state()
    except DatabaseError:
        state = "unavailable"
    status = 200 if state == "ok" else 503
    response = JsonResponse({"status": "ok" if status == 200 else "error", "database": state})
    response.status_code = status
    response["Cache-Control"] = "no-store"
    return response


class HealthCheckMiddleware:
    """Answers /healthz and /readyz itself, ahead of the Host check and HTTPS redirect."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/healthz":
            return healthz(request)
        if request.path_info == "/readyz":
            return readyz(request)
        return self.get_response(request)


def readyz(request) -> JsonResponse:
    """Readiness: the database takes writes and every registered check passes."""
    ready, results = readiness()
    try:
        state = database_state()
    except DatabaseError:
        state = "unavailable"  # still JSON, for the probe that asked (issue 26)
    results = {"database": state, **results}
    ready = ready and state == "ok"
    response = JsonResponse({"status": "ok" if ready else "error", **results})
    response.status_code = 200 if ready else 503
    response["Cache-Control"] = "no-store"
    return response
