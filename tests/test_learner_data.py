"""Learners' own data in their hands (issue 15): "Download my data" and "Delete my account",
and the same two as commands for admins. End to end through HTTP, on both databases."""

import io
import json
from io import StringIO

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import AccountErasure, User, UserSession
from certificates import statuslist
from certificates.models import Certificate, CertificateEvent
from certificates.services import (
    CertificateError,
    CertificateWithdrawn,
    certificate_pdf,
    certificate_reinstate,
    certificate_revoke,
)
from certificates.tasks import certificate_pdf_draw
from learning.learner_data import learner_erase
from learning.models import Enrollment
from quizzes.models import Attempt
from tests.conftest import make_course, make_question, make_user
from tests.exercise_form import form_choice

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
NAME, USERNAME, EMAIL = "Zoë Erasmus-Quillfeather", "zoe_q_7781", "zoe.quill@example.org"


def _course_with_questions(chapters: int = 2):
    course = make_course(chapters=chapters, title="Handling Customer Conflict")
    for chapter in course.chapters.all():
        make_question(chapter=chapter)
    return course


def _complete(client, learner, course, *, wrong_first: bool = True):
    for chapter in course.chapters.order_by("position"):
        question = chapter.questions.get()
        client.get(chapter.get_absolute_url())
        answer = reverse("learning:answer", args=[course.slug, chapter.slug])
        if wrong_first:
            wrong = form_choice(question, "Raising your voice", learner)
            client.post(answer, {"question": question.pk, "choice": wrong})
        client.post(
            answer,
            {"question": question.pk, "choice": form_choice(question, "Active listening", learner)},
        )
        client.post(reverse("learning:chapter_done", args=[course.slug, chapter.slug]))


@pytest.fixture
def holder():
    """A learner who completed a course (certificate issued, PDF drawn) and is logged in on
    two devices."""
    learner = make_user(username=USERNAME, full_name=NAME, email=EMAIL)
    course = _course_with_questions()
    laptop, phone = Client(), Client()
    for device in (laptop, phone):
        assert (
            device.post(reverse("login"), {"username": USERNAME, "password": PASSWORD}).status_code
            == 302
        )
    _complete(laptop, learner, course)
    certificate = Certificate.objects.get(learner=learner)
    pdf = laptop.get(reverse("certificates:pdf", args=[certificate.display_code]))
    assert pdf.status_code == 200
    b"".join(pdf.streaming_content)
    certificate.refresh_from_db()
    assert certificate.pdf
    return learner, course, certificate, laptop, phone


# --- Download my data ----------------------------------------------------------------


