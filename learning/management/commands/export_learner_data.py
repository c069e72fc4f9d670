import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from learning.learner_data import learner_data_export


class Command(BaseCommand):
    help = (
        "Write everything kept about a learner as one JSON file (the same document as "
        '"Download my data"), for a request that came by email.'
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--output", "-o", help="File to write (default: standard output).")

    def handle(self, *args, username: str, output: str | None, **options):
        learner = get_user_model().objects.filter(username=username).first()
        if learner is None:
            raise CommandError(f"no user '{username}'")
        text = json.dumps(learner_data_export(learner=learner), indent=2, ensure_ascii=False)
        if not output:
            self.stdout.write(text)
            return
        path = Path(output)
        if path.exists():
            raise CommandError(f"{path}: already exists; choose another file")
        try:
            path.write_text(text + "\n", encoding="utf-8")
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from None
        self.stderr.write(self.style.SUCCESS(f"Wrote the data of '{username}' to {path}"))
