"""Background work (issue 13): at issue the PDF is drawn and the learner emailed; a certificate
waiting for a name emails too; failures retry later. Both task backends."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.storage import storages
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from certificates.models import Certificate
from learning.services import chapter_finish
from tests.conftest import make_course, make_user

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _complete(learner):
    course = make_course(chapters=1, title="Calm Calls")
    chapter_finish(learner=learner, chapter=course.chapters.get())
    return course


@pytest.mark.django_db
def test_issuing_draws_the_pdf_and_emails_the_links_at_once(django_capture_on_commit_callbacks):
    learner = make_user(email="grace@example.org", full_name="Grace Hopper")
    with django_capture_on_commit_callbacks(execute=True):
        _complete(learner)
    certificate = Certificate.objects.get(learner=learner)
    assert certificate.pdf and certificate.pdf_fingerprint
    (message,) = mail.outbox
    assert message.to == ["grace@example.org"] and "Calm Calls" in message.subject
    assert certificate.verify_url() in message.body
    assert f"{certificate.get_absolute_url()}pdf" in message.body


@pytest.mark.django_db
def test_a_certificate_waiting_for_a_name_says_so_by_email(django_capture_on_commit_callbacks):
    learner = make_user(email="anon@example.org", full_name="")
    with django_capture_on_commit_callbacks(execute=True):
        _complete(learner)
    (message,) = mail.outbox
    assert "waiting for your name" in message.subject and "/accounts/profile/" in message.body


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_does_the_work(settings):
    settings.TASKS = DATABASE_TASKS
    learner = make_user(email="ada@example.org", full_name="Ada Lovelace")
    _complete(learner)
    certificate = Certificate.objects.get(learner=learner)
    assert not certificate.pdf and not mail.outbox  # queued, not done
    assert DBTaskResult.objects.count() == 2
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    certificate.refresh_from_db()
    assert certificate.pdf and len(mail.outbox) == 1
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


@pytest.mark.django_db(transaction=True)
def test_a_failed_pdf_is_retried_later(settings, tmp_path):
    settings.TASKS = DATABASE_TASKS
    learner = make_user(full_name="Ada Lovelace")
    _complete(learner)
    # The storage folder cannot be created (a file stands where it should be): a real
    # OSError from the file system, as with an unmounted volume.
    (tmp_path / "blocked").write_text("not a folder")
    settings.STORAGES = {
        **settings.STORAGES,
        "certificates": {
            **settings.STORAGES["certificates"],
            "OPTIONS": {"location": tmp_path / "blocked" / "pdfs", "base_url": None},
        },
    }
    Certificate._meta.get_field("pdf").storage = storages["certificates"]
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert not Certificate.objects.get(learner=learner).pdf
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    assert retry.run_after > timezone.now() + timedelta(seconds=30)
