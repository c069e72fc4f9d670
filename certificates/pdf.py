"""Drawing a certificate as a one-page A4 landscape PDF with reportlab.

reportlab was measured against WeasyPrint (docs/decisions/0001-pdf-engine.md): it draws
the page directly, so a render costs a few milliseconds and no layout engine stays in
memory. Text is real text in DejaVu Sans (any Unicode name), and the QR code is drawn
as vector squares from segno's matrix, so it stays sharp at any zoom.

The page is printed in the certificate's own language (chosen at issue, kept for every
reprint). Arabic and Hebrew text is shaped (arabic-reshaper: joined letter forms) and put in
drawing order (python-bidi's Unicode bidirectional algorithm) before reportlab draws it, and
measured in that form, since joined forms have widths of their own.
"""

import hashlib
import io
import re
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from pathlib import Path

import arabic_reshaper
import segno
from bidi.algorithm import get_display  # the pure-Python one: it mirrors brackets
from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
INK = HexColor("#1f2937")
ACCENT = HexColor("#0d6efd")
MUTED = HexColor("#6b7280")


@dataclass(frozen=True)
class CertificateContent:
    """Everything the page prints; its fingerprint decides when to render again."""

    learner_name: str
    course_title: str
    completed_on: date
    reading_hours: str
    code: str
    verify_url: str
    issuer: str
    revoked: bool
    exam_score: int | None = None
    language: str = "en"

    def fingerprint(self) -> str:
        """The content and the layout: a change to either draws the PDF again."""
        return hashlib.sha256(f"{self!r}|{layout_version(self.language)}".encode()).hexdigest()


