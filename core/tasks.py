"""The task queue's housekeeping (Django's Tasks API, django-tasks-db's database backend).

django-tasks-db marks a task RUNNING when a worker claims it and never looks at it again: a
worker killed mid-task (SIGKILL, a lost machine, an out-of-memory kill) leaves it RUNNING
for ever. ``tasks_reclaim`` hands such a task back to the queue once it has run longer than
the visibility timeout, and fails it for good after ``max_attempts`` claims (the backend
keeps one worker id per claim). The ``worker`` command runs it (decision 0014).
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

VISIBILITY_TIMEOUT = timedelta(minutes=10)
MAX_ATTEMPTS = 3
WORKER_LOST = "core.tasks.WorkerLost"


def tasks_reclaim(
    *, visibility: timedelta = VISIBILITY_TIMEOUT, max_attempts: int = MAX_ATTEMPTS
) -> tuple[int, int]:
    """Hand back tasks whose worker has not finished them within ``visibility``; fail those
    already claimed ``max_attempts`` times. Returns (handed back, failed)."""
    now = timezone.now()
    handed_back = failed = 0
    with transaction.atomic():
        abandoned = (
            DBTaskResult.objects.running()
            .filter(started_at__lte=now - visibility)
            .select_for_update(skip_locked=True)
        )
        for result in abandoned:
            if len(result.worker_ids) >= max_attempts:
                result.status = TaskResultStatus.FAILED
                result.finished_at = now
                result.exception_class_path = WORKER_LOST
                result.traceback = (
                    f"The worker running this task stopped without finishing it, "
                    f"{len(result.worker_ids)} times (workers {', '.join(result.worker_ids)})."
                )
                result.save(
                    update_fields=["status", "finished_at", "exception_class_path", "traceback"]
                )
                failed += 1
                logger.error(
                    "task %s (%s) failed: its worker was lost", result.pk, result.task_path
                )
            else:
                result.status = TaskResultStatus.READY
                result.started_at = None
                result.run_after = now
                result.save(update_fields=["status", "started_at", "run_after"])
                handed_back += 1
                logger.warning(
                    "task %s (%s) handed back: its worker was lost", result.pk, result.task_path
                )
    return handed_back, failed
