"""Hostile inputs and a long import against a real gunicorn, counting 5xx (issue 9).

Serves the site as `make serve` does (gunicorn, DEBUG off, SQLite in WAL, the file cache),
then, at the same time:
- 8 learners answer a chapter exercise in a loop, 2 visitors read chapter pages;
- an admin uploads a 10,000-question GIFT file through the admin (the long import), then a
  too-big file, an article nested 600 levels deep, and two files whose names collide;
- every hostile input of tests/data/hostile.json is sent through the real forms.
Prints how many hostile inputs were tried, how many got a clear answer (a verdict or a
message, nothing half-written), and how many responses were 5xx. `make bench` does not run
this; run it with `.venv/bin/python bench/hostile_load.py`.
"""

import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests import hostile  # noqa: E402

PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
WORK = Path(tempfile.mkdtemp(prefix="chapterwise-hostile-"))
PORT = 8111
BASE = f"http://127.0.0.1:{PORT}"
CSRF = "c" * 32
ENV = {
    **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))},
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    "DJANGO_SECURE_SSL_REDIRECT": "0",
    "DJANGO_CACHE_DIR": str(WORK / "cache"),
    "DATABASE_URL": f"sqlite:///{WORK / 'site.sqlite3'}",
    "CERTIFICATE_STORAGE_ROOT": str(WORK / "certificates"),
    "RATE_LIMIT_ANSWERS": "100000000",
    "GUNICORN_LOG_LEVEL": "warning",
    "DRAIN_SECONDS": "0",
    "WEB_CONCURRENCY": "3",
    "PORT": str(PORT),
}

SETUP = r"""
import django, json
django.setup()
from accounts.sessions import SessionStore  # the site's engine (settings.SESSION_ENGINE)
from django.contrib.auth import SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY
from accounts.models import User
from courses.models import Course, Chapter
from quizzes.models import Question, Choice
from quizzes.keys import form_key, learner_seed

course = Course.objects.create(title="Load", slug="load", published=True)
chapter = Chapter.objects.create(course=course, position=1, title="One", slug="one",
    body_markdown="Some text " * 300)
single = Question.objects.create(course=course, chapter=chapter, qtype="single", stem_markdown="Pick")
for p, (text, f) in enumerate([("Right", 1), ("Wrong", 0), ("Other", 0)], start=1):
    Choice.objects.create(question=single, position=p, text=text, fraction=f)
number = Question.objects.create(course=course, chapter=chapter, qtype="numerical", stem_markdown="24?")
Choice.objects.create(question=number, value=24, tolerance=0, fraction=1)
short = Question.objects.create(course=course, chapter=chapter, qtype="shortanswer", stem_markdown="Say")
Choice.objects.create(question=short, text=r"a*b*c*d*e*f*g*h*i*j*k*l*m*n*o*p*q*r*s*t*u*v*w*x*y*z*", fraction=1)
bank = Course.objects.create(title="Bank", slug="bank")

def session_for(user):
    s = SessionStore()
    s[SESSION_KEY] = str(user.pk)
    s[BACKEND_SESSION_KEY] = "accounts.backends.CachedModelBackend"
    s[HASH_SESSION_KEY] = user.get_session_auth_hash()
    s.create()
    return s.session_key

learners = []
for n in range(10):
    user = User.objects.create_user(f"learner{n}", password="x", full_name="Ada")
    wrong = form_key(seed=learner_seed(user), question_id=single.pk, role="choice",
                     value=single.choices.get(text="Wrong").key)
    learners.append({"session": session_for(user), "wrong": wrong})
admin = User.objects.create_superuser("admin", "a@example.com", "x")
print(json.dumps({"learners": learners, "admin": session_for(admin), "single": single.pk,
    "number": number.pk, "short": short.pk, "bank": bank.pk}))
"""


def manage(*args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=ENV, check=True, capture_output=True)


