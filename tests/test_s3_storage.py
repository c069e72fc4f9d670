"""Certificate PDFs in S3-compatible storage (issue 13): every node serves the same bytes.

moto's server mode is the S3 endpoint (MinIO is not installable here): started for these
tests on a free port and stopped after them."""

import socket
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest
from django.core.files.storage import storages
from django.urls import reverse

from certificates.models import Certificate
from tests.conftest import run_manage
from tests.servers import free_port
from tests.test_certificates import _site, make_certificate  # noqa: F401

pytestmark = pytest.mark.django_db
MOTO = str(Path(sys.executable).with_name("moto_server"))
BUCKET = "chapterwise-certificates"


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    server = subprocess.Popen(
        [MOTO, "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        url = f"http://127.0.0.1:{port}"
        client = boto3.client(
            "s3",
            endpoint_url=url,
            aws_access_key_id="test",
            aws_secret_access_key="test",
            region_name="us-east-1",
        )
        client.create_bucket(Bucket=BUCKET)
        yield url, client
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def s3_storage(settings, s3_endpoint):
    url, _ = s3_endpoint
    settings.STORAGES = {
        **settings.STORAGES,
        "certificates": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": url,
                "access_key": "test",
                "secret_key": "test",
                "region_name": "us-east-1",
                "location": "certificates",
                "default_acl": "private",
                "file_overwrite": False,
            },
        },
    }
    field = Certificate._meta.get_field("pdf")
    field.storage = storages["certificates"]
    return s3_endpoint


def test_the_pdf_is_stored_in_the_bucket_and_served_from_it(client, s3_storage):
    _, s3 = s3_storage
    certificate = make_certificate()
    client.force_login(certificate.learner)
    url = reverse("certificates:pdf", args=[certificate.display_code])
    first = b"".join(client.get(url).streaming_content)
    certificate.refresh_from_db()
    stored = s3.get_object(Bucket=BUCKET, Key=f"certificates/{certificate.pdf.name}")["Body"].read()
    assert first.startswith(b"%PDF") and stored == first
    # Another node (a fresh client, the same bucket) downloads the same bytes.
    other = client.__class__()
    other.force_login(certificate.learner)
    assert b"".join(other.get(url).streaming_content) == first


def test_settings_switch_to_s3_with_a_bucket_name():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.STORAGES['certificates']['BACKEND'])",
        env={"AWS_STORAGE_BUCKET_NAME": "b", "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:1"},
    )
    assert result.stdout.strip().splitlines()[-1] == "storages.backends.s3.S3Storage"
