"""Fixed-window rate limits kept in Django's cache.

Enough to stop a script hammering the answer form or guessing passwords; not a
defence against a distributed attack (that belongs in the proxy). With several
gunicorn workers the cache must be shared (the file cache in ``var/cache`` by default),
or each worker counts on its own. Logins are limited by django-axes and
``accounts.throttle`` (docs/decisions/0006), which use the same client address.
"""

import logging
import time
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

logger = logging.getLogger(__name__)
LOG_EVERY_SECONDS = 60
_unlimited_logged_at: dict[str, float] = {}  # per scope


def client_address(request) -> str:
    """The client's IP: REMOTE_ADDR, or the proxy's entry in X-Forwarded-For when trusted."""
    # X-Forwarded-For is whatever the client wants it to be, except the last entry, which our
    # own proxy appended; so it counts only when settings say such a proxy is in front.
    if settings.RATE_LIMIT_TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR", "unknown")


def requester(request) -> str:
    """Who is asking: the account when logged in, else the client address."""
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return f"ip:{client_address(request)}"


def hit(*, scope: str, key: str) -> bool:
    """Count one request; False when it is over the scope's limit for this window."""
    limit, window = settings.RATE_LIMITS[scope]
    bucket = f"ratelimit:{scope}:{key}:{int(time.time() // window)}"
    # Counting first: every request of a window but its first finds the counter there (one
    # cache write, no failed add() before it). add() is atomic: of two first requests only
    # one creates the counter, the other counts on it.
    try:
        count = cache.incr(bucket)
    except ValueError:  # the window's first request
        if cache.add(bucket, 1, timeout=window + 1):
            return limit >= 1
        try:
            count = cache.incr(bucket)
        except ValueError:  # neither created nor found: a cache that keeps nothing now
            _let_through(scope)
            return True
    return count <= limit


def _let_through(scope: str) -> None:
    """A limit that cannot count lets the request through (decision 0014), said once a
    minute per process and scope rather than once per request."""
    now = time.monotonic()
    if now - _unlimited_logged_at.get(scope, float("-inf")) >= LOG_EVERY_SECONDS:
        _unlimited_logged_at[scope] = now
        logger.warning("rate limits are off: the cache keeps no counter (scope %s)", scope)


def within(*, scope: str, key: str) -> bool:
    """True while the scope's count for this key is under its limit; counts nothing."""
    limit, window = settings.RATE_LIMITS[scope]
    return (cache.get(f"ratelimit:{scope}:{key}:{int(time.time() // window)}") or 0) < limit


def too_many_requests(request, *, what: str, status: int = 429) -> HttpResponse:
    """The page every limit answers with: what was refused and when to try again."""
    response = render(request, "core/too_many_requests.html", {"what": what}, status=status)
    response["Retry-After"] = "60"
    return response


def limited(keys: Callable[[HttpRequest], list[tuple[str, str]]], *, what: str, methods=("POST",)):
    """Refuse a view with a 429 once any (scope, key) of ``keys(request)`` is over its limit."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if request.method in methods:
                # Every key is counted (no short-circuit), so each limit sees every request.
                allowed = [hit(scope=scope, key=key) for scope, key in keys(request) if key]
                if not all(allowed):
                    return too_many_requests(request, what=what)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def by_address(scope: str) -> Callable[[HttpRequest], list[tuple[str, str]]]:
    return lambda request: [(scope, f"ip:{client_address(request)}")]
