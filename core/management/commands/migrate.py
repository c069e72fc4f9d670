"""Django's migrate, holding the release lock (core.locks) so two nodes never race."""

from django.core.management.commands.migrate import Command as DjangoMigrate

from core.locks import release_lock


class Command(DjangoMigrate):
    help = DjangoMigrate.help + " Waits for any other release step (a lock across nodes)."

    def execute(self, *args, **options):
        # execute(), not handle(): Django's system checks run first and open the database,
        # which on a fresh SQLite file, while another node migrates it, failed with
        # "database is locked" (4 of about 60 runs of tests/test_release_lock.py).
        with release_lock():
            return super().execute(*args, **options)
