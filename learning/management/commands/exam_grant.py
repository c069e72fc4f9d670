from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from courses.models import Course
from learning.exam import ExamError, exam_grant


class Command(BaseCommand):
    help = "Grant a learner one more final-exam attempt (within 24 hours), recorded with why."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("course", metavar="COURSE_SLUG")
        parser.add_argument("--reason", required=True, help="Why: kept with the grant.")
        parser.add_argument("--by", default="", help="Username of the admin granting it.")

    def handle(self, *args, username: str, course: str, reason: str, by: str, **options):
        users = get_user_model().objects
        learner = users.filter(username=username).first()
        if learner is None:
            raise CommandError(f"no user '{username}'")
        course_obj = Course.objects.filter(slug=course).first()
        if course_obj is None:
            raise CommandError(f"no course '{course}'")
        granted_by = users.filter(username=by).first() if by else None
        if by and granted_by is None:
            raise CommandError(f"no user '{by}' (--by)")
        try:
            exam_grant(learner=learner, course=course_obj, granted_by=granted_by, reason=reason)
        except ExamError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(f"Granted {username} one more attempt at '{course}': {reason}")
        )
