"""A node told to stop drains first: /readyz answers 503 while it still serves (issue 13)."""

import json
import os
import signal
import time

import pytest
from django.conf import settings as django_settings

from certificates import credentials
from tests.servers import Node, database_url


@pytest.mark.django_db(transaction=True)
def test_after_sigterm_readyz_says_503_until_the_node_stops(tmp_path):
    key = credentials.signing_key_generate(path=tmp_path / "key.pem").read_text()
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": django_settings.SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": database_url(),
        "CREDENTIAL_SIGNING_KEY": key,
        "CERTIFICATE_STORAGE_ROOT": str(tmp_path / "pdfs"),
        "DRAIN_SECONDS": "2",
        "GUNICORN_LOG_LEVEL": "warning",
    }
    node = Node("draining", env, tmp_path / "node")
    try:
        status, body, _ = node.request("GET", "/readyz", cookies={})
        assert status == 200, body
        os.kill(node.process.pid, signal.SIGTERM)
        time.sleep(0.3)
        status, body, _ = node.request("GET", "/readyz", cookies={})
        assert status == 503 and json.loads(body)["draining"].startswith("error")
        assert node.request("GET", "/healthz", cookies={})[0] == 200  # still serving
        assert node.process.wait(timeout=20) == 0
    finally:
        if node.process.poll() is None:
            node.stop()
