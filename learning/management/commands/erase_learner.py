from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts.models import AccountErasure
from learning.learner_data import learner_erase


class Command(BaseCommand):
    help = (
        "Erase a learner's account, progress and answers, and withdraw their certificates "
        '(the same as "Delete my account"), for a request that came by email.'
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--by", required=True, help="Your own username: kept with the record.")
        parser.add_argument(
            "--yes", action="store_true", help="Confirm: the erasure cannot be undone."
        )

    def handle(self, *args, username: str, by: str, yes: bool, **options):
        users = get_user_model().objects
        learner = users.filter(username=username).first()
        if learner is None:
            raise CommandError(f"no user '{username}'")
        if not users.filter(username=by, is_staff=True).exists():
            raise CommandError(f"no admin '{by}' (--by)")
        if by == username:
            raise CommandError("an admin erases another account, not their own")
        if not yes:
            raise CommandError(f"erasing '{username}' cannot be undone: add --yes to confirm")
        erasure = learner_erase(learner=learner, via=AccountErasure.Via.ADMIN, by=by)
        self.stdout.write(
            self.style.SUCCESS(
                f"Erased '{username}': {erasure.certificates_withdrawn} certificate(s) withdrawn, "
                f"{erasure.attempts_deleted} attempt(s) deleted."
            )
        )
