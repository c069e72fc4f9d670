"""Django's Redis cache, failing soft: an unreachable Redis is a cache that keeps nothing.

Everything this project keeps in the cache can be had without it (docs/decisions/0014): a
session's user and the session itself are read from the database, pages and shared reads
are rendered afresh, a rate-limit counter that cannot be kept lets the request through
(``core.ratelimit``). So while Redis is down or not answering, reads miss, writes are
dropped, ``add()`` creates nothing and ``incr()`` finds no key; nothing raises.

Every call has a connect and a read timeout (``OPTIONS``), and after a failure this process
leaves Redis alone for ``RETRY_SECONDS``, so a Redis that does not answer costs one timeout
per process every few seconds, not one per call. The outage is logged once a minute.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# Unreachable, refused, reset, not answering in time: the outages a cache may have.
OUTAGES = (RedisConnectionError, RedisTimeoutError, OSError)
RETRY_SECONDS = 5.0
LOG_EVERY_SECONDS = 60.0
TIMEOUT_SECONDS = 0.5


class _Outage:
    """Per process and Redis address: since when calls are skipped, and the last log line."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.failed_at = float("-inf")
        self.logged_at = float("-inf")

    def skipping(self) -> bool:
        return time.monotonic() < self.failed_at + RETRY_SECONDS

    def failed(self, location: str, error: BaseException) -> None:
        now = time.monotonic()
        with self.lock:
            self.failed_at = now
            log = now - self.logged_at >= LOG_EVERY_SECONDS
            if log:
                self.logged_at = now
        if log:
            logger.warning(
                "cache unavailable, serving without it: %s (%s)",
                type(error).__name__,
                location,
            )


_OUTAGES: dict[str, _Outage] = {}
_OUTAGES_LOCK = threading.Lock()


class SoftRedisCache(RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` that treats an outage as a miss."""

    def __init__(self, server, params):
        options = {
            "socket_connect_timeout": TIMEOUT_SECONDS,
            "socket_timeout": TIMEOUT_SECONDS,
            **params.get("OPTIONS", {}),
        }
        super().__init__(server, {**params, "OPTIONS": options})
        location = ",".join(self._servers)
        with _OUTAGES_LOCK:
            self._outage = _OUTAGES.setdefault(location, _Outage())
        self._location = location

    def available(self) -> bool:
        """False while this process leaves Redis alone after a failure."""
        return not self._outage.skipping()

    def _soft(self, method, *args, missing=None):
        """``method(*args)``, or ``missing`` when Redis is left alone or fails now."""
        if self._outage.skipping():
            return missing
        try:
            return method(*args)
        except OUTAGES as error:
            self._outage.failed(self._location, error)
            return missing

    def get(self, key, default=None, version=None):
        return self._soft(super().get, key, default, version, missing=default)

    def get_many(self, keys, version=None):
        return self._soft(super().get_many, keys, version, missing={})

    def has_key(self, key, version=None):
        return self._soft(super().has_key, key, version, missing=False)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft(super().add, key, value, timeout, version, missing=False)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._soft(super().set, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # Not stored: every key, as Django's API reports failed keys.
        return self._soft(super().set_many, data, timeout, version, missing=list(data))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft(super().touch, key, timeout, version, missing=False)

    def delete(self, key, version=None):
        return self._soft(super().delete, key, version, missing=False)

    def delete_many(self, keys, version=None):
        self._soft(super().delete_many, keys, version)

    def incr(self, key, delta=1, version=None):
        unavailable = object()
        value = self._soft(super().incr, key, delta, version, missing=unavailable)
        if value is unavailable:
            raise ValueError(f"Key '{key}' not found (the cache is unavailable).")
        return value

    def clear(self):
        return self._soft(super().clear, missing=False)