def request(path, *, session=None, data=None, files=None, timeout=120):
    headers = {"Cookie": f"csrftoken={CSRF}" + (f"; sessionid={session}" if session else "")}
    body = None
    if files is not None:
        boundary = secrets.token_hex(12)
        parts = []
        for name, value in (data or {}).items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            )
        for name, filename, content in files:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: text/plain\r\n\r\n".encode()
                + content
                + b"\r\n"
            )
        parts.append(f"--{boundary}--\r\n".encode())
        body = b"".join(parts)
        headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
    elif data is not None:
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": CSRF, **data}, doseq=True).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    req = urllib.request.Request(BASE + path, data=body, headers=headers)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(req, timeout=timeout) as response:
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def main():
    manage("migrate", "--noinput")
    manage("collectstatic", "--noinput", "--verbosity", "0")
    setup = subprocess.run(
        [PYTHON, "-c", SETUP],
        cwd=ROOT,
        env={**ENV, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(setup.stdout.strip().splitlines()[-1])
    server = subprocess.Popen(
        [GUNICORN, "-c", "config/gunicorn.conf.py"],
        cwd=ROOT,
        env=ENV,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    statuses: Counter = Counter()
    lock = threading.Lock()
    stop = threading.Event()

    def record(status):
        with lock:
            statuses[status] += 1

    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(BASE + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        answer_url = "/courses/load/one/answer/"

        def learner_loop(learner):
            while not stop.is_set():
                status, _ = request(
                    answer_url,
                    session=learner["session"],
                    data={"question": data["single"], "choice": learner["wrong"]},
                )
                record(status)

        def visitor_loop():
            while not stop.is_set():
                record(request("/courses/load/one/")[0])

        threads = [
            threading.Thread(target=learner_loop, args=(one,)) for one in data["learners"][:8]
        ]
        threads += [threading.Thread(target=visitor_loop) for _ in range(2)]
        for thread in threads:
            thread.start()

        tried = handled = 0

        def check(ok: bool, label: str):
            nonlocal tried, handled
            tried += 1
            handled += ok
            if not ok:
                print(f"  NOT HANDLED: {label}")

        admin = data["admin"]
        gift = "\n\n".join(
            f"::Q{n}:: Which is {n}? {{={n} ~{n + 1} ~{n + 2}}}" for n in range(10_000)
        )
        started = time.perf_counter()
        status, body = request(
            "/admin/quizzes/question/import/",
            session=admin,
            data={"csrfmiddlewaretoken": CSRF, "course": data["bank"]},
            files=[("file", "bank.gift", gift.encode())],
        )
        import_seconds = time.perf_counter() - started
        record(status)
        check(status == 302, f"10,000-question import: {status}")
        status, body = request(
            "/admin/quizzes/question/import/",
            session=admin,
            data={"csrfmiddlewaretoken": CSRF, "course": data["bank"]},
            files=[("file", "huge.gift", b"x" * (6 * 1024 * 1024))],
        )
        record(status)
        check(status == 200 and "over the limit" in body, "too-big file")
        nested = "# Deep\n\n" + hostile.nested_markdown()["nested_list"]
        status, body = request(
            "/admin/courses/course/import/",
            session=admin,
            data={"csrfmiddlewaretoken": CSRF, "title": "Deep"},
            files=[("articles", "01-deep.md", nested.encode())],
        )
        record(status)
        check(status == 200 and "nested too deeply" in body, "deep article")
        for first, second in hostile.colliding_names():
            status, body = request(
                "/admin/courses/course/import/",
                session=admin,
                data={"csrfmiddlewaretoken": CSRF, "title": "Clash"},
                files=[("articles", first, b"# A\n\nx\n"), ("articles", second, b"# B\n\nx\n")],
            )
            record(status)
            check(status == 200 and "would both be saved as" in body, f"colliding {first}")
        learner = data["learners"][9]
        for number in hostile.numbers("verdict") + hostile.numbers("not_a_number"):
            status, _ = request(
                answer_url,
                session=learner["session"],
                data={"question": data["number"], "number": number},
            )
            record(status)
            page_status, page = request("/courses/load/one/", session=learner["session"])
            record(page_status)
            check(
                status == 302
                and ("You missed" in page or "You are right" in page or "Enter a number" in page),
                f"number {number[:20]!r}",
            )
        for pattern, guess in hostile.wildcards():
            status, _ = request(
                answer_url,
                session=learner["session"],
                data={"question": data["short"], "text": guess},
            )
            record(status)
            check(status == 302, f"wildcard guess for {pattern[:20]}")
        for name in hostile.names("refused"):
            status, body = request(
                "/accounts/profile/", session=learner["session"], data={"full_name": name}
            )
            record(status)
            check(
                status == 200 and ("control characters" in body or "Null characters" in body),
                f"refused name {name!r}",
            )
        for name in hostile.names("accepted"):
            status, body = request(
                "/accounts/profile/", session=learner["session"], data={"full_name": name}
            )
            record(status)
            check(status == 302, f"accepted name {name[:20]!r}")
        stop.set()
        for thread in threads:
            thread.join()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    five = sum(n for status, n in statuses.items() if status >= 500)
    print(f"gunicorn 3 sync workers, SQLite WAL, {time.strftime('%Y-%m-%d')}")
    print(f"10,000-question admin import: {import_seconds:.1f} s")
    print(f"responses: {sum(statuses.values())} {dict(sorted(statuses.items()))}")
    print(f"hostile inputs tried {tried}, handled with a clear answer {handled}, 5xx seen {five}")


if __name__ == "__main__":
    main()
