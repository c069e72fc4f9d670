"""``manage.py worker``: django-tasks-db's ``db_worker`` kept running through outages.

django-tasks-db's worker exits when the database is unreachable and leaves a task RUNNING
for ever when it is killed mid-task. This command runs ``db_worker`` and, on a database
error, waits (1, 2, 4 ... 30 s) and starts it again; before each start and every minute
while it runs, tasks whose worker was lost are handed back (``core.tasks.tasks_reclaim``).
"""

import logging
import threading
import time
from datetime import timedelta

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import DatabaseError, InterfaceError, close_old_connections, connections

from core.tasks import MAX_ATTEMPTS, VISIBILITY_TIMEOUT, tasks_reclaim

logger = logging.getLogger("core.worker")

RECLAIM_EVERY_SECONDS = 60
LONGEST_WAIT_SECONDS = 30


class Command(BaseCommand):
    help = "Run the task worker, restarted after database outages; lost tasks handed back."
    # Some system checks read the database: a worker started during an outage must wait for
    # it, not exit (the deploy runs `manage.py check`).
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch", action="store_true", help="Stop once the queue is empty (tests, cron)."
        )
        parser.add_argument(
            "--visibility-timeout",
            type=float,
            default=VISIBILITY_TIMEOUT.total_seconds(),
            help="Seconds a task may run before it counts as lost (default 600).",
        )
        parser.add_argument("--max-attempts", type=int, default=MAX_ATTEMPTS)
        parser.add_argument(
            "--interval", default="1", help="Seconds between looks at an empty queue."
        )

    def handle(
        self, *args, batch: bool, visibility_timeout: float, max_attempts: int, interval: str,
        **options,
    ):  # fmt: skip
        visibility = timedelta(seconds=visibility_timeout)
        stop = threading.Event()
        if not batch:
            threading.Thread(
                target=self._reclaim_every_minute,
                args=(stop, visibility, max_attempts),
                daemon=True,
                name="reclaim",
            ).start()
        wait = 1
        try:
            while True:
                started = time.monotonic()
                try:
                    tasks_reclaim(visibility=visibility, max_attempts=max_attempts)
                    worker_options = ["--no-startup-delay", "--interval", interval]
                    worker_options += ["--batch"] if batch else []
                    call_command("db_worker", *worker_options, verbosity=options["verbosity"])
                    return
                except (DatabaseError, InterfaceError) as error:
                    connections.close_all()
                    if time.monotonic() - started > 10 * LONGEST_WAIT_SECONDS:
                        wait = 1  # a new outage after a long good run starts short again
                    logger.warning(
                        "database unavailable (%s); the worker starts again in %s s",
                        type(error).__name__,
                        wait,
                    )
                    time.sleep(wait)
                    wait = min(wait * 2, LONGEST_WAIT_SECONDS)
        finally:
            stop.set()

    @staticmethod
    def _reclaim_every_minute(stop: threading.Event, visibility, max_attempts: int) -> None:
        while not stop.wait(RECLAIM_EVERY_SECONDS):
            try:
                close_old_connections()
                tasks_reclaim(visibility=visibility, max_attempts=max_attempts)
            except DatabaseError:
                pass  # the main loop reports the outage
            finally:
                connections.close_all()
