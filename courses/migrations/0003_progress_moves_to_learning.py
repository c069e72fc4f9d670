"""Enrollment and ChapterProgress now belong to ``learning``: state only, tables untouched."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0002_chapter_source_name"),
        ("learning", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ChapterProgress"),
                migrations.DeleteModel(name="Enrollment"),
            ],
            database_operations=[],
        ),
    ]
