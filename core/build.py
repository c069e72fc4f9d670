"""The deployed build: one short digest of the code, templates, catalogues and static files.

Cached pages and shared reads are keyed by it (``core.pagecache``), so a deploy that changes a
template or a view never serves a shell rendered by the old code, even from a shared cache
that outlives the deploy. ``BUILD_ID`` in the environment (a commit id from the deploy) is
used as it is; without it the digest is worked out once per process from the files
themselves (about 400 files, a few milliseconds).
"""

import hashlib
import os
from functools import lru_cache
from pathlib import Path

from django.conf import settings

_SUFFIXES = {".py", ".html", ".txt", ".mo", ".css", ".js", ".svg"}
_SKIPPED = {".venv", "node_modules", "var", "tests", "staticfiles", "bench", "docs", ".git"}


@lru_cache(maxsize=1)
def build_id() -> str:
    given = os.environ.get("BUILD_ID", "").strip()
    if given:
        return given[:40]
    return files_digest(Path(settings.BASE_DIR))[:12]


def files_digest(root: Path) -> str:
    """sha256 over the names and bytes of the project's files that shape a response."""
    digest = hashlib.sha256()
    for path in sorted(_files(root)):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _files(root: Path):
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = [s for s in subfolders if s not in _SKIPPED and not s.startswith(".")]
        for name in names:
            path = Path(folder) / name
            if path.suffix in _SUFFIXES:
                yield path
