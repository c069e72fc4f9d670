"""Chapterwise speed on this machine, as ratios, in one run (`make bench`).

1. Chapter page and answer submission under gunicorn at 8 connections (wrk), against a bare
   Django view served the same way: the framework's own ceiling here. In rounds (BENCH_ROUNDS,
   5), the bare view then the site in each; the figure is the median of the rounds' ratios.
2. SQL queries per page for a 10- and a 400-chapter course, cache emptied (must be equal).
3. Import of a generated 1,000-chapter course and a 10,000-question GIFT file.
4. Certificate PDF render median and stored download time.
5. RSS of a gunicorn worker before and after 1,000 certificate renders.

Not part of the test suite; figures go to bench/RESULTS.md by hand.
"""

import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from inprocess import django_setup  # bench/, the script's own folder

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
WORK = Path(tempfile.mkdtemp(prefix="chapterwise-bench-"))
CONNECTIONS = 8
DURATION = os.environ.get("BENCH_SECONDS", "10")
WORKERS = os.environ.get("BENCH_WORKERS", "2")  # issue 14: 2 sync workers on 2 cores
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))

SERVER_ENV = {
    **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))},
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DJANGO_SECURE_SSL_REDIRECT": "0",
    "DJANGO_CACHE_DIR": str(WORK / "cache"),
    "DATABASE_URL": f"sqlite:///{WORK / 'site.sqlite3'}",
    "CERTIFICATE_STORAGE_ROOT": str(WORK / "certificates"),
    "RATE_LIMIT_ANSWERS": "100000000",
    "SITE_URL": "http://127.0.0.1:8101",
    "GUNICORN_LOG_LEVEL": "warning",
    "DRAIN_SECONDS": "0",
}

SETUP_SCRIPT = r"""
import django, os, sys, json
django.setup()
from datetime import date
from accounts.sessions import SessionStore  # the site's engine (settings.SESSION_ENGINE)
from django.contrib.auth import SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY
from courses.models import Course, Chapter
from learning.models import Enrollment
from certificates.models import Certificate
from certificates import codes
from quizzes.models import Question, Choice
from accounts.models import User

words = " ".join(["customer"] * 900)
course = Course.objects.create(title="Bench Course", slug="bench")
for n in range(1, 11):
    chapter = Chapter.objects.create(course=course, position=n, title=f"Chapter {n}",
        slug=f"chapter-{n}", body_markdown=f"## Section\n\n{words}\n")
    q = Question.objects.create(course=course, chapter=chapter, qtype="single",
        stem_markdown="Which technique involves fully concentrating on the customer?")
    for p, (text, fraction) in enumerate([("Active listening", 1), ("Set boundaries", 0),
            ("Use technology", 0), ("Empowerment", 0)], start=1):
        Choice.objects.create(question=q, position=p, text=text, fraction=fraction)
learner = User.objects.create_user("bench", password="x", full_name="Zoë Łukasiewicz")
session = SessionStore()
session[SESSION_KEY] = str(learner.pk)
session[BACKEND_SESSION_KEY] = "accounts.backends.CachedModelBackend"
session[HASH_SESSION_KEY] = learner.get_session_auth_hash()
session.create()
# 1,000 certificates, one per (tiny) course, for the memory measurement.
courses = Course.objects.bulk_create(
    [Course(title=f"Memory course {n}", slug=f"memory-{n}") for n in range(1000)])
Certificate.objects.bulk_create([Certificate(code=codes.new_code(), learner=learner, course=c,
    learner_name=learner.full_name, course_title=c.title, completed_on=date(2026, 11, 24),
    reading_minutes=45) for c in courses])
question = Question.objects.filter(chapter__position=1).first()
from quizzes.keys import form_key, learner_seed
# What the learner's page names the wrong choice (per-learner form keys, quizzes.keys).
wrong = form_key(seed=learner_seed(learner), question_id=question.pk, role="choice",
    value=question.choices.get(text="Set boundaries").key)
print(json.dumps({"session": session.session_key, "question": question.pk, "wrong": wrong,
    "codes": [c.display_code for c in Certificate.objects.order_by("pk")]}))
"""


def manage(*args: str, env: dict) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


def start_gunicorn(app: str, port: int, env: dict, workers: str = WORKERS) -> subprocess.Popen:
    process = subprocess.Popen(
        [GUNICORN, app, "-b", f"127.0.0.1:{port}", "-w", workers, "--log-level", "warning"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        # The request log stays on (it is part of a request's cost) but goes to a file.
        stdout=(log := (WORK / f"gunicorn-{port}.log").open("ab")),
        stderr=log,
    )
    log.close()  # the server holds its own copy
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1).read()
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    sys.exit(f"gunicorn {app} did not start on port {port}:\n{log_tail(port)}")


def log_tail(port: int) -> str:
    return "\n".join((WORK / f"gunicorn-{port}.log").read_text().splitlines()[-20:])


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=20)


