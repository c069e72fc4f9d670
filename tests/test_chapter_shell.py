"""The learner's chapter page joined from its shell is the full render, byte for byte (issue 14).

Each page is fetched twice by the same learner, once with the shell and once rendered in full
(settings.CHAPTER_SHELL off); only the CSRF token's masking may differ. Every chapter of the
demo course, every question type, both states of a question (open, answered right), and a
name that needs escaping.
"""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core import pagecache
from courses.models import Chapter, Course
from learning.models import ExamAttempt
from quizzes.models import Question
from tests.conftest import make_course, make_question, make_user
from tests.exercise_form import form_choice

pytestmark = pytest.mark.django_db

_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')

TYPES = {
    Question.Type.SINGLE: None,
    Question.Type.MULTIPLE: [
        {"text": "Stay calm", "fraction": 0.5},
        {"text": "Listen", "fraction": 0.5},
        {"text": 'Shout <loudly> & "often"', "fraction": -1},
    ],
    Question.Type.TRUE_FALSE: [{"text": "False", "fraction": 1}, {"text": "True", "fraction": 0}],
    Question.Type.SHORT_ANSWER: [{"text": "Active listening", "fraction": 1}],
    Question.Type.NUMERICAL: [{"text": "", "value": 42, "tolerance": 0.5, "fraction": 1}],
    Question.Type.MATCHING: [
        {"text": "cat", "match_text": "meow"},
        {"text": "dog", "match_text": "woof"},
        {"text": "", "match_text": "quack"},
    ],
    Question.Type.MISSING_WORD: [
        {"text": "calm", "fraction": 1},
        {"text": "loud", "fraction": 0},
    ],
}


def _both(client: Client, url: str, settings, *, shell: bool = True) -> tuple[str, str]:
    """(from the shell, rendered in full) with the tokens blanked; the shell's tokens are
    checked to be one real token, the same in every form. The first request builds the
    shell; the second must render no template at all (or, ``shell=False``, must render)."""
    settings.CHAPTER_SHELL = True
    client.get(url)
    fast = client.get(url)
    assert (fast.templates == []) is shell, [t.name for t in fast.templates]
    settings.CHAPTER_SHELL = False
    full = client.get(url)
    assert fast.status_code == full.status_code == 200
    fast_html, full_html = fast.content.decode(), full.content.decode()
    tokens = set(_TOKEN.findall(fast_html))
    assert len(tokens) == 1, tokens
    return _TOKEN.sub("TOKEN", fast_html), _TOKEN.sub("TOKEN", full_html)


def _learner_client(**extra) -> tuple[Client, object]:
    learner = make_user(**extra)
    client = Client()
    client.force_login(learner)
    return client, learner


def test_every_demo_chapter_from_the_shell_is_the_full_render(settings):
    call_command("load_demo", stdout=StringIO())
    client, _ = _learner_client()
    chapters = Chapter.objects.filter(course__slug="handling-customer-conflict")
    assert chapters.count() == 7
    for chapter in chapters.order_by("position"):
        fast, full = _both(client, chapter.get_absolute_url(), settings)
        assert fast == full, chapter.title
        assert "Now answer the exercise about the content:" in fast


@pytest.mark.parametrize("qtype", list(TYPES))
def test_every_question_type_from_the_shell_is_the_full_render(settings, qtype):
    course = make_course(chapters=2)
    chapter = course.chapters.get(position=1)
    make_question(chapter=chapter, qtype=qtype, choices=TYPES[qtype], stem=f"A {qtype} one?")
    make_question(chapter=chapter, stem="And a single choice after it?")
    client, _ = _learner_client(full_name='Zoë <b>"&</b>')
    fast, full = _both(client, chapter.get_absolute_url(), settings)
    assert fast == full
    assert "Zoë &lt;b&gt;&quot;&amp;&lt;/b&gt;" in fast


def test_a_question_answered_right_shows_its_badge_from_the_shell(settings):
    course = make_course(chapters=2)
    chapter = course.chapters.get(position=1)
    first = make_question(chapter=chapter)
    make_question(chapter=chapter, stem="Still open?")
    client, learner = _learner_client()
    answer = reverse("learning:answer", args=[course.slug, chapter.slug])
    client.post(
        answer, {"question": first.pk, "choice": form_choice(first, "Active listening", learner)}
    )
    client.get(chapter.get_absolute_url())  # the verdict, rendered in full, shown once
    fast, full = _both(client, chapter.get_absolute_url(), settings)
    assert fast == full
    assert fast.count("You have answered this exercise correctly.") == 1


