"""Tasks the worker tests enqueue: real tasks, run by a real worker process."""

import time
from pathlib import Path

from django.tasks import task


@task
def hold(*, folder: str) -> str:
    """Says it started, then waits until the test releases it (at most 60 s)."""
    here = Path(folder)
    (here / "started").touch()
    for _ in range(600):
        if (here / "release").exists():
            return "done"
        time.sleep(0.1)
    raise TimeoutError("never released")
