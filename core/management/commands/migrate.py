"""Django's migrate, holding the release lock (core.locks) so two nodes never race."""

from django.core.management.commands.migrate import Command as DjangoMigrate

from core.locks import release_lock


class Command(DjangoMigrate):
    help = DjangoMigrate.help + " Waits for any other release step (a lock across nodes)."

    def handle(self, *args, **options):
        with release_lock():
            return super().handle(*args, **options)
