"""The restore drill of the README (issue 13): back up, restore into a new database, start a
node on it, and check that a certificate issued before verifies, credential and all."""

import json
import os
import sqlite3
import subprocess
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection

from certificates import credentials
from certificates.models import Certificate
from learning.services import chapter_finish
from tests.conftest import make_course, make_user, run_manage
from tests.servers import Node, drop_database


def _pg_bin(name: str) -> str:
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (folder / name).exists():
            return str(folder / name)
    return name


def _backup_and_restore(tmp_path) -> tuple[str, str | None]:
    """The database restored from a backup into a new one: (its URL, a name to drop)."""
    if connection.vendor == "sqlite":
        restored = tmp_path / "restored.sqlite3"
        source = sqlite3.connect(connection.settings_dict["NAME"])
        target = sqlite3.connect(restored)
        source.backup(target)  # SQLite's online backup, the counterpart of pg_dump
        source.close()
        target.close()
        return f"sqlite:///{restored}", None
    params = connection.get_connection_params()
    common = ["-h", params["host"], "-U", params.get("user") or "chapterwise"]
    if params.get("port"):
        common += ["-p", str(params["port"])]
    dump = tmp_path / "backup.dump"
    subprocess.run(
        [_pg_bin("pg_dump"), *common, "-Fc", "-f", str(dump), params["dbname"]],
        check=True,
        capture_output=True,
    )
    name = f"restored_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    subprocess.run(
        [_pg_bin("pg_restore"), *common, "--no-owner", "-d", name, str(dump)],
        check=True,
        capture_output=True,
    )
    base, _, query = os.environ["DATABASE_URL"].partition("?")
    return f"{base.rsplit('/', 1)[0]}/{name}" + (f"?{query}" if query else ""), name


@pytest.mark.django_db(transaction=True)
def test_a_restored_database_still_verifies_earlier_certificates(tmp_path):
    key = credentials.signing_key_generate(path=tmp_path / "key.pem").read_text()
    learner = make_user(full_name="Grace Hopper")
    course = make_course(chapters=1, title="Calm Calls")
    chapter_finish(learner=learner, chapter=course.chapters.get())
    certificate = Certificate.objects.get(learner=learner)

    url, created = _backup_and_restore(tmp_path)
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": django_settings.SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "SITE_URL": "http://127.0.0.1",
        "DATABASE_URL": url,
        "CREDENTIAL_SIGNING_KEY": key,  # the keys are part of the backup
        "CERTIFICATE_STORAGE_ROOT": str(tmp_path / "pdfs"),
        "DRAIN_SECONDS": "0",
        "GUNICORN_LOG_LEVEL": "warning",
    }
    collected = run_manage("collectstatic", "--noinput", "--verbosity", "0", env=env)
    assert collected.returncode == 0, collected.stderr  # pages with DEBUG off need it
    node = None
    try:
        node = Node("restored", env, tmp_path / "node")
        status, html, _ = node.request("GET", f"/verify/{certificate.display_code}/", cookies={})
        assert status == 200 and b"Grace Hopper" in html and b"valid" in html.lower()
        path = f"/verify/{certificate.display_code}/credential.jwt"
        token = node.request("GET", path, cookies={})[1].decode()
        jwks = json.loads(node.request("GET", "/.well-known/jwks.json", cookies={})[1])
        status_list = node.request("GET", "/credentials/status/1", cookies={})[1].decode()
        result = credentials.credential_verify(token=token, jwks=jwks, status_list=status_list)
        assert result.valid, result.reason
    finally:
        if node is not None:
            node.stop()
        if created:
            drop_database(created)