def test_two_learners_get_their_own_names_and_orders_from_one_shell(settings):
    course = make_course(chapters=1)
    chapter = course.chapters.get()
    question = make_question(chapter=chapter)
    pages = []
    for name in ("Ada Lovelace", "Grace Hopper"):
        client, learner = _learner_client(full_name=name)
        fast, full = _both(client, chapter.get_absolute_url(), settings)
        assert fast == full and name in fast
        assert form_choice(question, "Active listening", learner) in fast
        pages.append(fast)
    assert pages[0] != pages[1]


def test_a_pending_message_is_shown_by_the_full_render(settings):
    settings.CHAPTER_SHELL = True
    course = make_course(chapters=1)
    chapter = course.chapters.get()
    Course.objects.filter(pk=course.pk).update(exam_enabled=True)
    question = make_question(chapter=chapter)
    client, learner = _learner_client()
    ExamAttempt.objects.create(
        learner=learner, course=course, seed="s", started_at=timezone.now(), pass_percent=80
    )
    response = client.post(
        reverse("learning:answer", args=[course.slug, chapter.slug]),
        {"question": question.pk, "choice": form_choice(question, "Active listening", learner)},
        follow=True,
    )
    assert "Hand in your final exam first" in response.content.decode()


def test_content_holding_a_sentinel_character_is_rendered_in_full(settings):
    course = make_course(chapters=1)
    chapter = course.chapters.get()
    Chapter.objects.filter(pk=chapter.pk).update(body_html="<p>\ue000name\ue001 private use</p>")
    make_question(chapter=chapter)
    client, _ = _learner_client(full_name="Ada Lovelace")
    fast, full = _both(client, chapter.get_absolute_url(), settings, shell=False)
    assert fast == full
    assert "\ue000name\ue001 private use" in fast


def test_braces_in_content_pass_through_the_shell_unchanged(settings):
    course = make_course(chapters=1)
    chapter = course.chapters.get()
    Chapter.objects.filter(pk=chapter.pk).update(body_html="<p>{0} {{2}} } {</p>")
    make_question(chapter=chapter, stem="What does {1} mean?")
    client, _ = _learner_client()
    fast, full = _both(client, chapter.get_absolute_url(), settings)
    assert fast == full
    assert "<p>{0} {{2}} } {</p>" in fast


def test_a_shell_read_back_from_the_shared_cache_joins_the_same_page(settings):
    # What another process does: its own copies are empty, the shell comes unpickled from
    # the shared cache. A name and content outside ASCII: the shell is joined as UTF-8.
    course = make_course(chapters=1)
    chapter = course.chapters.get()
    Chapter.objects.filter(pk=chapter.pk).update(body_html="<p>Écoute — «active»</p>")
    make_question(chapter=chapter, qtype=Question.Type.MATCHING, choices=TYPES["matching"])
    make_question(chapter=chapter, stem="¿Qué técnica ayuda?")
    client, _ = _learner_client(full_name="Zoë Ñandú <z>")
    url = chapter.get_absolute_url()
    settings.CHAPTER_SHELL = True
    client.get(url)
    here = client.get(url)
    pagecache._LOCAL.clear()
    there = client.get(url)
    assert here.templates == there.templates == []
    assert _TOKEN.sub("TOKEN", here.content.decode()) == _TOKEN.sub("TOKEN", there.content.decode())
    fast, full = _both(client, url, settings)
    assert fast == full
    assert "Zoë Ñandú &lt;z&gt;" in fast and "Écoute — «active»" in fast


def test_each_learner_reads_the_shell_in_their_own_theme(settings):
    course = make_course(chapters=1)
    make_question(chapter=course.chapters.get())
    url = course.chapters.get().get_absolute_url()
    night, _ = _learner_client(username="owl")
    night.cookies["theme"] = "dark"
    day, _ = _learner_client(username="lark")
    fast, full = _both(night, url, settings)
    assert fast == full and 'data-bs-theme="dark"' in fast
    fast, full = _both(day, url, settings)
    assert fast == full and 'data-bs-theme="auto"' in fast
