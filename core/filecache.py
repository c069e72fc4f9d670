"""Django's file cache, with an atomic ``incr`` and ``add`` and its size checked once a second.

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

And reads, three per signed-in page (session, user, content version), cost 14 µs instead of
31 (bench/RESULTS.md, 2026-12-03): a key's file name (the key validated, then hashed) is worked
out once per process, and an entry is read whole, unbuffered, and parsed from memory instead
of through a buffered file object. The files are Django's own format throughout.
"""

import io
import os
import pickle  # noqa: S403 - Django's own format; the directory is the site's alone (0700)
import tempfile
import time
import zlib

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.files import locks


class FileCache(FileBasedCache):
    cull_interval = 1.0  # seconds between two size checks of one process
    max_paths = 10_000  # keys whose file names a process remembers (about 2 MB)

    def __init__(self, dir, params):
        super().__init__(dir, params)
        self._next_cull = 0.0
        self._paths: dict[tuple, str] = {}

    def _cull(self):
        now = time.monotonic()
        if now < self._next_cull:
            return
        self._next_cull = now + self.cull_interval
        super()._cull()

    def _key_to_file(self, key, version=None):
        # Django validates the key and hashes it on every call: the same few keys (a
        # session's, its user's, the content version) come back on every request.
        path = self._paths.get((key, version))
        if path is None:
            path = super()._key_to_file(key, version)
            if len(self._paths) >= self.max_paths:
                self._paths.clear()
            self._paths[(key, version)] = path
        return path

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        """Store only if the key is absent, atomically across processes (core.ratelimit
        opens each window's counter with it). Django's is ``has_key`` then ``set``: two
        workers both created the counter and one count was lost (issue 26). The entry is
        written to a temporary file and hard-linked into place, which fails if the entry
        exists; an expired entry is removed under its lock and the link tried once more."""
        self._createdir()
        path = self._key_to_file(key, version)
        self._cull()
        fd, tmp_path = tempfile.mkstemp(dir=self._dir)
        try:
            with open(fd, "wb") as f:
                self._write_content(f, timeout, value)
            for _ in range(2):
                try:
                    os.link(tmp_path, path)
                    return True
                except FileExistsError:
                    if not self._remove_if_expired(path):
                        return False
            return False
        finally:
            os.remove(tmp_path)

    def _remove_if_expired(self, path) -> bool:
        """Remove the entry if it has expired (True), or say it is live (False). Django's
        ``_is_expired`` closes and deletes an expired file itself."""
        try:
            with open(path, "rb") as f:
                locks.lock(f, locks.LOCK_EX)
                try:
                    return self._is_expired(f)
                finally:
                    if not f.closed:
                        locks.unlock(f)
        except FileNotFoundError:
            return True

    def get(self, key, default=None, version=None):
        path = self._key_to_file(key, version)
        try:
            with open(path, "rb", buffering=0) as f:
                locks.lock(f, locks.LOCK_SH)  # released when the file closes
                entry = f.readall()
        except FileNotFoundError:
            return default
        stream = io.BytesIO(entry)
        try:
            expiry = pickle.load(stream)  # noqa: S301
        except EOFError:
            expiry = 0  # an empty file is expired, as for Django
        if expiry is not None and expiry < time.time():
            self._delete(path)  # as Django's _is_expired does
            return default
        return pickle.loads(zlib.decompress(entry[stream.tell() :]))  # noqa: S301

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
