"""Certificates: any accepted name fits the page, odd names are refused, file names are safe,
and a full disk never leaves half a PDF (issue 9, items 10, 15 and 16)."""

import contextlib
import resource
import signal
import unicodedata
from collections import Counter

import pypdfium2
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.urls import reverse

from accounts.forms import FullNameForm, SignupForm
from certificates import pdf
from tests import hostile
from tests.conftest import make_user
from tests.test_certificates import _site, download, make_certificate  # noqa: F401

pytestmark = pytest.mark.django_db

FRAME = 36 + 8  # the inner border of the page


def _char_boxes(data: bytes):
    page = pypdfium2.PdfDocument(data)[0]
    text = page.get_textpage()
    width, height = page.get_size()
    chars = [text.get_text_range(i, 1) for i in range(text.count_chars())]
    boxes = [text.get_charbox(i) for i in range(text.count_chars())]
    return width, height, chars, boxes


def _text(data: bytes) -> str:
    _, _, chars, _ = _char_boxes(data)
    return "".join(chars)


@pytest.mark.parametrize("name", hostile.names("accepted"), ids=lambda n: n[:16])
def test_every_accepted_name_fits_inside_the_frame(client, name):
    title = "A Course Title Long Enough To Need Two Lines " * 5
    certificate = make_certificate(name=name, title=title[:200])
    client.force_login(certificate.learner)
    _, data = download(client, certificate)
    width, height, chars, boxes = _char_boxes(data)
    assert (round(width), round(height)) == (842, 595)
    for char, (left, bottom, right, top) in zip(chars, boxes, strict=True):
        if char.strip():
            assert FRAME <= left and right <= width - FRAME, (char, left, right)
            assert FRAME <= bottom and top <= height - FRAME, (char, bottom, top)
    printed = "".join(c for c in chars if not c.isspace())
    if name.isascii() or not any(unicodedata.bidirectional(c) in ("R", "AL") for c in name):
        assert "".join(name.split()) in printed
    else:  # right-to-left order and shaping are issue 15's; here every letter must be there
        assert not Counter(name.replace(" ", "")) - Counter(printed)


def test_a_name_of_200_wide_letters_wraps_onto_at_most_three_lines(client):
    name = hostile.names("accepted")[0]
    assert len(name) == 200
    regular, bold = pdf._fonts()
    size, lines = pdf._layout(
        name, bold, pdf.PAGE_WIDTH - 2 * 36 - 80, size=30, one_line_down_to=20, max_lines=3
    )
    assert 2 <= len(lines) <= 3 and size >= 9
    assert "".join(lines) == name


@pytest.mark.parametrize("name", hostile.names("refused"), ids=lambda n: repr(n)[:16])
def test_control_and_bidi_characters_are_refused_with_a_clear_error(name):
    form = FullNameForm(data={"full_name": name}, instance=make_user())
    assert not form.is_valid()
    # NUL is refused by Django's own CharField first ("Null characters are not allowed.");
    # a name of invisible characters only (zero-width spaces, tags) prints as nothing.
    message = form.errors["full_name"][0]
    assert (
        "control characters" in message
        or "Null characters are not allowed" in message
        or message == "A name needs at least one visible letter."
    )
    signup = SignupForm(
        data={
            "username": "mallory",
            "full_name": name,
            "password1": "correct horse battery staple",
            "password2": "correct horse battery staple",
        }
    )
    assert not signup.is_valid() and "full_name" in signup.errors


def test_the_profile_page_shows_the_error_and_keeps_the_old_name(client):
    learner = make_user(full_name="Ada Lovelace")
    client.force_login(learner)
    response = client.post(reverse("profile"), {"full_name": "Ada\u202eecalevoL"})
    assert response.status_code == 200
    assert "U+202E" in response.content.decode()
    learner.refresh_from_db()
    assert learner.full_name == "Ada Lovelace"


@pytest.mark.parametrize("name", hostile.names("accepted"), ids=lambda n: n[:16])
def test_the_download_name_never_carries_separators_quotes_or_controls(client, name):
    certificate = make_certificate(name=name, title='Fun/Serious "Course" \\ <i>')
    client.force_login(certificate.learner)
    response, _ = download(client, certificate)
    header = response["Content-Disposition"]
    filename = header.split("filename", 1)[1].lstrip("*=").removeprefix("utf-8''")
    filename = filename.strip('"')
    for bad in ["/", "\\", '"', "'", "<", ">", "%2F", "%5C", "%22", "%27"]:
        assert bad not in filename, (bad, header)
    assert not any(ord(char) < 32 for char in filename)
    assert filename.endswith("certificate.pdf")


@contextlib.contextmanager
def _disk_full_after(size: int):
    """The kernel refuses writes past ``size`` bytes into any file, as a full disk would."""
    previous_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous_handler)


def _stored_files(folder):
    return sorted(p.name for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_a_failed_write_leaves_no_partial_file(certificate_storage):
    storage = storages["certificates"]
    with _disk_full_after(4096), pytest.raises(OSError):
        storage.save("big.pdf", ContentFile(b"%PDF" + b"x" * 100_000))
    assert _stored_files(certificate_storage) == []


def test_a_full_disk_gives_a_try_again_page_and_nothing_partial_is_served(
    client, certificate_storage
):
    certificate = make_certificate()
    client.force_login(certificate.learner)
    url = reverse("certificates:pdf", args=[certificate.display_code])
    with _disk_full_after(4096):
        response = client.get(url)
    assert response.status_code == 503
    html = response.content.decode()
    assert "could not be prepared just now" in html and "try again" in html
    assert _stored_files(certificate_storage) == []
    certificate.refresh_from_db()
    assert not certificate.pdf

    _, data = download(client, certificate)  # space again: a whole PDF
    assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")
    assert len(_stored_files(certificate_storage)) == 1
