"""Django's migrate, holding the release lock (core.locks) so two nodes never race."""

from django.core.management.commands.migrate import Command as DjangoMigrate

from core.locks import ReleaseStep


class Command(ReleaseStep, DjangoMigrate):
    help = DjangoMigrate.help + " Waits for any other release step (a lock across nodes)."
