"""Enrollment and ChapterProgress move here from ``courses``: state only, same tables."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("courses", "0002_chapter_source_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Enrollment",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("started_at", models.DateTimeField(auto_now_add=True)),
                        ("completed_at", models.DateTimeField(blank=True, null=True)),
                        ("course", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="enrollments", to="courses.course")),
                        ("learner", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="enrollments", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "courses_enrollment",
                        "ordering": ["-started_at"],
                        "constraints": [
                            models.UniqueConstraint(fields=("learner", "course"), name="one_enrollment_per_learner_and_course"),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="ChapterProgress",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("read_at", models.DateTimeField(blank=True, null=True)),
                        ("passed_at", models.DateTimeField(blank=True, null=True)),
                        ("chapter", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="progress", to="courses.chapter")),
                        ("enrollment", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="progress", to="learning.enrollment")),
                    ],
                    options={
                        "db_table": "courses_chapterprogress",
                        "verbose_name_plural": "chapter progress",
                        "constraints": [
                            models.UniqueConstraint(fields=("enrollment", "chapter"), name="one_progress_per_enrollment_and_chapter"),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
