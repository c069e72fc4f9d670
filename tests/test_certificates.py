"""Certificates: issued once on completion, private PDF, public verify page, revocation."""

import io
from datetime import date
from io import StringIO
from pathlib import Path

import pypdfium2
import pytest
import zxingcpp
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.timezone import now
from pypdf import PdfReader

from certificates import codes
from certificates.models import Certificate, CertificateEvent
from certificates.pdf import layout_version
from certificates.services import certificate_revoke
from core.text import reading_time
from learning.models import Enrollment
from learning.services import enrollment_certificate
from tests.conftest import make_course, make_question, make_user
from tests.exercise_form import form_choice

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://example.org"
    settings.CERTIFICATE_ISSUER_NAME = "Chapterwise Academy"


def make_certificate(*, learner=None, name="Zoë Łukasiewicz", title="Handling Customer Conflict"):
    learner = learner or make_user(full_name=name)
    course = make_course(title=title, chapters=2, words=6000)  # 30 minutes per chapter
    return Certificate.objects.create(
        code=codes.new_code(),
        learner=learner,
        course=course,
        learner_name=name,
        course_title=title,
        completed_on=date(2026, 11, 24),
        reading_minutes=150,
    )


def download(client, certificate):
    response = client.get(reverse("certificates:pdf", args=[certificate.display_code]))
    assert response.status_code == 200, response.status_code
    return response, b"".join(response.streaming_content)


def qr_codes(pdf_bytes):
    page = pypdfium2.PdfDocument(pdf_bytes)[0]
    image = page.render(scale=3).to_pil()
    return zxingcpp.read_barcodes(image)


# --- issuing -------------------------------------------------------------------------


def complete_through_the_site(client, learner, course):
    client.force_login(learner)
    for chapter in course.chapters.order_by("position"):
        question = chapter.questions.get()
        client.get(chapter.get_absolute_url())
        client.post(
            reverse("learning:chapter_done", args=[course.slug, chapter.slug]), {"beacon": "1"}
        )
        client.post(
            reverse("learning:answer", args=[course.slug, chapter.slug]),
            {"question": question.pk, "choice": form_choice(question, "Active listening", learner)},
        )


def test_completing_a_course_issues_one_certificate_listed_for_the_learner(client):
    course = make_course(chapters=2, title="Calm Calls")
    for chapter in course.chapters.all():
        make_question(chapter=chapter)
    learner = make_user(full_name="Grace Hopper")
    complete_through_the_site(client, learner, course)

    certificate = Certificate.objects.get()
    assert (certificate.learner, certificate.course_title) == (learner, "Calm Calls")
    assert certificate.learner_name == "Grace Hopper"
    page = client.get(reverse("certificates:list")).content.decode()
    assert "Calm Calls" in page and "Download PDF" in page

    enrollment = Enrollment.objects.get()
    assert enrollment_certificate(enrollment=enrollment) == certificate
    assert Certificate.objects.count() == 1


def test_certificate_waits_for_a_name_and_is_issued_when_the_learner_saves_one(client):
    course = make_course(chapters=1)
    make_question(chapter=course.chapters.get())
    learner = make_user(full_name="")
    complete_through_the_site(client, learner, course)
    assert not Certificate.objects.exists()
    assert "add your name" in client.get(course.get_absolute_url()).content.decode().lower()

    response = client.post(reverse("profile"), {"full_name": "Zoë Łukasiewicz"}, follow=True)
    assert "your certificate is ready" in response.content.decode()
    assert Certificate.objects.get().learner_name == "Zoë Łukasiewicz"


def test_ids_are_80_random_bits_in_readable_groups():
    code = codes.new_code()
    assert len(code) == 16 and set(code) <= set(codes.ALPHABET)
    assert len(codes.ALPHABET) ** 16 == 2**80
    assert codes.display(code).count("-") == 3
    assert codes.normalise(codes.display(code).lower()) == code
    assert codes.normalise("IL0O-" + code[4:]) == "1100" + code[4:]  # Crockford's readings
    assert codes.normalise("not a code") is None
    assert len({codes.new_code() for _ in range(1000)}) == 1000


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (1, "1 minute"),
        (45, "45 minutes"),
        (60, "1 hour"),
        (150, "2 hours 30 minutes"),
        (125, "2 hours 5 minutes"),
    ],
)
def test_reading_time_on_the_certificate(minutes, text):
    assert reading_time(minutes) == text


# --- the PDF -------------------------------------------------------------------------


def test_pdf_is_one_a4_landscape_page_with_real_text(client):
    certificate = make_certificate()
    client.force_login(certificate.learner)
    response, data = download(client, certificate)

    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "Handling%20Customer%20Conflict" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)
    text = reader.pages[0].extract_text()
    for expected in (
        "Zoë Łukasiewicz",
        "Handling Customer Conflict",
        certificate.display_code,
        "Chapterwise Academy",
        "24 November 2026",
        "2 hours 30 minutes",
        f"https://example.org/verify/{certificate.display_code}/",
    ):
        assert expected in text, expected


