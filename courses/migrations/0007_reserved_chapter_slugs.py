"""Chapters already slugged "exam" or "start" would be hidden by those pages: rename them."""

from django.db import migrations

RESERVED = ("exam", "start")


def rename(apps, schema_editor):
    Chapter = apps.get_model("courses", "Chapter")
    for chapter in Chapter.objects.filter(slug__in=RESERVED):
        taken = set(Chapter.objects.filter(course_id=chapter.course_id).values_list("slug", flat=True))
        n = 2
        while f"{chapter.slug}-{n}" in taken:
            n += 1
        Chapter.objects.filter(pk=chapter.pk).update(slug=f"{chapter.slug}-{n}")


class Migration(migrations.Migration):
    dependencies = [("courses", "0006_exam_minimums")]

    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
