"""Sessions move to accounts_session, each marked with its user (accounts.sessions).

The rows of Django's django_session table are moved with the same keys, so nobody is logged
out by the deploy (the cached copies keep their keys too); a row that no longer decodes (a
rotated secret key, a damaged row) is a session nobody can use and is dropped. The old table
stays, empty, for a DBA to drop (django.contrib.sessions stays installed for its model).
"""

import django.db.models.deletion
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DBStore
from django.db import migrations, models


def move_sessions(apps, schema_editor):
    old = apps.get_model("sessions", "Session")
    new = apps.get_model("accounts", "UserSession")
    # The engine that wrote the rows; its signing salt is its class name, which the new
    # engine's shares (accounts.sessions.SessionStore), so the moved rows still decode.
    decoder = DBStore()
    batch = []
    for row in old.objects.using(schema_editor.connection.alias).iterator(chunk_size=2000):
        data = decoder.decode(row.session_data)
        if not data:  # undecodable: decode() gives {} for a session nobody can use
            continue
        user_id = str(data.get(SESSION_KEY, ""))
        batch.append(
            new(
                session_key=row.session_key,
                session_data=row.session_data,
                expire_date=row.expire_date,
                user_id=int(user_id) if user_id.isdigit() else None,
            )
        )
        if len(batch) == 2000:
            new.objects.using(schema_editor.connection.alias).bulk_create(batch)
            batch = []
    new.objects.using(schema_editor.connection.alias).bulk_create(batch)
    old.objects.using(schema_editor.connection.alias).all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_erasure_and_language'),
        ('sessions', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='UserSession',
            fields=[
                ('session_key', models.CharField(max_length=40, primary_key=True, serialize=False, verbose_name='session key')),
                ('session_data', models.TextField(verbose_name='session data')),
                ('expire_date', models.DateTimeField(db_index=True, verbose_name='expire date')),
                ('user', models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'session',
                'verbose_name_plural': 'sessions',
                'db_table': 'accounts_session',
                'abstract': False,
            },
        ),
        migrations.RunPython(move_sessions, migrations.RunPython.noop, elidable=True),
    ]