@pytest.mark.parametrize("name", ["王小明", "Αλέξανδρος Παπαδόπουλος", "Мария Иванова"])
def test_names_in_other_scripts_are_real_text_in_the_pdf(client, name):
    certificate = make_certificate(name=name)
    client.force_login(certificate.learner)
    _, data = download(client, certificate)
    assert name in PdfReader(io.BytesIO(data)).pages[0].extract_text()


def test_pdf_qr_code_is_a_full_qr_that_opens_the_public_verify_url(client):
    certificate = make_certificate()
    client.force_login(certificate.learner)
    _, data = download(client, certificate)
    found = qr_codes(data)
    assert len(found) == 1
    assert found[0].format == zxingcpp.BarcodeFormat.QRCode
    assert found[0].text == f"https://example.org/verify/{certificate.display_code}/"
    assert found[0].ec_level == "M"


def test_pdf_is_rendered_once_and_served_from_storage(client):
    certificate = make_certificate()
    client.force_login(certificate.learner)
    _, first = download(client, certificate)
    certificate.refresh_from_db()
    stored_name = certificate.pdf.name
    mtime = certificate.pdf.storage.get_modified_time(stored_name)

    _, second = download(client, certificate)
    certificate.refresh_from_db()
    assert certificate.pdf.name == stored_name
    assert certificate.pdf.storage.get_modified_time(stored_name) == mtime
    assert second == first


def test_pdf_is_rendered_again_when_the_certificate_changes(client):
    certificate = make_certificate()
    client.force_login(certificate.learner)
    download(client, certificate)
    certificate.refresh_from_db()
    old_name = certificate.pdf.name

    certificate_revoke(certificate=certificate, reason="Exam rules broken")
    _, data = download(client, certificate)
    certificate.refresh_from_db()
    assert certificate.pdf.name != old_name
    assert not certificate.pdf.storage.exists(old_name)
    assert "REVOKED" in PdfReader(io.BytesIO(data)).pages[0].extract_text()


def test_only_the_owner_downloads_the_pdf(client):
    certificate = make_certificate()
    url = reverse("certificates:pdf", args=[certificate.display_code])
    response = client.get(url)
    assert response.status_code == 302 and reverse("login") in response["Location"]
    client.force_login(make_user())
    assert client.get(url).status_code == 404
    assert (
        client.get(reverse("certificates:detail", args=[certificate.display_code])).status_code
        == 404
    )


# --- the owner's page ----------------------------------------------------------------


def test_certificate_page_has_download_and_share_links(client):
    certificate = make_certificate()
    client.force_login(certificate.learner)
    page = client.get(certificate.get_absolute_url()).content.decode()
    assert "Download PDF" in page
    assert reverse("certificates:pdf", args=[certificate.display_code]) in page
    assert 'value="https://example.org/verify/' in page and "Copy link" in page
    assert "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME" in page
    assert "certId=" + certificate.display_code in page
    assert "Zoë Łukasiewicz" in page


# --- public verification ------------------------------------------------------------


