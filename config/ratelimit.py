"""Fixed-window rate limits kept in Django's cache.

Enough to stop a script hammering the answer form or guessing passwords; not a
defence against a distributed attack (that belongs in the proxy). With several
gunicorn workers the cache must be shared (``DJANGO_CACHE_DIR``, which ``make serve``
sets), or each worker counts on its own.
"""

import time

from django.conf import settings
from django.core.cache import cache


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
    # add() is atomic: only the first request of a window creates the counter.
    if cache.add(bucket, 1, timeout=window + 1):
        return limit >= 1
    try:
        count = cache.incr(bucket)
    except ValueError:  # expired between add() and incr()
        cache.add(bucket, 1, timeout=window + 1)
        count = 1
    return count <= limit
