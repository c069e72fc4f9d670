"""Django's file cache, checking its size at most once a second per process.

Django's ``FileBasedCache`` culls on every write, and to cull it lists every entry of the
directory: with its default 300 entries (sessions, users, rate-limit counters, pages of a
busy site) that listing cost 0.25 ms of a 1 ms answer, whose rate-limit count is a write
(issue 14, docs/decisions/0013). Checking once a second bounds the cost; the directory can
hold a second's writes above ``MAX_ENTRIES`` until the next check culls it. Everything else
is Django's backend unchanged.
"""

import time

from django.core.cache.backends.filebased import FileBasedCache


class FileCache(FileBasedCache):
    cull_interval = 1.0  # seconds between two size checks of one process

    def __init__(self, dir, params):
        super().__init__(dir, params)
        self._next_cull = 0.0

    def _cull(self):
        now = time.monotonic()
        if now < self._next_cull:
            return
        self._next_cull = now + self.cull_interval
        super()._cull()
