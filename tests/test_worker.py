"""The task worker (``manage.py worker``, issue 26): a task whose worker was killed mid-task is
handed back and done once; a worker that loses its database waits and carries on. Real worker
processes, killed with SIGKILL; a real database outage as a client sees it."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.tasks import WORKER_LOST, tasks_reclaim
from tests.conftest import ROOT
from tests.servers import Forwarder, database_url, free_port
from tests.tasks import hold

pytestmark = pytest.mark.django_db(transaction=True)
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _worker(database: str, log: Path) -> subprocess.Popen:
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SECRET_KEY": django_settings.SECRET_KEY,
        "DATABASE_URL": database,
        "DJANGO_TASKS": "database",
        "DJANGO_DEBUG": "0",  # no autoreloader: the test kills the worker it started
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--interval", "0.1"],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _until(condition, what: str, seconds: float = 60) -> None:
    for _ in range(int(seconds * 20)):
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"waited {seconds} s for {what}")


def test_a_task_whose_worker_was_killed_is_handed_back_and_done_once(settings, tmp_path):
    settings.TASKS = DATABASE_TASKS
    result = hold.enqueue(folder=str(tmp_path))
    worker = _worker(database_url(), tmp_path / "worker.log")
    try:
        _until((tmp_path / "started").exists, "the task to start")
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.RUNNING and len(row.worker_ids) == 1

    (tmp_path / "release").touch()
    call_command("worker", "--batch", "--visibility-timeout", "0", "--interval", "0")
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL and row.return_value == "done"
    assert len(row.worker_ids) == 2  # claimed twice, done once


def test_a_task_lost_too_often_fails_with_the_reason(settings, tmp_path):
    settings.TASKS = DATABASE_TASKS
    result = hold.enqueue(folder=str(tmp_path))
    started = timezone.now() - timedelta(minutes=11)
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING, started_at=started, worker_ids=["a", "b", "c"]
    )
    fresh = hold.enqueue(folder=str(tmp_path))
    DBTaskResult.objects.filter(pk=fresh.id).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now(), worker_ids=["d"]
    )
    assert tasks_reclaim() == (0, 1)
    lost = DBTaskResult.objects.get(pk=result.id)
    assert lost.status == TaskResultStatus.FAILED and lost.exception_class_path == WORKER_LOST
    assert "3 times" in lost.traceback
    # A task inside its visibility timeout is left to its worker.
    assert DBTaskResult.objects.get(pk=fresh.id).status == TaskResultStatus.RUNNING


@pytest.fixture
def database_outage(tmp_path):
    """A database URL for the worker, and a way to take that database away and back."""
    if connection.vendor == "sqlite":
        # The worker opens the test database through a folder link: no link, no database.
        real = Path(connection.settings_dict["NAME"])
        link = tmp_path / "db"

        class Outage:
            url = f"sqlite:///{link / real.name}"

            def down(self):
                link.unlink(missing_ok=True)

            def up(self):
                link.symlink_to(real.parent, target_is_directory=True)

        yield Outage()
        return
    # PostgreSQL over its Unix socket (scripts/with-postgres.sh), or over TCP.
    params = connection.get_connection_params()
    host, port = params.get("host") or "127.0.0.1", int(params.get("port") or 5432)
    if host.startswith("/"):
        folder = tmp_path / "pg"
        folder.mkdir()
        socket_name = f".s.PGSQL.{port}"
        forwarder = Forwarder(listen=folder / socket_name, target=Path(host) / socket_name)
        url = f"postgres://{params['user']}@/{params['dbname']}?host={folder}"
    else:
        forwarder = Forwarder(listen=("127.0.0.1", free_port()), target=(host, port))
        url = database_url().replace(f":{port}/", f":{forwarder.listen[1]}/", 1)

    class PostgresOutage:
        down, up = forwarder.down, forwarder.up

    PostgresOutage.url = url
    yield PostgresOutage()
    forwarder.down()


def test_a_worker_that_loses_its_database_waits_and_carries_on(settings, tmp_path, database_outage):
    settings.TASKS = DATABASE_TASKS
    log = tmp_path / "worker.log"
    database_outage.down()
    worker = _worker(database_outage.url, log)
    try:
        _until(lambda: "database unavailable" in log.read_text(), "the worker to see the outage")
        assert worker.poll() is None  # still running, waiting for the database
        result = hold.enqueue(folder=str(tmp_path))
        (tmp_path / "release").touch()
        database_outage.up()
        _until(
            lambda: DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.SUCCESSFUL,
            "the task to be done once the database is back",
        )
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
