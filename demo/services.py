"""The demo course "Handling Customer Conflict": its Markdown sources and its fixture.

The sources in ``fixtures/handling-customer-conflict/`` (articles plus one GIFT file of
exercises per article) are what people edit; ``fixtures/demo_course.json`` is built from
them by ``build_demo_fixture`` so that ``make run`` loads the course with one ``loaddata``.
A test rebuilds the fixture and compares it with the committed one, so the two cannot
drift apart.
"""

import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.db import transaction

from courses.models import Course
from courses.services import course_import
from quizzes.models import Choice, Question
from quizzes.services import questions_import

SLUG = "handling-customer-conflict"
TITLE = "Handling Customer Conflict"
SUMMARY = (
    "Why customer conflicts start, two dozen conflict resolution techniques for calming "
    "and solving them, and how to keep a customer's trust over chat, email and phone."
)
SOURCES = Path(settings.BASE_DIR) / "fixtures" / SLUG
FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "demo_course.json"
# Fixed timestamps keep a rebuilt fixture byte-for-byte identical.
BUILT_AT = "2026-11-24T00:00:00Z"


class _Rollback(Exception):
    pass


def demo_import(*, sources: Path = SOURCES) -> Course:
    """Import the demo course from its sources (also into a database with other courses)."""
    with transaction.atomic():
        course = course_import(path=sources, slug=SLUG, title=TITLE).course
        Course.objects.filter(pk=course.pk).update(summary=SUMMARY)
        course.refresh_from_db()
        for chapter in course.chapters.order_by("position"):
            stem = Path(chapter.source_name).stem
            exercise = sources / "exercises" / f"{stem}.gift"
            if exercise.exists() and not chapter.questions.exists():
                questions_import(path=exercise, course=course, chapter=chapter)
            # The final exam asks other questions than the chapter exercises.
            bank = sources / "exam" / f"{stem}.gift"
            if bank.exists() and not chapter.generated_questions.exists():
                questions_import(path=bank, course=course, bank_chapter=chapter)
        return course


def demo_fixture_build(*, sources: Path = SOURCES) -> str:
    """The fixture's JSON text, built inside a transaction that is then rolled back."""
    text = ""
    try:
        with transaction.atomic():
            course = demo_import(sources=sources)
            text = _serialise(course)
            raise _Rollback
    except _Rollback:
        pass
    return text


def _serialise(course: Course) -> str:
    chapters = list(course.chapters.order_by("position"))
    # Each chapter's exercise, then its exam-bank questions (sorted here: databases put
    # NULLs first or last as they please, and the fixture must not depend on which).
    questions = sorted(
        Question.objects.filter(course=course).select_related("chapter", "source_chapter"),
        key=lambda q: (
            (q.chapter or q.source_chapter).position if (q.chapter or q.source_chapter) else 0,
            q.chapter is None,
            q.position,
        ),
    )
    order = {question.pk: index for index, question in enumerate(questions)}
    choices = sorted(
        Choice.objects.filter(question__course=course),
        key=lambda c: (order[c.question_id], c.position),
    )
    # Numbered from 1 in a fresh database: the fixture loads only where there are no courses.
    ids = {("course", course.pk): 1}
    ids.update({("chapter", c.pk): n for n, c in enumerate(chapters, start=1)})
    ids.update({("question", q.pk): n for n, q in enumerate(questions, start=1)})
    ids.update({("choice", c.pk): n for n, c in enumerate(choices, start=1)})
    records = []
    for obj in [course, *chapters, *questions, *choices]:
        record = json.loads(serializers.serialize("json", [obj]))[0]
        kind = obj._meta.model_name
        record["pk"] = ids[(kind, obj.pk)]
        fields = record["fields"]
        for name in ("created_at", "updated_at"):
            if name in fields:
                fields[name] = BUILT_AT
        if "course" in fields:
            fields["course"] = ids[("course", fields["course"])]
        if kind == "question":
            for name in ("chapter", "source_chapter"):
                if fields.get(name) is not None:
                    fields[name] = ids[("chapter", fields[name])]
        if kind == "choice":
            fields["question"] = ids[("question", fields["question"])]
            # Stable, still opaque: a key says nothing about order or correctness.
            fields["key"] = hashlib.sha256(f"{SLUG}:choice:{record['pk']}".encode()).hexdigest()[
                :12
            ]
        records.append(record)
    return json.dumps(records, indent=2, ensure_ascii=False) + "\n"


def demo_load(*, fixture: Path = FIXTURE) -> Course:
    """Load the demo course: the fixture into an empty database, else import the sources."""
    if Course.objects.exists():
        return demo_import()
    with transaction.atomic():
        call_command("loaddata", str(fixture), verbosity=0)
    return Course.objects.get(slug=SLUG)