def test_verify_page_is_public_and_says_valid_with_name_course_and_date(client):
    certificate = make_certificate()
    certificate.learner.email = "zoe@example.org"
    certificate.learner.save()
    response = client.get(reverse("certificates:verify", args=[certificate.display_code]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Valid" in page
    assert "Zoë Łukasiewicz" in page and "Handling Customer Conflict" in page
    assert "24 November 2026" in page
    assert "zoe@example.org" not in page
    assert certificate.learner.username not in page


def test_verify_page_says_revoked_with_date_and_reason(client):
    certificate = make_certificate()
    certificate_revoke(certificate=certificate, reason="Issued by mistake")
    page = client.get(reverse("certificates:verify", args=[certificate.display_code]))
    text = page.content.decode()
    assert "Revoked" in text and "Issued by mistake" in text
    assert "genuine and valid" not in text


def test_unknown_and_altered_ids_get_a_helpful_404(client):
    certificate = make_certificate()
    code = certificate.display_code
    altered = ("Z" if code[0] != "Z" else "Y") + code[1:]
    for candidate in (altered, "0000-0000-0000-0000", "hello"):
        response = client.get(reverse("certificates:verify", args=[candidate]))
        assert response.status_code == 404
        assert "16 letters and digits" in response.content.decode()
        assert "Zoë" not in response.content.decode()


def test_id_typed_in_lower_case_without_dashes_redirects_to_the_canonical_page(client):
    certificate = make_certificate()
    response = client.get(reverse("certificates:verify", args=[certificate.code.lower()]))
    assert response.status_code == 302
    assert response["Location"] == reverse("certificates:verify", args=[certificate.display_code])


# --- revocation ----------------------------------------------------------------------


def test_admin_revokes_with_a_reason_and_reinstates(admin_client, admin_user):
    certificate = make_certificate()
    changelist = reverse("admin:certificates_certificate_changelist")
    ask = admin_client.post(changelist, {"action": "revoke", "_selected_action": [certificate.pk]})
    assert ask.status_code == 200 and "Reason" in ask.content.decode()
    certificate.refresh_from_db()
    assert not certificate.is_revoked

    admin_client.post(
        changelist,
        {"action": "revoke", "_selected_action": [certificate.pk], "reason": "Plagiarism"},
    )
    certificate.refresh_from_db()
    assert certificate.is_revoked
    assert (certificate.revocation_reason, certificate.revoked_by) == ("Plagiarism", admin_user)

    admin_client.post(changelist, {"action": "reinstate", "_selected_action": [certificate.pk]})
    certificate.refresh_from_db()
    assert not certificate.is_revoked
    events = list(certificate.events.values_list("action", "reason", "actor_label"))
    assert events == [
        (CertificateEvent.Action.REVOKED, "Plagiarism", admin_user.username),
        (CertificateEvent.Action.REINSTATED, "", admin_user.username),
    ]
    assert admin_client.get(changelist).status_code == 200
    detail = reverse("admin:certificates_certificate_change", args=[certificate.pk])
    assert "Plagiarism" in admin_client.get(detail).content.decode()


def test_command_revokes_and_undo_reinstates():
    certificate = make_certificate()
    out = StringIO()
    call_command(
        "revoke_certificate", certificate.code.lower(), "--reason", "Duplicate account", stdout=out
    )
    assert f"Revoked {certificate.display_code}" in out.getvalue()
    certificate.refresh_from_db()
    assert certificate.revocation_reason == "Duplicate account"
    event = certificate.events.get()
    assert event.actor_label == "command line" and event.at is not None

    call_command("revoke_certificate", certificate.display_code, "--undo", stdout=StringIO())
    certificate.refresh_from_db()
    assert not certificate.is_revoked
    assert certificate.events.count() == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["0000-0000-0000-0000", "--reason", "x"], "No certificate has the id"),
        (["{code}"], "needs a reason"),
        (["{code}", "--undo"], "is not revoked"),
    ],
)
def test_command_errors_are_one_line(args, message):
    certificate = make_certificate()
    args = [a.format(code=certificate.display_code) for a in args]
    with pytest.raises(CommandError, match=message):
        call_command("revoke_certificate", *args)


def test_revoking_twice_is_refused():
    certificate = make_certificate()
    certificate_revoke(certificate=certificate, reason="First")
    with pytest.raises(CommandError, match="already revoked"):
        call_command("revoke_certificate", certificate.display_code, "--reason", "Again")


@pytest.mark.parametrize(
    ("port", "expected"), [("9000", "http://127.0.0.1:9000"), ("", "http://127.0.0.1:8000")]
)
def test_the_local_site_url_follows_the_port_it_is_served_on(port, expected):
    # `PORT=9000 make run`: QR codes, share links and credentials must point at port 9000
    # (issue 25), so the default SITE_URL is read from PORT when SITE_URL is not set.
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "PORT")}
    env.update(PORT=port, DJANGO_SETTINGS_MODULE="config.settings")
    out = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.SITE_URL)"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert out.stdout.strip() == expected


def test_pdf_is_drawn_again_when_its_catalogue_changes(client, settings, tmp_path):
    """A deploy that changes the page's words in the certificate's language (its catalogue)
    redraws stored PDFs when they are next asked for."""
    certificate = make_certificate()
    certificate.language = "fr"
    certificate.save(update_fields=["language"])
    client.force_login(certificate.learner)
    download(client, certificate)
    certificate.refresh_from_db()
    old_name = certificate.pdf.name

    catalogue = tmp_path / "locale" / "fr" / "LC_MESSAGES" / "django.mo"
    catalogue.parent.mkdir(parents=True)
    catalogue.write_bytes(
        (Path(settings.BASE_DIR) / "locale/fr/LC_MESSAGES/django.mo").read_bytes() + b"\0"
    )
    settings.BASE_DIR = tmp_path  # the new deploy's files
    layout_version.cache_clear()
    try:
        download(client, certificate)
    finally:
        layout_version.cache_clear()
    certificate.refresh_from_db()
    assert certificate.pdf.name != old_name


def test_the_holder_is_told_of_a_revocation_by_email_and_on_my_learning(
    client, django_capture_on_commit_callbacks
):
    from django.core import mail

    certificate = make_certificate()
    learner = certificate.learner
    learner.email = "zoe@example.org"
    learner.save()
    Enrollment.objects.create(learner=learner, course=certificate.course, completed_at=now())
    with django_capture_on_commit_callbacks(execute=True):
        certificate_revoke(certificate=certificate, reason="Exam rules broken")
    (message,) = mail.outbox
    assert message.to == ["zoe@example.org"] and "revoked" in message.subject
    assert "Exam rules broken" in message.body and certificate.get_absolute_url() in message.body

    client.force_login(learner)
    html = client.get(reverse("learning:my_learning")).content.decode()
    assert "Your certificate was revoked on" in html and "View certificate" not in html
