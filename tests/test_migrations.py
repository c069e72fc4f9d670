"""Migrations run forward on a database from before the learning app (issue 10)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from certificates.models import Certificate
from learning.models import ChapterProgress, Enrollment

# The latest migration of each app before Enrollment and ChapterProgress moved.
BEFORE_THE_MOVE = [
    ("accounts", "0001_initial"),
    ("courses", "0002_chapter_source_name"),
    ("quizzes", "0001_initial"),
    ("certificates", "0001_initial"),
    ("learning", None),
]


@pytest.mark.django_db(transaction=True)
def test_progress_written_before_the_move_is_there_after_it():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_THE_MOVE)
    old = executor.loader.project_state([t for t in BEFORE_THE_MOVE if t[1]]).apps
    user = old.get_model("accounts", "User").objects.create(username="before", full_name="Ada")
    course = old.get_model("courses", "Course").objects.create(title="Old", slug="old")
    chapter = old.get_model("courses", "Chapter").objects.create(
        course=course, position=1, title="One", slug="one", body_markdown="Text"
    )
    enrollment = old.get_model("courses", "Enrollment").objects.create(
        learner=user, course=course, completed_at=timezone.now()
    )
    old.get_model("courses", "ChapterProgress").objects.create(
        enrollment=enrollment, chapter=chapter, read_at=timezone.now()
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    moved = Enrollment.objects.get()
    assert (moved.pk, moved.learner_id, moved.course_id) == (enrollment.pk, user.pk, course.pk)
    assert moved.completed_at is not None
    assert ChapterProgress.objects.get().chapter_id == chapter.pk
    assert Enrollment._meta.db_table == "courses_enrollment"
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    assert "courses_enrollment" in tables and "learning_enrollment" not in tables


@pytest.mark.django_db(transaction=True)
def test_certificates_issued_before_random_positions_keep_the_bit_their_credentials_name():
    executor = MigrationExecutor(connection)
    before = [
        ("certificates", "0003_erasure_and_language") if app == "certificates" else (app, name)
        for app, name in executor.loader.graph.leaf_nodes()
    ]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    user = old.get_model("accounts", "User").objects.create(username="early", full_name="Ada")
    course = old.get_model("courses", "Course").objects.create(title="Old", slug="old")
    certificate = old.get_model("certificates", "Certificate").objects.create(
        code="ABCDEFGHJK",
        learner=user,
        course=course,
        learner_name="Ada",
        course_title="Old",
        completed_on=timezone.localdate(),
        reading_minutes=5,
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    migrated = Certificate.objects.get(pk=certificate.pk)
    assert (migrated.status_list, migrated.status_index) == (
        certificate.pk // 131_072 + 1,
        certificate.pk % 131_072,
    )
