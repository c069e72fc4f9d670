from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.ratelimit import hit, requester
from courses.notices import congratulate_on_completion
from courses.selectors import chapter_page

from .forms import ResponseError, response_from_post
from .keys import learner_seed
from .models import Question
from .services import attempt_submit


@require_POST
def answer(request, course_slug, chapter_slug):
    """Grade one exercise answer, then show the result on the chapter page (post/redirect/get)."""
    page = chapter_page(course_slug=course_slug, chapter_slug=chapter_slug)
    chapter_url = page.chapter.get_absolute_url()
    if not request.user.is_authenticated:
        return redirect_to_login(chapter_url)
    if not hit(scope="answer", key=requester(request)):
        return render(
            request, "quizzes/too_many_answers.html", {"chapter": page.chapter}, status=429
        )
    question = get_object_or_404(
        Question.objects.prefetch_related("choices"),
        pk=request.POST.get("question") if str(request.POST.get("question", "")).isdigit() else 0,
        chapter=page.chapter,
        status=Question.Status.PUBLISHED,
    )
    question.chapter = page.chapter
    try:
        response = response_from_post(
            question=question, data=request.POST, seed=learner_seed(request.user)
        )
    except ResponseError as error:
        # Not an answer at all (a number that is not one): say so, record nothing.
        request.session[f"result:{page.chapter.pk}"] = {
            "question": question.pk,
            "invalid": str(error),
        }
        return redirect(f"{chapter_url}#exercise-{question.pk}")
    result = attempt_submit(learner=request.user, question=question, response=response)
    request.session[f"result:{page.chapter.pk}"] = {
        "question": question.pk,
        "correct": result.grade.correct,
        "feedback": result.grade.feedback_html,
        "general_feedback": question.general_feedback_html if result.grade.correct else "",
    }
    if result.course_completed:
        congratulate_on_completion(request, page.chapter.course)
    return redirect(f"{chapter_url}#exercise-{question.pk}")


def answer_url(chapter) -> str:
    return reverse(
        "quizzes:answer",
        kwargs={"course_slug": chapter.course.slug, "chapter_slug": chapter.slug},
    )
