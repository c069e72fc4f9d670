"""Django's file cache, with an atomic ``incr`` and its size checked once a second.

Two changes to Django's ``FileBasedCache``, both measured on the answer path, whose rate-limit
count is an ``incr`` (issue 14, docs/decisions/0013):

- ``incr`` updates the entry in place under an exclusive lock of its file, keeping the
  entry's expiry. Django's is a ``get`` then a ``set``: two workers counting at once lose a
  count, the entry's expiry resets to the default timeout (the content version, stored
  forever, lapsed five minutes after an edit), and the ``set`` writes a temporary file and
  renames it over the entry. Readers take a shared lock, so none sees half a rewrite.
- The size is checked at most once a second per process instead of on every write: to cull,
  Django lists every entry of the directory, which at its default 300 entries (sessions,
  users, counters of a busy site) cost 0.25 ms per write. The directory may hold a second's
  writes above ``MAX_ENTRIES`` until the next check culls it.
"""

import pickle  # noqa: S403 - Django's own format; the directory is the site's alone (0700)
import time
import zlib

from django.core.cache.backends.filebased import FileBasedCache
from django.core.files import locks


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

    def get(self, key, default=None, version=None):
        try:
            with open(self._key_to_file(key, version), "rb") as f:
                locks.lock(f, locks.LOCK_SH)  # released when the file closes
                if not self._is_expired(f):
                    return pickle.loads(zlib.decompress(f.read()))  # noqa: S301
        except FileNotFoundError:
            pass
        return default

    def incr(self, key, delta=1, version=None):
        try:
            with open(self._key_to_file(key, version), "r+b") as f:
                locks.lock(f, locks.LOCK_EX)  # released when the file closes
                try:
                    expiry = pickle.load(f)  # noqa: S301
                except EOFError:
                    expiry = 0  # an empty file is expired, as for Django
                if expiry is not None and expiry < time.time():
                    raise ValueError(f"Key '{key}' not found")
                value = pickle.loads(zlib.decompress(f.read())) + delta  # noqa: S301
                f.seek(0)
                f.write(
                    pickle.dumps(expiry, self.pickle_protocol)
                    + zlib.compress(pickle.dumps(value, self.pickle_protocol))
                )
                f.truncate()
                return value
        except FileNotFoundError:
            raise ValueError(f"Key '{key}' not found") from None
