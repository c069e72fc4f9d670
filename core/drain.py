"""A node that received SIGTERM is draining: /readyz says 503 until it stops.

gunicorn's master (config/gunicorn.conf.py) marks the drain with a flag file named after its
pid; its workers find it through their parent's pid.
"""

import os
import tempfile
from pathlib import Path

_FOLDER = Path("/dev/shm") if Path("/dev/shm").is_dir() else Path(tempfile.gettempdir())  # noqa: S108


def drain_flag(master_pid: int) -> Path:
    return _FOLDER / f"chapterwise-draining-{master_pid}"


def draining() -> bool:
    return drain_flag(os.getppid()).exists()