def wrk(url: str, *, script: Path | None = None, headers: tuple[str, ...] = ()) -> dict:
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}s", "--latency"]
    for header in headers:
        command += ["-H", header]
    if script:
        command += ["-s", str(script)]
    output = subprocess.run([*command, url], capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])
    p50 = re.search(r"50%\s+([\d.]+)(\w+)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: (.*)", output)
    return {
        "rps": rps,
        "p50": f"{p50[1]}{p50[2]}" if p50 else "?",
        "bad": int(non_2xx[1]) if non_2xx else 0,
        "errors": errors[1] if errors else "",
    }


def worker_rss_mb(master: int) -> float:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    total = 0
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


def serving() -> Iterator[str]:
    env = dict(SERVER_ENV)
    manage("migrate", "--noinput", env=env)
    manage("collectstatic", "--noinput", "--verbosity", "0", env=env)
    setup = subprocess.run(
        [PYTHON, "-c", SETUP_SCRIPT],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
    )
    if setup.returncode:
        sys.exit(setup.stderr)
    import json

    data = json.loads(setup.stdout.strip().splitlines()[-1])
    cookie = f"sessionid={data['session']}; csrftoken={'b' * 32}"
    script = WORK / "answer.lua"
    body = f"csrfmiddlewaretoken={'b' * 32}&question={data['question']}&choice={data['wrong']}"
    script.write_text(
        'wrk.method = "POST"\n'
        f'wrk.body = "{body}"\n'
        'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
        f'wrk.headers["Cookie"] = "{cookie}"\n'
    )
    chapter_url = "http://127.0.0.1:8101/courses/bench/chapter-1/"
    cases = (
        # (label, goal, wrk arguments)
        ("chapter page, visitor", 0.40, {"url": chapter_url}),
        ("chapter page, learner", 0.40, {"url": chapter_url, "headers": (f"Cookie: {cookie}",)}),
        (
            "answer submission (POST)",
            0.15,
            {"url": "http://127.0.0.1:8101/courses/bench/chapter-1/answer/", "script": script},
        ),
    )
    yield (
        f"Serving: gunicorn, {WORKERS} sync workers, wrk {CONNECTIONS} connections, {DURATION} s "
        f"each, {ROUNDS} rounds (the bare view, then the site, in each)"
    )
    ratios: dict[str, list[float]] = {label: [] for label, _, _ in cases}
    for number in range(1, ROUNDS + 1):
        bare = start_gunicorn(
            "bench.bare.wsgi", 8102, {**env, "DJANGO_SETTINGS_MODULE": "bench.bare.settings"}
        )
        bare_result = wrk("http://127.0.0.1:8102/")
        stop(bare)
        site = start_gunicorn("config.wsgi", 8101, env)
        results = [(label, wrk(**arguments)) for label, _, arguments in cases]
        stop(site)
        yield (
            f"  round {number}: bare Django view {bare_result['rps']:8.0f} req/s  "
            f"p50 {bare_result['p50']}"
        )
        for label, result in results:
            ratio = result["rps"] / bare_result["rps"]
            ratios[label].append(ratio)
            bad = f"  non-2xx/3xx: {result['bad']}" if result["bad"] else ""
            yield (
                f"    {label:27} {result['rps']:8.0f} req/s  p50 {result['p50']:>8}  "
                f"ratio {ratio:.3f}{bad}"
            )
    # A shared machine slows whole stretches of a run: the median of the rounds' ratios,
    # each round's bare view and site measured back to back, is the figure (issue 14).
    for label, target, _ in cases:
        median = statistics.median(ratios[label])
        spread = f"{min(ratios[label]):.3f}-{max(ratios[label]):.3f}"
        verdict = "PASS" if median >= target else "MISS"
        yield (
            f"  {label:27} median ratio {median:.3f} (rounds {spread})  "
            f"{verdict} (goal >= {target:.2f}, issue 14)"
        )

    # Worker memory over 1,000 certificate renders (one worker, so one process to watch).
    site = start_gunicorn("config.wsgi", 8101, env, workers="1")
    opener = urllib.request.build_opener()
    opener.addheaders = [("Cookie", cookie)]
    opener.open(f"http://127.0.0.1:8101/certificates/{data['codes'][0]}/pdf").read()
    before = worker_rss_mb(site.pid)
    started = time.perf_counter()
    for code in data["codes"]:
        opener.open(f"http://127.0.0.1:8101/certificates/{code}/pdf").read()
    elapsed = time.perf_counter() - started
    after = worker_rss_mb(site.pid)
    stored = []
    for code in data["codes"][:200]:
        start = time.perf_counter()
        opener.open(f"http://127.0.0.1:8101/certificates/{code}/pdf").read()
        stored.append((time.perf_counter() - start) * 1000)
    stop(site)
    yield (
        f"Worker memory: RSS {before:.1f} MiB before, {after:.1f} MiB after 1,000 certificate renders "
        f"({elapsed / 1000 * 1000:.1f} ms per render+store over HTTP); "
        f"{'flat' if after - before < 10 else 'GROWS'}"
    )
    yield (
        f"Stored PDF download over HTTP (round trip, 1 worker), median of 200: {statistics.median(stored):.2f} ms"
    )


