"""Status-list positions of their own (W3C Bitstring Status List: random indexes).

Certificates issued before keep the position their credentials already name: list
``pk // 131072 + 1``, index ``pk % 131072``.
"""

from django.db import migrations, models

import certificates.models

LIST_BITS = 131_072


def positions_from_ids(apps, schema_editor):
    Certificate = apps.get_model("certificates", "Certificate")
    for pk in Certificate.objects.values_list("pk", flat=True).iterator():
        Certificate.objects.filter(pk=pk).update(
            status_list=pk // LIST_BITS + 1, status_index=pk % LIST_BITS
        )


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0003_erasure_and_language"),
    ]

    operations = [
        migrations.AddField(
            model_name="certificate",
            name="status_list",
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
        migrations.AddField(
            model_name="certificate",
            name="status_index",
            field=models.PositiveIntegerField(null=True, editable=False),
        ),
        migrations.RunPython(positions_from_ids, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="certificate",
            name="status_index",
            field=models.PositiveIntegerField(
                default=certificates.models.random_status_index, editable=False
            ),
        ),
        migrations.AddConstraint(
            model_name="certificate",
            constraint=models.UniqueConstraint(
                fields=("status_list", "status_index"), name="certificate_one_status_bit"
            ),
        ),
    ]
