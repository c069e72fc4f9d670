"""Certificate PDF: reportlab (what we ship) against WeasyPrint, measured on this machine.

Run by hand: .venv/bin/python bench/pdf_bench.py   (WeasyPrint must be pip-installed for
the comparison; it is not a dependency of the project.)
Prints median first-render time after warm-up for both engines, the stored-download
server time through Django, and RSS before/after 1000 renders.
"""

import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django  # noqa: E402

django.setup()

import logging  # noqa: E402

for noisy in ("weasyprint", "weasyprint.progress", "fontTools"):
    logging.getLogger(noisy).setLevel(logging.WARNING)

from django.conf import settings  # noqa: E402

from certificates.pdf import CertificateContent, render  # noqa: E402


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def content(n: int) -> CertificateContent:
    return CertificateContent(
        learner_name=f"Zoë Łukasiewicz {n}",
        course_title="Handling Customer Conflict",
        completed_on=date(2026, 11, 24),
        reading_hours="2 hours 30 minutes",
        code=f"7K3M-Q9TD-2HXA-{n % 10000:04d}",
        verify_url=f"https://example.org/verify/7K3M-Q9TD-2HXA-{n % 10000:04d}/",
        issuer="Chapterwise",
        revoked=False,
    )


def timed(fn, runs: int) -> list[float]:
    times = []
    for n in range(runs):
        start = time.perf_counter()
        fn(n)
        times.append((time.perf_counter() - start) * 1000)
    return times


def weasyprint_renderer():
    try:
        import segno
        from weasyprint import HTML
        from weasyprint.text.fonts import FontConfiguration
    except ImportError:
        return None
    fonts = FontConfiguration()  # one per process: a new one per render grows memory

    def render_weasy(n: int) -> bytes:
        c = content(n)
        qr = segno.make(c.verify_url, error="m", micro=False).svg_data_uri(scale=4)
        html = f"""<html><head><style>@page {{ size: A4 landscape; margin: 1cm }}
        body {{ font-family: 'DejaVu Sans'; text-align: center }}</style></head><body>
        <p>{c.issuer}</p><h1>Certificate of Completion</h1><p>This certifies that</p>
        <h2>{c.learner_name}</h2><p>completed the course</p><h3>{c.course_title}</h3>
        <p>on {c.completed_on:%-d %B %Y} · {c.reading_hours} of reading</p>
        <img src="{qr}" width="120"><p>{c.code} · {c.verify_url}</p></body></html>"""
        return HTML(string=html).write_pdf(font_config=fonts)

    return render_weasy


def stored_download_ms() -> float:
    from django.core.management import call_command
    from django.test import Client

    from certificates import codes
    from certificates.models import Certificate
    from tests.conftest import make_course, make_user

    call_command("migrate", verbosity=0)
    settings.STORAGES["certificates"]["OPTIONS"]["location"] = tempfile.mkdtemp()
    settings.ALLOWED_HOSTS = ["*"]
    learner = make_user(full_name="Zoë Łukasiewicz")
    certificate = Certificate.objects.create(
        code=codes.new_code(),
        learner=learner,
        course=make_course(),
        learner_name="Zoë",
        course_title="Handling Customer Conflict",
        completed_on=date(2026, 11, 24),
        reading_minutes=150,
    )
    client = Client()
    client.force_login(learner)
    url = f"/certificates/{certificate.display_code}/pdf"
    b"".join(client.get(url).streaming_content)  # first render, stored

    def download(_):
        response = client.get(url)
        b"".join(response.streaming_content)

    timed(download, 20)
    return statistics.median(timed(download, 200))


def main() -> None:
    print(f"Certificate PDF benchmark ({os.cpu_count()} CPUs, Python {sys.version.split()[0]})")
    timed(lambda n: render(content(n)), 20)  # warm-up: fonts registered, code paths hot
    reportlab_ms = statistics.median(timed(lambda n: render(content(n)), 200))
    print(f"  reportlab  first render, median of 200: {reportlab_ms:7.2f} ms  (goal <= 50 ms)")
    print(f"  reportlab  PDF size: {len(render(content(1))) / 1024:.1f} KiB")

    weasy = weasyprint_renderer()
    if weasy is None:
        print("  weasyprint not installed: pip install weasyprint to compare")
    else:
        timed(weasy, 5)
        weasy_ms = statistics.median(timed(weasy, 30))
        print(f"  weasyprint first render, median of 30:  {weasy_ms:7.2f} ms")
        print(f"  weasyprint PDF size: {len(weasy(1)) / 1024:.1f} KiB")

    print(
        f"  stored download (Django client, session + query + file), median: "
        f"{stored_download_ms():.2f} ms  (goal <= 2 ms)"
    )

    before = rss_mb()
    for n in range(1000):
        render(content(n))
    after = rss_mb()
    print(f"  reportlab  RSS before/after 1000 renders: {before:.1f} / {after:.1f} MiB")
    if weasy is not None:
        before = rss_mb()
        for n in range(200):
            weasy(n)
        print(f"  weasyprint RSS before/after 200 renders:  {before:.1f} / {rss_mb():.1f} MiB")


if __name__ == "__main__":
    main()