@cache
def layout_version(language: str) -> str:
    """A digest of what draws the page: this module and the language's catalogue (the page's
    words). A deploy that changes either redraws stored PDFs when they are next asked for."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    locale = translation.to_locale(language)
    catalogue = Path(settings.BASE_DIR) / "locale" / locale / "LC_MESSAGES" / "django.mo"
    if catalogue.exists():
        digest.update(catalogue.read_bytes())
    return digest.hexdigest()[:16]


# DejaVu has no glyph for the ligature of "Allah" (U+FDF2): keep its letters apart.
_RESHAPER = arabic_reshaper.ArabicReshaper(
    configuration={"ARABIC LIGATURE ALLAH": False, "delete_harakat": False}
)
_RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def visual(text: str) -> str:
    """Text as reportlab must draw it, left to right: Arabic letters in their joined forms,
    right-to-left runs reversed. Text without either script comes back as it is."""
    if not _RIGHT_TO_LEFT.search(text):
        return text
    return _shaped(text)


@lru_cache(maxsize=256)  # the wrap measures each candidate line many times; bounded
def _shaped(text: str) -> str:
    return get_display(_RESHAPER.reshape(text))


def _width(text: str, font: str, size: float) -> float:
    return pdfmetrics.stringWidth(visual(text), font, size)


@cache
def _fonts() -> tuple[str, str]:
    """Register DejaVu once per process: loading a TrueType font is the slow part."""
    folder = Path(settings.CERTIFICATE_FONT_DIR)
    pdfmetrics.registerFont(TTFont("CertSans", folder / "DejaVuSans.ttf"))
    pdfmetrics.registerFont(TTFont("CertSans-Bold", folder / "DejaVuSans-Bold.ttf"))
    return "CertSans", "CertSans-Bold"


@cache
def _fallback_font() -> str | None:
    """A font for names DejaVu cannot draw (Chinese, Japanese, Korean), loaded on first need."""
    path = Path(settings.CERTIFICATE_FALLBACK_FONT)
    if not path.exists():
        return None
    subfont = {"subfontIndex": 0} if path.suffix == ".ttc" else {}
    pdfmetrics.registerFont(TTFont("CertFallback", path, **subfont))
    return "CertFallback"


def _covers(font: str, text: str) -> bool:
    glyphs = pdfmetrics.getFont(font).face.charToGlyph
    return all(ord(char) in glyphs or char.isspace() for char in visual(text))


def _font_for(text: str, preferred: str) -> str:
    if _covers(preferred, text):
        return preferred
    fallback = _fallback_font()
    return fallback if fallback and _covers(fallback, text) else preferred


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy word wrap; a word wider than the line is broken between characters."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if _width(candidate, font, size) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        while _width(word, font, size) > width and len(word) > 1:
            cut = len(word) - 1
            while cut > 1 and _width(word[:cut], font, size) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines


def _sizes(start: float, stop: float) -> list[float]:
    sizes, size = [], start
    while size >= stop:
        sizes.append(size)
        size -= 1 if size > 10 else 0.5
    return sizes


def _layout(
    text: str, font: str, width: float, *, size: float, one_line_down_to: float, max_lines: int
) -> tuple[float, list[str]]:
    """Size and lines for ``text`` in a block ``width`` wide: one line while it can stay at
    ``one_line_down_to`` or larger, then up to ``max_lines`` lines, smaller as needed. Any
    name the profile form accepts (200 characters) fits the page."""
    for candidate in _sizes(size, one_line_down_to):
        if _width(text, font, candidate) <= width:
            return candidate, [text]
    for candidate in _sizes(one_line_down_to, 3):
        lines = _wrap(text, font, candidate, width)
        if len(lines) <= max_lines:
            return candidate, lines
    return 3, _wrap(text, font, 3, width)[:max_lines]


def _draw_block(canvas: Canvas, font: str, size: float, lines: list[str], top: float) -> float:
    """Draw centred lines from baseline ``top`` down; how far below one line the block ends."""
    leading = size * 1.2
    canvas.setFont(font, size)
    for index, line in enumerate(lines):
        canvas.drawCentredString(PAGE_WIDTH / 2, top - index * leading, visual(line))
    return (len(lines) - 1) * leading


def _qr(canvas: Canvas, url: str, x: float, y: float, side: float) -> None:
    # A full QR code (never Micro QR) with error correction M, as scanners expect.
    qr = segno.make(url, error="m", micro=False, boost_error=False)
    matrix = qr.matrix
    border = 4
    modules = len(matrix) + 2 * border
    cell = side / modules
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x, y, side, side, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    path = canvas.beginPath()
    for row_index, row in enumerate(matrix):
        top = y + side - (row_index + border + 1) * cell
        for col_index, dark in enumerate(row):
            if dark:
                path.rect(x + (col_index + border) * cell, top, cell, cell)
    canvas.drawPath(path, stroke=0, fill=1)


def render(content: CertificateContent) -> bytes:
    with translation.override(content.language):
        return _render(content)


def _render(content: CertificateContent) -> bytes:
    regular, bold = _fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), pageCompression=1)
    canvas.setTitle(
        gettext("Certificate: %(course)s — %(name)s")
        % {"course": content.course_title, "name": content.learner_name}
    )
    canvas.setAuthor(content.issuer)
    canvas.setSubject(gettext("Certificate %(code)s") % {"code": content.code})

    margin = 36
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(3)
    canvas.rect(margin, margin, PAGE_WIDTH - 2 * margin, PAGE_HEIGHT - 2 * margin)
    canvas.setLineWidth(0.75)
    canvas.rect(margin + 8, margin + 8, PAGE_WIDTH - 2 * margin - 16, PAGE_HEIGHT - 2 * margin - 16)

    centre = PAGE_WIDTH / 2
    usable = PAGE_WIDTH - 2 * margin - 80
    canvas.setFillColor(ACCENT)
    canvas.setFont(bold, 14)
    canvas.drawCentredString(centre, PAGE_HEIGHT - 100, content.issuer.upper())
    canvas.setFillColor(INK)
    canvas.setFont(bold, 34)
    canvas.drawCentredString(centre, PAGE_HEIGHT - 150, gettext("Certificate of Completion"))
    canvas.setFont(regular, 14)
    canvas.drawCentredString(centre, PAGE_HEIGHT - 195, gettext("This certifies that"))

    # A long name wraps onto up to three lines and a long title onto two; what follows
    # moves down by the extra lines.
    name_font = _font_for(content.learner_name, bold)
    size, lines = _layout(
        content.learner_name, name_font, usable, size=30, one_line_down_to=20, max_lines=3
    )
    shift = _draw_block(canvas, name_font, size, lines, PAGE_HEIGHT - 240)
    canvas.setFont(regular, 14)
    canvas.drawCentredString(centre, PAGE_HEIGHT - 275 - shift, gettext("completed the course"))
    title_font = _font_for(content.course_title, bold)
    size, lines = _layout(
        content.course_title, title_font, usable, size=22, one_line_down_to=14, max_lines=2
    )
    shift += _draw_block(canvas, title_font, size, lines, PAGE_HEIGHT - 310 - shift)
    canvas.setFont(regular, 13)
    facts = gettext("on %(date)s · %(hours)s of reading") % {
        "date": formats.date_format(content.completed_on, "DATE_FORMAT"),
        "hours": content.reading_hours,
    }
    if content.exam_score is not None:
        facts += " · " + gettext("final exam %(score)s%%") % {"score": content.exam_score}
    canvas.drawCentredString(centre, PAGE_HEIGHT - 340 - shift, facts)
    if content.revoked:
        canvas.setFillColor(HexColor("#b91c1c"))
        canvas.setFont(bold, 16)
        canvas.drawCentredString(
            centre,
            PAGE_HEIGHT - 370 - shift,
            gettext("REVOKED: this certificate is no longer valid"),
        )

    qr_side = 118
    qr_x, qr_y = PAGE_WIDTH - margin - 24 - qr_side, margin + 24
    _qr(canvas, content.verify_url, qr_x, qr_y, qr_side)
    left = margin + 32
    canvas.setFillColor(MUTED)
    canvas.setFont(regular, 10)
    canvas.drawString(
        left, margin + 84, gettext("Certificate id: %(code)s") % {"code": content.code}
    )
    canvas.drawString(left, margin + 68, gettext("Verify at:"))
    canvas.setFillColor(ACCENT)
    canvas.drawString(left, margin + 52, content.verify_url)
    canvas.linkURL(
        content.verify_url,
        (
            left,
            margin + 48,
            left + pdfmetrics.stringWidth(content.verify_url, regular, 10),
            margin + 62,
        ),
    )
    canvas.setFillColor(MUTED)
    canvas.drawString(
        left, margin + 36, gettext("Issued by %(issuer)s") % {"issuer": content.issuer}
    )

    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
