"""The review pages (issue 27): one question at a time, the verdict, the next due date.

The same ebook wording and the same per-learner option names as the exercises (no answer in
the page); the answer is a POST with its CSRF token, then a redirect to the verdict, read
back from the card. Works without JavaScript.
"""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core.ratelimit import hit, requester, too_many_requests
from courses import selectors
from quizzes.forms import ResponseError, response_from_post
from quizzes.keys import learner_seed
from quizzes.selectors import ExerciseItem, exercise_options, questions_for_review
from quizzes.services import response_grade

from . import review
from .models import ReviewCard
from .views import passage_url


def _scope(request) -> tuple[object, bool, str]:
    """(course or None, mistakes only, the query string that keeps both)."""
    slug = request.GET.get("course") or request.POST.get("course") or ""
    course = selectors.course_get_unannotated(slug=slug) if slug else None
    mistakes = bool(course) and (request.GET.get("mistakes") or request.POST.get("mistakes")) == "1"
    query = urlencode(
        {"course": slug, "mistakes": "1"} if mistakes else {"course": slug} if slug else {}
    )
    return course, mistakes, query


@login_required
@never_cache
@require_GET
def review_page(request):
    course, mistakes, query = _scope(request)
    review.review_cards_sync(learner=request.user)
    card = review.review_next(learner=request.user, course=course, mistakes=mistakes)
    context = {"course": course, "mistakes": mistakes, "query": query, "card": card}
    if card is None:
        context["next_due"] = review.next_due(learner=request.user)
        return render(request, "learning/review.html", context)
    question = questions_for_review(question_ids=[card.question_id])[card.question_id]
    options, answers = exercise_options(question=question, seed=learner_seed(request.user))
    context.update(
        item=ExerciseItem(question, options, answers, False),
        question=question,
        due=review.reviews_due(learner=request.user, course=course),
        missed=review.mistakes_count(learner=request.user, course=course) if mistakes else 0,
    )
    return render(request, "learning/review.html", context)


@login_required
@require_POST
def review_answer(request, question_id: int):
    course, mistakes, query = _scope(request)
    if not hit(scope="answer", key=requester(request)):
        return too_many_requests(request, what="answers")
    card = get_object_or_404(ReviewCard, learner=request.user, question_id=question_id)
    question = questions_for_review(question_ids=[question_id]).get(question_id)
    if question is None:
        raise Http404("No such question.")
    try:
        response = response_from_post(
            question=question, data=request.POST, seed=learner_seed(request.user)
        )
    except ResponseError:
        return redirect(f"{reverse('learning:review')}?{query}")
    grade = response_grade(question=question, response=response)
    review.review_answer(card=card, right=grade.correct)
    return redirect(f"{reverse('learning:review_result', args=[question_id])}?{query}")


@login_required
@never_cache
@require_GET
def review_result(request, question_id: int):
    course, mistakes, query = _scope(request)
    card = get_object_or_404(
        ReviewCard, learner=request.user, question_id=question_id, last_right__isnull=False
    )
    question = questions_for_review(question_ids=[question_id])[question_id]
    context = {
        "course": course,
        "mistakes": mistakes,
        "query": query,
        "card": card,
        "question": question,
        "passage_url": passage_url(
            question,
            selectors.chapter_urls(chapter_ids=[question.source_chapter_id or question.chapter_id]),
        ),
        "due": review.reviews_due(learner=request.user, course=course),
    }
    return render(request, "learning/review_result.html", context)