def test_download_my_data_is_one_versioned_json_file_with_everything(holder):
    learner, course, certificate, laptop, _ = holder
    response = laptop.get(reverse("data_export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="chapterwise-my-data-')
    data = json.loads(response.content)
    assert (data["format"], data["format_version"]) == ("chapterwise.learner-data", 1)
    assert data["profile"]["username"] == USERNAME
    assert data["profile"]["full_name"] == NAME and data["profile"]["email"] == EMAIL
    (enrollment,) = data["enrollments"]
    assert enrollment["course_slug"] == course.slug and enrollment["completed_at"]
    assert [c["position"] for c in enrollment["chapters"]] == [1, 2]
    assert all(c["read_at"] and c["passed_at"] for c in enrollment["chapters"])
    assert len(data["attempts"]) == 4 == Attempt.objects.filter(learner=learner).count()
    assert [a["correct"] for a in data["attempts"]] == [False, True, False, True]
    assert all(a["response"]["choice"] for a in data["attempts"])  # the answer given
    assert data["attempts"][0]["question"] == "Which technique helps?"
    (printed,) = data["certificates"]
    assert printed["id"] == certificate.display_code and printed["name"] == NAME
    assert data["exam_attempts"] == [] and data["exam_grants"] == []


def test_my_data_holds_only_my_own(holder):
    _, course, _, _, _ = holder
    other = make_user(username="someone_else", full_name="Somebody Else")
    client = Client()
    client.force_login(other)
    data = json.loads(client.get(reverse("data_export")).content)
    assert data["profile"]["username"] == "someone_else"
    assert data["enrollments"] == data["attempts"] == data["certificates"] == []
    assert USERNAME not in json.dumps(data) and NAME not in json.dumps(data)


def test_visitors_are_sent_to_log_in_for_data_and_deletion(client):
    for name in ("data_export", "account_delete"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_profile_links_to_both(holder):
    _, _, _, laptop, _ = holder
    page = laptop.get(reverse("profile")).content.decode()
    assert reverse("data_export") in page and reverse("account_delete") in page


# --- Delete my account ---------------------------------------------------------------


def test_a_wrong_password_deletes_nothing(holder):
    learner, _, certificate, laptop, _ = holder
    page = laptop.get(reverse("account_delete")).content.decode()
    assert "Your certificate is withdrawn" in page
    response = laptop.post(reverse("account_delete"), {"password": "not it"})
    assert response.status_code == 200
    assert "That is not your password." in response.content.decode()
    assert User.objects.filter(pk=learner.pk).exists()
    certificate.refresh_from_db()
    assert not certificate.is_revoked and certificate.learner_name == NAME


def test_deleting_needs_the_csrf_token(holder):
    learner, _, _, _, _ = holder
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(learner)
    assert strict.post(reverse("account_delete"), {"password": PASSWORD}).status_code == 403
    assert User.objects.filter(pk=learner.pk).exists()


def _everything_stored() -> str:
    out = StringIO()
    call_command("dumpdata", stdout=out)  # every table of every installed app
    return out.getvalue()


def test_deleting_my_account_leaves_nothing_of_mine(
    holder, certificate_storage, django_capture_on_commit_callbacks
):
    learner, course, certificate, laptop, phone = holder
    assert USERNAME in _everything_stored() and NAME in _everything_stored()
    pdf_files = list(certificate_storage.rglob("*.pdf"))
    assert pdf_files
    assert UserSession.objects.filter(user=learner).count() == 2  # the laptop and the phone
    with django_capture_on_commit_callbacks(execute=True):  # the PDF goes once it commits
        response = laptop.post(reverse("account_delete"), {"password": PASSWORD})
    assert response.status_code == 200
    assert "Your account is deleted" in response.content.decode()
    # Nothing of theirs in any table, in any field, JSON included.
    stored = _everything_stored()
    for trace in (USERNAME, NAME, EMAIL, "Erasmus", "zoe.quill"):
        assert trace not in stored, trace
    assert not User.objects.filter(pk=learner.pk).exists()
    assert not Attempt.objects.exists()
    # Nor in the PDF store.
    for path in certificate_storage.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert NAME.encode() not in data
            text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
            assert NAME not in text
    assert not any(p.exists() for p in pdf_files)
    # Both devices are logged out.
    for device in (laptop, phone):
        assert device.get(reverse("learning:my_learning")).status_code == 302
    assert UserSession.objects.count() == 0


def test_a_withdrawn_certificate_says_so_without_the_name(holder, client):
    learner, _, certificate, laptop, _ = holder
    laptop.post(reverse("account_delete"), {"password": PASSWORD})
    certificate.refresh_from_db()
    assert certificate.is_revoked and certificate.is_withdrawn and certificate.learner is None
    page = client.get(reverse("certificates:verify", args=[certificate.display_code]))
    html = page.content.decode()
    assert page.status_code == 200
    assert (
        "withdrawn at the holder&#x27;s request" in html
        or "withdrawn at the holder's request" in html
    )
    assert NAME not in html and "Valid" not in html
    # The status list says revoked; the credential itself is gone.
    status = client.get(reverse("credentials:status", args=[certificate.display_code])).json()
    assert status["revoked"] is True
    bits = statuslist.decode_bits(statuslist.status_list_encoded(1))
    assert statuslist.bit_is_set(bits, statuslist.status_position(certificate)[1])
    credential = client.get(reverse("credentials:credential", args=[certificate.display_code]))
    assert credential.status_code == 410
    # The admin keeps one event per certificate and one record of the erasure, no names.
    (event,) = CertificateEvent.objects.filter(certificate=certificate)
    assert event.action == CertificateEvent.Action.WITHDRAWN and not event.actor_label
    erasure = AccountErasure.objects.get()
    assert (erasure.via, erasure.certificates_withdrawn, erasure.attempts_deleted) == ("self", 1, 4)


def test_a_withdrawn_certificate_cannot_be_reinstated(holder):
    _, _, certificate, laptop, _ = holder
    laptop.post(reverse("account_delete"), {"password": PASSWORD})
    certificate.refresh_from_db()
    with pytest.raises(CertificateError, match="withdrawn at the holder's request"):
        certificate_reinstate(certificate=certificate, reason="by mistake")


def test_earlier_revocation_reasons_go_with_the_name(holder, admin_user):
    _, _, certificate, laptop, _ = holder
    certificate_revoke(certificate=certificate, reason=f"{NAME} asked us to", actor=admin_user)
    laptop.post(reverse("account_delete"), {"password": PASSWORD})
    assert NAME not in _everything_stored()


# --- the same as commands ------------------------------------------------------------


def test_export_command_writes_the_same_document(holder, tmp_path):
    _, _, _, laptop, _ = holder
    target = tmp_path / "data.json"
    call_command("export_learner_data", USERNAME, "--output", str(target), stderr=StringIO())
    from_command = json.loads(target.read_text(encoding="utf-8"))
    from_page = json.loads(laptop.get(reverse("data_export")).content)
    for document in (from_command, from_page):
        document.pop("exported_at")
    assert from_command == from_page
    with pytest.raises(CommandError, match="already exists"):
        call_command("export_learner_data", USERNAME, "--output", str(target))


def test_erase_command_needs_an_admin_and_a_yes(holder, admin_user):
    learner, _, certificate, _, _ = holder
    with pytest.raises(CommandError, match="add --yes"):
        call_command("erase_learner", USERNAME, "--by", admin_user.username)
    with pytest.raises(CommandError, match="no admin 'nobody'"):
        call_command("erase_learner", USERNAME, "--by", "nobody", "--yes")
    with pytest.raises(CommandError, match="no user 'ghost'"):
        call_command("erase_learner", "ghost", "--by", admin_user.username, "--yes")
    assert User.objects.filter(pk=learner.pk).exists()
    out = StringIO()
    call_command("erase_learner", USERNAME, "--by", admin_user.username, "--yes", stdout=out)
    assert "1 certificate(s) withdrawn, 4 attempt(s) deleted" in out.getvalue()
    assert not User.objects.filter(pk=learner.pk).exists()
    erasure = AccountErasure.objects.get()
    assert (erasure.via, erasure.by) == ("admin", admin_user.username)
    assert NAME not in _everything_stored() and USERNAME not in _everything_stored()


def test_the_admin_lists_erasures_read_only(holder, admin_client):
    _, _, _, laptop, _ = holder
    laptop.post(reverse("account_delete"), {"password": PASSWORD})
    page = admin_client.get(reverse("admin:accounts_accounterasure_changelist"))
    assert page.status_code == 200 and "The holder, from the profile page" in page.content.decode()
    erasure = AccountErasure.objects.get()
    change = admin_client.get(reverse("admin:accounts_accounterasure_change", args=[erasure.pk]))
    assert change.status_code == 200 and "Save" not in change.content.decode()
    assert admin_client.get(reverse("admin:accounts_accounterasure_add")).status_code == 403


def test_the_certificate_admin_says_withdrawn(holder, admin_client):
    _, _, certificate, laptop, _ = holder
    laptop.post(reverse("account_delete"), {"password": PASSWORD})
    page = admin_client.get(reverse("admin:certificates_certificate_changelist"))
    assert page.status_code == 200
    assert "withdrawn at the holder&#x27;s request" in page.content.decode()
    change = admin_client.get(
        reverse("admin:certificates_certificate_change", args=[certificate.pk])
    )
    assert change.status_code == 200 and NAME not in change.content.decode()


def test_a_pdf_task_or_an_old_copy_of_the_row_never_draws_a_withdrawn_certificate(
    holder, certificate_storage
):
    learner, _, certificate, _, _ = holder
    stale = Certificate.objects.get(pk=certificate.pk)  # read before the erasure, as a task would
    learner_erase(learner=learner, via=AccountErasure.Via.ADMIN, by="admin")
    for path in certificate_storage.rglob("*.pdf"):
        path.unlink()  # as after the erasure's commit
    with pytest.raises(CertificateWithdrawn):
        certificate_pdf(certificate=stale)
    certificate_pdf_draw.call(certificate_id=certificate.pk)
    assert not list(certificate_storage.rglob("*.pdf"))
    certificate.refresh_from_db()
    assert not certificate.pdf


def test_the_admin_log_forgets_what_it_said_about_the_learner(holder, admin_user):
    learner, course, certificate, laptop, _ = holder
    enrollment = Enrollment.objects.get(learner=learner, course=course)
    for objects in ([enrollment], [certificate], [learner]):
        LogEntry.objects.log_actions(
            user_id=admin_user.pk, queryset=objects, action_flag=CHANGE, single_object=True
        )
    assert NAME in _everything_stored()
    laptop.post(reverse("account_delete"), {"password": PASSWORD})
    stored = _everything_stored()
    assert NAME not in stored and USERNAME not in stored
    assert LogEntry.objects.count() == 0


def test_my_data_includes_my_login_records(holder):
    _, _, _, laptop, _ = holder
    data = json.loads(laptop.get(reverse("data_export")).content)
    assert len(data["logins"]) == 2  # two devices logged in
    assert all(row["kind"] == "login" and row["ip_address"] for row in data["logins"])
