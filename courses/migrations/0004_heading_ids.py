"""Chapter HTML is rendered again so that headings carry ids (links to a passage)."""

from django.db import migrations

from core.markdown import MarkdownError, render_markdown


def render_again(apps, schema_editor):
    Chapter = apps.get_model("courses", "Chapter")
    for chapter in Chapter.objects.only("id", "body_markdown").iterator():
        try:
            html = render_markdown(chapter.body_markdown)
        except MarkdownError:
            continue  # keeps its old HTML; an edit will tell the admin what is wrong
        Chapter.objects.filter(pk=chapter.pk).update(body_html=html)


class Migration(migrations.Migration):
    dependencies = [("courses", "0003_progress_moves_to_learning")]

    operations = [migrations.RunPython(render_again, migrations.RunPython.noop)]