def in_process() -> list[str]:
    django_setup(WORK / "inprocess")
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from courses.services import course_import
    from quizzes.services import questions_import
    from tests.conftest import make_course, make_question, make_user
    from tests.exercise_form import form_choice

    settings.ALLOWED_HOSTS = ["*"]
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "answer": (10**9, 60)}
    lines = [
        "SQL queries per page with the cache emptied first, the worst case (10 vs 400 "
        "chapters; the warm counts are asserted in tests/test_personal_pages_queries.py)"
    ]
    counts = {}
    learner = make_user()
    for size in (10, 400):
        course = make_course(chapters=size, slug=f"q{size}")
        for chapter in course.chapters.all():
            make_question(chapter=chapter)
        client = Client()
        visitor = Client()
        client.force_login(learner)
        middle = course.chapters.get(position=5)
        question = middle.questions.get()
        pages = {
            "catalogue": (visitor, "get", "/", {}),
            "overview (learner)": (client, "get", course.get_absolute_url(), {}),
            "chapter (visitor)": (visitor, "get", middle.get_absolute_url(), {}),
            "chapter (learner)": (client, "get", middle.get_absolute_url(), {}),
            "answer POST": (
                client,
                "post",
                reverse("learning:answer", args=[course.slug, middle.slug]),
                {
                    "question": question.pk,
                    "choice": form_choice(question, "Raising your voice", learner),
                },
            ),
            "my learning": (client, "get", "/my-learning/", {}),
        }
        for name, (who, method, url, body) in pages.items():
            getattr(who, method)(url, body)  # warm: enrollment, session
            cache.clear()  # count a real render, not the visitors' page cache
            with CaptureQueriesContext(connection) as queries:
                getattr(who, method)(url, body)
            counts.setdefault(name, []).append(len(queries))
    for name, (small, large) in counts.items():
        lines.append(
            f"  {name:20} {small:3} vs {large:3}  {'equal' if small == large else 'DIFFERENT'}"
        )

    folder = WORK / "articles"
    folder.mkdir()
    paragraph = " ".join(
        ["The agent listens, repeats the complaint and agrees on a next step."] * 12
    )
    for n in range(1, 1001):
        (folder / f"{n:04d}.md").write_text(
            f"---\ntitle: Chapter {n}\n---\n\n## Active Listening\n\n{paragraph}\n\n## Empathy\n\n{paragraph}\n"
        )
    start = time.perf_counter()
    report = course_import(path=folder, slug="thousand")
    course_seconds = time.perf_counter() - start
    gift = WORK / "bank.gift"
    gift.write_text(
        "\n\n".join(
            f"::Q{n}::Which technique number {n} means listening fully? "
            "{=Active listening ~Set boundaries#Not this one. ~Use technology ~Empowerment}"
            for n in range(10_000)
        )
    )
    start = time.perf_counter()
    imported = questions_import(path=gift, course=report.course)
    gift_seconds = time.perf_counter() - start
    total = course_seconds + gift_seconds
    lines.append("Import (SQLite file)")
    lines.append(
        f"  1,000-chapter course       {course_seconds:6.2f} s ({len(report.chapters)} chapters)"
    )
    lines.append(
        f"  10,000-question GIFT file  {gift_seconds:6.2f} s ({len(imported.created)} questions)"
    )
    lines.append(
        f"  together                   {total:6.2f} s  {'PASS' if total <= 10 else 'MISS'} (goal <= 10 s)"
    )

    from datetime import date

    from certificates.pdf import CertificateContent, render

    def content(n):
        return CertificateContent(
            "Zoë Łukasiewicz",
            "Handling Customer Conflict",
            date(2026, 11, 24),
            "2.5 hours",
            f"7K3M-Q9TD-2HXA-{n:04d}",
            f"https://example.org/verify/7K3M-Q9TD-2HXA-{n:04d}/",
            "Chapterwise",
            False,
        )

    for n in range(20):
        render(content(n))
    times = []
    for n in range(200):
        start = time.perf_counter()
        render(content(n))
        times.append((time.perf_counter() - start) * 1000)
    median = statistics.median(times)
    lines.append(
        f"Certificate PDF first render, median of 200: {median:.2f} ms  {'PASS' if median <= 50 else 'MISS'} (goal <= 50 ms)"
    )
    return lines


def main() -> None:
    print(
        f"Chapterwise bench — {time.strftime('%Y-%m-%d')}, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}"
    )
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: `make bench` installs it (Debian package wrk).")
    try:
        for line in serving():
            print(line, flush=True)
        for line in in_process():
            print(line, flush=True)
    finally:
        shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
