from django.core.management.base import BaseCommand

from courses.models import Course
from quizzes.management.lookup import course_and_chapter
from quizzes.services import questions_audit


class Command(BaseCommand):
    help = (
        "Send back to review every published question whose learners' answers or reports "
        "flag it: facility above 0.97 or below 0.20 after 30 first tries, a distractor the top "
        "third of learners pick more than the key, or three learners' reports. A chapter "
        "keeps another published question as its exercise when one is available. Run daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("course", nargs="?", metavar="SLUG", help="One course (default: all).")

    def handle(self, *args, course: str | None, **options):
        if course:
            courses = [course_and_chapter(course, None)[0]]  # a clear error for a wrong slug
        else:
            courses = Course.objects.order_by("pk")
        total = 0
        for each in courses:
            for question, reason in questions_audit(course=each):
                total += 1
                self.stdout.write(f"  {each.slug}: “{str(question)[:60]}” back to review: {reason}")
        self.stdout.write(f"{total} question(s) sent back to review.")
