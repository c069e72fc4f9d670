"""Two nodes starting at once: migrate and load_demo both succeed (issue 13, release step)."""

import os
import subprocess
import sys
import uuid

import pytest
from django.db import connection

from tests.conftest import ROOT
from tests.servers import drop_database


def _fresh_database(tmp_path):
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'fresh.sqlite3'}", None
    name = f"chapterwise_race_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    base, _, query = os.environ["DATABASE_URL"].partition("?")
    return f"{base.rsplit('/', 1)[0]}/{name}" + (f"?{query}" if query else ""), name


@pytest.mark.django_db(transaction=True)
def test_two_nodes_migrating_and_loading_the_demo_at_once_both_succeed(tmp_path):
    url, created = _fresh_database(tmp_path)
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": url, "DJANGO_CACHE_DIR": str(tmp_path)}
    # What one node runs at start: the release step, migrations then the demo.
    step = (
        "import subprocess, sys\n"
        "for args in (['migrate', '--noinput', '-v0'], ['load_demo', '--if-empty']):\n"
        # --traceback: a failure shows where, not only manage.py's one line.
        "    subprocess.run([sys.executable, 'manage.py', *args, '--traceback'], check=True)\n"
    )
    try:
        nodes = [
            subprocess.Popen(
                [sys.executable, "-c", step],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        results = [(node.wait(timeout=300), *node.communicate()) for node in nodes]
        for code, _out, err in results:
            assert code == 0, err
        outputs = " ".join(out for _, out, _ in results)
        assert outputs.count("Loaded demo course") == 1
        assert "the database already has courses" in outputs
    finally:
        if created:
            drop_database(created)
