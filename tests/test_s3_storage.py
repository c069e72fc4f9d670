"""Certificate PDFs in S3-compatible storage (issue 13): every node serves the same bytes.

moto's server mode is the S3 endpoint (MinIO is not installable here): started for these
tests on a free port and stopped after them."""

import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import boto3
import pytest
from django.core.files.storage import storages
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from certificates.models import Certificate
from certificates.tasks import certificate_pdf_draw
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


def _use_bucket(settings, url):
    settings.STORAGES = {
        **settings.STORAGES,
        "certificates": {
            "BACKEND": "core.s3.S3Storage",
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


@pytest.fixture
def s3_storage(settings, s3_endpoint):
    url, _ = s3_endpoint
    _use_bucket(settings, url)
    return s3_endpoint


@pytest.fixture
def s3_refusing(settings):
    """An endpoint where nothing listens: every connection is refused."""
    _use_bucket(settings, f"http://127.0.0.1:{free_port()}")


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
    assert result.stdout.strip().splitlines()[-1] == "core.s3.S3Storage"


def test_a_download_while_the_bucket_refuses_connections_is_a_503_to_retry(client, s3_refusing):
    certificate = make_certificate()
    client.force_login(certificate.learner)
    response = client.get(reverse("certificates:pdf", args=[certificate.display_code]))
    assert response.status_code == 503
    assert response["Retry-After"]
    assert "try again" in response.content.decode()


def test_a_stored_pdf_whose_bucket_is_away_is_a_503_too(client, settings, s3_endpoint):
    url, _ = s3_endpoint
    _use_bucket(settings, url)
    certificate = make_certificate()
    client.force_login(certificate.learner)
    pdf_url = reverse("certificates:pdf", args=[certificate.display_code])
    assert client.get(pdf_url).status_code == 200  # drawn and stored in the bucket
    _use_bucket(settings, f"http://127.0.0.1:{free_port()}")  # the bucket goes away
    response = client.get(pdf_url)
    assert response.status_code == 503 and response["Retry-After"]


@pytest.mark.django_db(transaction=True)
def test_the_pdf_task_retries_with_backoff_while_the_bucket_refuses(settings, s3_refusing):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    certificate = make_certificate()
    certificate_pdf_draw.enqueue(certificate_id=certificate.pk)
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL", "READY"}
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    assert retry.run_after > timezone.now() + timedelta(seconds=30)


def test_a_missing_object_is_file_not_found_not_an_outage(s3_storage):
    with pytest.raises(FileNotFoundError):
        storages["certificates"].open("no-such-file.pdf")


def test_readyz_names_the_storage_when_the_bucket_refuses(client, s3_refusing):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["certificate_storage"].startswith("error")
