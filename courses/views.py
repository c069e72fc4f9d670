from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.pagecache import cached_for_visitors
from quizzes.keys import learner_seed
from quizzes.selectors import chapter_exercise

from . import progress, selectors
from .notices import congratulate_on_completion


def _learner(request):
    return request.user if request.user.is_authenticated else None


def catalogue(request):
    courses = selectors.catalogue_courses()
    states = progress.progress_for_courses(
        learner=_learner(request), course_ids=[course.pk for course in courses]
    )
    rows = [(course, states[course.pk]) for course in courses]
    return render(request, "courses/catalogue.html", {"rows": rows})


@login_required
def my_learning(request):
    enrollments = progress.enrollments_for(learner=request.user)
    states = progress.progress_for_courses(
        learner=request.user, course_ids=[e.course_id for e in enrollments]
    )
    continue_urls = selectors.chapter_urls(
        chapter_ids=[s.first_unfinished_id for s in states.values() if s.first_unfinished_id]
    )
    rows = [
        (e, states[e.course_id], continue_urls.get(states[e.course_id].first_unfinished_id))
        for e in enrollments
    ]
    return render(request, "courses/my_learning.html", {"rows": rows})


def overview(request, course_slug):
    course = selectors.course_get(slug=course_slug)
    chapters = selectors.course_chapters(course=course)
    state = progress.course_progress(
        learner=_learner(request), course=course, chapter_ids=[c.pk for c in chapters]
    )
    by_id = {chapter.pk: chapter for chapter in chapters}
    context = {
        "course": course,
        "rows": [(chapter, state.chapter_state(chapter.pk)) for chapter in chapters],
        "state": state,
        "continue_chapter": by_id.get(state.first_unfinished_id),
    }
    return render(request, "courses/overview.html", context)


@require_POST
@login_required
def start(request, course_slug):
    course = selectors.course_get(slug=course_slug)
    progress.enrollment_start(learner=request.user, course=course)
    state = progress.course_progress(learner=request.user, course=course)
    target = state.first_unfinished_id or (state.chapter_ids[0] if state.chapter_ids else None)
    if target is None:
        return redirect(course)
    return redirect(selectors.chapter_urls(chapter_ids=[target])[target])


@never_cache
@cached_for_visitors
def chapter(request, course_slug, chapter_slug):
    page = selectors.chapter_page(course_slug=course_slug, chapter_slug=chapter_slug)
    learner = _learner(request)
    if learner is not None and page.chapter.position == 1:
        progress.enrollment_start(learner=learner, course=page.chapter.course)
    items = chapter_exercise(chapter=page.chapter, learner=learner, seed=learner_seed(learner))
    result = request.session.pop(f"result:{page.chapter.pk}", None) if learner else None
    context = {
        "page": page,
        "chapter": page.chapter,
        "course": page.chapter.course,
        "items": items,
        "result": result,
    }
    return render(request, "courses/chapter.html", context)


@require_POST
def chapter_done(request, course_slug, chapter_slug):
    """The learner reached the end of the page, or pressed "Next page"."""
    page = selectors.chapter_page(course_slug=course_slug, chapter_slug=chapter_slug)
    completed = False
    if request.user.is_authenticated:
        completed = progress.chapter_mark_read(learner=request.user, chapter=page.chapter)
    if completed:
        congratulate_on_completion(request, page.chapter.course)
    if request.POST.get("beacon"):
        return HttpResponse(status=204)
    if page.next is not None and not completed:
        return redirect(page.next)
    return redirect(page.chapter.course)
