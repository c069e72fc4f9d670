"""Two live nodes behind one database, one Redis, one S3 endpoint (issue 13).

Two gunicorn processes with their own working folders share PostgreSQL (SQLite in the
SQLite run), a redis-server and moto's S3 server, all started here and stopped at the end.
A learner signs up and completes a course through node A; node B knows the session, serves
the same PDF bytes, says the certificate is valid, and signs credentials A's keys verify;
answers alternating between the nodes meet one rate limit; an edit through A shows on B.
"""

import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time

import pytest
from django.conf import global_settings
from django.conf import settings as django_settings
from django.test import override_settings

from accounts.models import User
from certificates import credentials
from certificates.models import Certificate
from courses.models import Chapter
from quizzes.keys import form_key, learner_seed
from tests.conftest import ROOT, make_course, make_question, run_manage
from tests.servers import Node, database_url
from tests.test_redis_cache import redis_url  # noqa: F401 - the redis-server fixture
from tests.test_s3_storage import BUCKET, s3_endpoint  # noqa: F401 - the moto fixture


@pytest.fixture
def nodes(tmp_path, redis_url, s3_endpoint, settings):  # noqa: F811
    key_path = credentials.signing_key_generate(path=tmp_path / "key.pem")
    endpoint, _ = s3_endpoint
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": django_settings.SECRET_KEY,  # shared; the test computes form keys
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "SITE_URL": "http://127.0.0.1",
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis_url,
        "REDIS_KEY_PREFIX": f"nodes-{secrets.token_hex(4)}",
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_S3_REGION_NAME": "us-east-1",
        "CREDENTIAL_SIGNING_KEY": key_path.read_text(),
        "RATE_LIMIT_ANSWERS": "30",
        "DJANGO_TASKS": "database",
        "GUNICORN_LOG_LEVEL": "warning",
        "DRAIN_SECONDS": "0",
    }
    collected = run_manage("collectstatic", "--noinput", "--verbosity", "0", env=env)
    assert collected.returncode == 0, collected.stderr
    started = []
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--interval", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        for name in ("node-a", "node-b"):
            started.append(Node(name, env, tmp_path / name))
        yield started
    finally:
        for node in started:
            node.stop()
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=15)


@pytest.mark.django_db(transaction=True)
def test_two_nodes_share_sessions_pdfs_keys_limits_and_content(nodes):
    a, b = nodes
    course = make_course(chapters=1, slug="calm-calls", title="Calm Calls")
    chapter = course.chapters.get()
    question = make_question(chapter=chapter)
    session: dict = {}

    # Sign up and complete the course through node A.
    status, _, _ = a.request(
        "POST",
        "/accounts/signup/",
        cookies=session,
        data={"username": "grace", "full_name": "Grace Hopper", "email": "",
              "password1": "a long and unusual passphrase 42",
              "password2": "a long and unusual passphrase 42"},
    )  # fmt: skip
    assert status == 302 and session.get("sessionid")
    learner = User.objects.get(username="grace")
    right = form_key(
        seed=learner_seed(learner),
        question_id=question.pk,
        role="choice",
        value=question.choices.get(text="Active listening").key,
    )
    answer_path = f"/courses/calm-calls/{chapter.slug}/answer/"
    assert (
        a.request(
            "POST", answer_path, cookies=session, data={"question": question.pk, "choice": right}
        )[0]
        == 302
    )
    first_answer_minute = int(time.time() // 60)
    certificate = Certificate.objects.get(learner=learner)

    # Node B knows the session.
    status, html, _ = b.request("GET", "/my-learning/", cookies=session)
    assert status == 200 and b"Calm Calls" in html

    # The worker drew the PDF once the certificate was issued (queued by node A).
    for _ in range(100):
        certificate.refresh_from_db()
        if certificate.pdf:
            break
        time.sleep(0.1)
    assert certificate.pdf, "the worker did not draw the PDF"

    # The same PDF bytes from both nodes, from the bucket.
    pdf = f"/certificates/{certificate.display_code}/pdf"
    from_a = a.request("GET", pdf, cookies=session)[1]
    from_b = b.request("GET", pdf, cookies=session)[1]
    assert from_a.startswith(b"%PDF") and from_a == from_b

    # B says valid; B's credential verifies against A's published keys.
    status, html, _ = b.request("GET", f"/verify/{certificate.display_code}/", cookies={})
    assert status == 200 and b"valid" in html.lower()
    token = b.request("GET", f"/verify/{certificate.display_code}/credential.jwt", cookies={})[
        1
    ].decode()
    jwks = json.loads(a.request("GET", "/.well-known/jwks.json", cookies={})[1])
    assert credentials.credential_verify(token=token, jwks=jwks).valid

    # 40 answers alternating between the nodes meet one limit of 30 a minute. The limit's
    # window is the clock's minute: start the 40 well inside one, and count the answer above
    # only if it fell in the same minute.
    if 60 - time.time() % 60 < 10:
        time.sleep(60 - time.time() % 60 + 0.5)
    earlier = 1 if int(time.time() // 60) == first_answer_minute else 0
    wrong = form_key(
        seed=learner_seed(learner),
        question_id=question.pk,
        role="choice",
        value=question.choices.get(text="Raising your voice").key,
    )
    statuses = [
        (a if n % 2 else b).request(
            "POST", answer_path, cookies=session, data={"question": question.pk, "choice": wrong}
        )[0]
        for n in range(40)
    ]
    accepted = 30 - earlier  # with the answer above, 30 accepted in the minute; then 429
    assert statuses.index(429) == accepted
    assert set(statuses[accepted:]) == {429}

    # A chapter edited through A is served changed by B at once (visitors' page cache).
    page = f"/courses/calm-calls/{chapter.slug}/"
    assert b"word word" in b.request("GET", page, cookies={})[1]
    admin = {}
    # Hashed as the nodes hash (the suite itself uses a fast hasher the nodes do not know).
    with override_settings(PASSWORD_HASHERS=global_settings.PASSWORD_HASHERS):
        User.objects.create_superuser("boss", "boss@example.org", "another long passphrase 7")
    assert a.request("POST", "/admin/login/", cookies=admin,
                     data={"username": "boss", "password": "another long passphrase 7",
                           "next": "/admin/"})[0] == 302  # fmt: skip
    changed = a.request(
        "POST",
        f"/admin/courses/chapter/{chapter.pk}/change/",
        cookies=admin,
        data={"course": course.pk, "position": 1, "title": chapter.title, "slug": chapter.slug,
              "body_markdown": "Edited through node A."},
    )  # fmt: skip
    assert changed[0] == 302, changed[1][:500]
    assert Chapter.objects.get(pk=chapter.pk).body_markdown == "Edited through node A."
    assert b"Edited through node A." in b.request("GET", page, cookies={})[1]
    assert re.search(rb"word word", b.request("GET", page, cookies={})[1]) is None
