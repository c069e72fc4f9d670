"""Every page a learner sees: catalogue, course overview, chapter with its exercise, the
answer, My learning and the profile. Views are thin: selectors read, services act."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.forms import FullNameForm, PasswordConfirmForm
from accounts.models import AccountErasure
from certificates.selectors import certificates_by_course, certificates_of
from core.http import next_url
from core.pagecache import cached_for_visitors
from core.ratelimit import hit, requester, too_many_requests
from core.text import supported_language
from courses import selectors
from quizzes.forms import ResponseError, response_from_post
from quizzes.keys import learner_seed
from quizzes.models import Question
from quizzes.selectors import (
    chapter_exercise,
    chapter_question,
    chosen_option_names,
    exam_responses,
    exercise_options,
    response_in_words,
)
from quizzes.services import question_report as question_report_record
from quizzes.services import response_grade

from . import chapter_list, exam, learner_data, progress, review, services, shell
from .forms import QuestionReportForm
from .models import ExamAttempt
from .notices import congratulate_on_completion


def _learner(request):
    return request.user if request.user.is_authenticated else None


def catalogue(request):
    names = dict(settings.LANGUAGES)
    language = supported_language(request.GET.get("language", ""))
    query = " ".join(request.GET.get("q", "").split())[:100]
    courses = selectors.catalogue_courses(language=language, query=query)
    states = progress.progress_for_courses(
        learner=_learner(request), course_ids=[course.pk for course in courses]
    )
    rows = [(course, states[course.pk]) for course in courses]
    languages = [(code, names[code]) for code in selectors.catalogue_languages()]
    context = {"rows": rows, "language": language, "languages": languages, "query": query}
    return render(request, "learning/catalogue.html", context)


@login_required
def my_learning(request):
    enrollments = progress.enrollments_for(learner=request.user)
    course_ids = [e.course_id for e in enrollments]
    states = progress.progress_for_courses(learner=request.user, course_ids=course_ids)
    certificates = certificates_by_course(learner=request.user, course_ids=course_ids)
    continue_urls = selectors.chapter_urls(
        chapter_ids=[s.first_unfinished_id for s in states.values() if s.first_unfinished_id]
    )
    rows = [
        (
            enrollment,
            states[enrollment.course_id],
            continue_urls.get(states[enrollment.course_id].first_unfinished_id),
            certificates.get(enrollment.course_id),
        )
        for enrollment in enrollments
    ]
    review.review_cards_sync(learner=request.user)
    context = {"rows": rows, "reviews_due": review.reviews_due(learner=request.user)}
    return render(request, "learning/my_learning.html", context)


def overview(request, course_slug):
    course = selectors.course_get_unannotated(slug=course_slug)
    rows = chapter_list.overview_rows(course)
    course.total_minutes = rows.total_minutes
    learner = _learner(request)
    state = progress.course_progress(
        learner=learner, course=course, chapter_ids=rows.ids, cached=True
    )
    certificate = None
    if learner is not None and state.completed_at:
        certificate = certificates_by_course(learner=learner, course_ids=[course.pk]).get(course.pk)
    unfinished = rows.links.get(state.first_unfinished_id)
    exam_state = None
    if course.exam_enabled and learner is not None:
        exam_state = exam.exam_state(learner=learner, course=course, all_read=state.all_read)
    mistakes = 0
    if learner is not None and state.enrolled:
        review.review_cards_sync(learner=learner)
        mistakes = review.mistakes_count(learner=learner, course=course)
    context = {
        "course": course,
        "rows_html": chapter_list.ROWS,
        "chapter_count": len(rows.ids),
        "first_chapter_url": rows.links[rows.ids[0]][1] if rows.ids else "",
        "state": state,
        "certificate": certificate,
        "continue_chapter": {"title": unfinished[0], "get_absolute_url": unfinished[1]}
        if unfinished
        else None,
        "exam": exam_state,
        "mistakes": mistakes,
    }
    return chapter_list.overview_response(request, context, rows, state)


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
        progress.enrollment_ensure(learner=learner, course=page.chapter.course)
    items = chapter_exercise(chapter=page.chapter, learner=learner, seed=learner_seed(learner))
    verdict = _verdict_read(request, page.chapter, items) if learner else None
    if learner is not None and verdict is None:
        html = shell.chapter_from_shell(request, page=page, items=items)
        if html is not None:
            return HttpResponse(html)
    context = {
        "page": page,
        "chapter": page.chapter,
        "course": page.chapter.course,
        "items": items,
        "result": verdict,
    }
    response = render(request, "learning/chapter.html", context)
    if verdict is not None:
        response.delete_cookie(_verdict_cookie(page.chapter))  # shown once
    return response


def _passage_url(question, chapter) -> str:
    if not question.source_anchor or question.source_chapter_id not in (None, chapter.pk):
        return ""
    return f"{chapter.get_absolute_url()}#{question.source_anchor}"


# The verdict of an answer waits for the chapter page in a short-lived signed cookie: the
# response the learner gave (choice keys, text), never a grade the client could forge, and
# no session write on the answer's hot path. The page grades it again from cached questions.
_VERDICT_SECONDS = 300


def _verdict_cookie(chapter) -> str:
    return f"verdict-{chapter.pk}"


def _verdict_salt(request) -> str:
    return f"chapterwise.verdict.{request.user.pk}"


def _verdict_write(response, request, page, payload: dict) -> None:
    response.set_signed_cookie(
        _verdict_cookie(page.chapter),
        json.dumps(payload, separators=(",", ":")),
        salt=_verdict_salt(request),
        max_age=_VERDICT_SECONDS,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        path=page.url,
    )


def _verdict_read(request, chapter, items) -> dict | None:
    raw = request.get_signed_cookie(
        _verdict_cookie(chapter),
        default=None,
        salt=_verdict_salt(request),
        max_age=_VERDICT_SECONDS,
    )
    if raw is None:
        return None
    try:
        payload = json.loads(raw)
    except ValueError:
        return None
    question = next((i.question for i in items if i.question.pk == payload.get("q")), None)
    if question is None:
        return None
    if payload.get("invalid"):
        return {"question": question.pk, "invalid": str(payload["invalid"])}
    response = payload.get("r") or {}
    grade = response_grade(question=question, response=response)
    chosen = set()
    if not grade.correct and isinstance(response, dict):
        chosen = chosen_option_names(
            question=question, response=response, seed=learner_seed(request.user)
        )
    return {
        "question": question.pk,
        "correct": grade.correct,
        "chosen": chosen,
        "feedback": grade.feedback_html,
        "passage_url": "" if grade.correct else _passage_url(question, chapter),
        "general_feedback": question.general_feedback_html if grade.correct else "",
    }


@require_POST
def answer(request, course_slug, chapter_slug):
    """Grade one exercise answer, then show the result on the chapter page (post/redirect/get)."""
    page = selectors.chapter_page(course_slug=course_slug, chapter_slug=chapter_slug)
    chapter_url = page.url
    if not request.user.is_authenticated:
        return redirect_to_login(chapter_url)
    if not hit(scope="answer", key=requester(request)):
        return render(
            request, "learning/too_many_answers.html", {"chapter": page.chapter}, status=429
        )
    course = page.chapter.course
    if (
        course.exam_enabled
        and ExamAttempt.objects.filter(
            learner=request.user, course=course, submitted_at__isnull=True
        ).exists()
    ):
        # The exam draws from these questions: no verdicts while an attempt is open.
        messages.warning(request, _("Hand in your final exam first: exercises wait until then."))
        return redirect(chapter_url)
    posted = request.POST.get("question", "")
    question = chapter_question(chapter=page.chapter, question_id=posted)
    if question is None:
        raise Http404("No such question on this page.")
    question.chapter = page.chapter
    # A plain redirect: redirect() would first try the address as a URL name.
    back = HttpResponseRedirect(f"{chapter_url}#exercise-{question.pk}")
    try:
        response = response_from_post(
            question=question, data=request.POST, seed=learner_seed(request.user)
        )
    except ResponseError as error:
        # Not an answer at all (a number that is not one): say so, record nothing.
        _verdict_write(back, request, page, {"q": question.pk, "invalid": str(error)})
        return back
    outcome = services.answer_submit(learner=request.user, question=question, response=response)
    _verdict_write(back, request, page, {"q": question.pk, "r": response})
    if outcome.course_completed:
        congratulate_on_completion(request, page.chapter.course)
    return back


@require_POST
def chapter_done(request, course_slug, chapter_slug):
    """The learner reached the end of the page, or pressed "Next page"."""
    page = selectors.chapter_page(course_slug=course_slug, chapter_slug=chapter_slug)
    completed = False
    if request.user.is_authenticated:
        completed = services.chapter_finish(learner=request.user, chapter=page.chapter)
    if completed:
        congratulate_on_completion(request, page.chapter.course)
    if request.POST.get("beacon"):
        return HttpResponse(status=204)
    if request.POST.get("next") == "exam" and page.chapter.course.exam_enabled and not completed:
        return redirect("learning:exam", page.chapter.course.slug)
    if page.next is not None and not completed:
        if request.user.is_authenticated:
            progress.chapter_reach(learner=request.user, chapter=page.next)
        return redirect(page.next)
    return redirect(page.chapter.course)


@never_cache
@login_required
def question_report(request, course_slug, chapter_slug, question_id):
    """ "Report a problem with this question": a reason from a fixed list, once per learner
    and question, rate-limited; three learners' reports send the item back to review."""
    page = selectors.chapter_page(course_slug=course_slug, chapter_slug=chapter_slug)
    question = chapter_question(chapter=page.chapter, question_id=question_id)
    if question is None:
        raise Http404
    form = QuestionReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not hit(scope="report", key=requester(request)):
            return too_many_requests(request, what=_("reports"))
        question_report_record(
            question=question, learner=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("Thank you. The course's editors will look at this question."))
        return redirect(f"{page.chapter.get_absolute_url()}#exercise-{question.pk}")
    return render(
        request,
        "learning/question_report.html",
        {
            "form": form,
            "question": question,
            "chapter": page.chapter,
            "course": page.chapter.course,
        },
    )


@login_required
@require_GET
def data_export(request):
    """ "Download my data": one JSON file, versioned (learning.learner_data)."""
    document = learner_data.learner_data_export(learner=request.user)
    response = JsonResponse(document, json_dumps_params={"indent": 2, "ensure_ascii": False})
    stamp = timezone.now().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="chapterwise-my-data-{stamp}.json"'
    return response


@login_required
def account_delete(request):
    """ "Delete my account", confirmed with the password; then the learner is logged out."""
    form = PasswordConfirmForm(
        request.POST or None, user=request.user, submit=_("Delete my account for good")
    )
    if request.method == "POST":
        if not hit(scope="password-confirm", key=requester(request)):
            return too_many_requests(request, what=_("Too many password checks for this account."))
        if form.is_valid():
            learner_data.learner_erase(learner=request.user, via=AccountErasure.Via.SELF)
            logout(request)
            return render(request, "learning/account_deleted.html")
    return render(
        request,
        "learning/account_delete.html",
        {"form": form, "certificate_count": certificates_of(learner=request.user).count()},
    )


@login_required
def profile(request):
    form = FullNameForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        issued = services.certificates_issue_pending(learner=user)
        if issued:
            messages.success(request, _("Your name is saved and your certificate is ready."))
        else:
            messages.success(request, _("Your name is saved."))
        return redirect(next_url(request, "profile"))
    return render(request, "learning/profile.html", {"form": form, "next": next_url(request, "")})


# --- the final exam ----------------------------------------------------------------------


def _exam_context(request, course):
    state = progress.course_progress(learner=request.user, course=course)
    return exam.exam_state(learner=request.user, course=course, all_read=state.all_read), state


@login_required
def exam_intro(request, course_slug):
    """The exam's intro: questions, pass mark, attempts left, time limit; or why it is shut."""
    course = selectors.course_get(slug=course_slug)
    if not course.exam_enabled:
        raise Http404("This course has no final exam.")
    state, progress_state = _exam_context(request, course)
    if request.method == "POST":
        try:
            attempt = exam.exam_start(
                learner=request.user, course=course, all_read=progress_state.all_read
            )
        except exam.ExamError as error:
            messages.error(request, str(error))
            return redirect("learning:exam", course_slug=course.slug)
        return redirect("learning:exam_take", course_slug=course.slug, attempt_id=attempt.pk)
    return render(request, "learning/exam_intro.html", {"course": course, "exam": state})


def _own_attempt(request, course, attempt_id) -> ExamAttempt:
    # Another learner's attempt is "not found": ids are not confirmed.
    return get_object_or_404(ExamAttempt, pk=attempt_id, course=course, learner_id=request.user.pk)


def _exam_prefix(question) -> str:
    return f"q{question.pk}-"


def _exam_seed(attempt: ExamAttempt) -> str:
    return f"exam:{attempt.pk}:{attempt.seed}"


@login_required
def exam_take(request, course_slug, attempt_id):
    """One page with every drawn question; POST submits (graded once, by the server's clock)."""
    course = selectors.course_get(slug=course_slug)
    attempt = _own_attempt(request, course, attempt_id)
    if attempt.submitted_at is None and request.method == "GET":
        exam.exam_close_expired(learner=request.user, course=course)
        attempt.refresh_from_db()
    if attempt.submitted_at is not None:
        return redirect("learning:exam_result", course_slug=course.slug, attempt_id=attempt.pk)
    questions = {
        q.pk: q
        for q in Question.objects.filter(pk__in=attempt.question_ids).prefetch_related("choices")
    }
    drawn = [questions[qid] for qid in attempt.question_ids if qid in questions]
    if request.method == "POST":
        responses = {
            question.pk: response_from_post(
                question=question,
                data=request.POST,
                seed=_exam_seed(attempt),
                prefix=_exam_prefix(question),
                required=False,
            )
            for question in drawn
        }
        graded, completed = services.exam_finish(attempt=attempt, responses=responses)
        if completed:
            congratulate_on_completion(request, course)
        return redirect("learning:exam_result", course_slug=course.slug, attempt_id=graded.pk)
    items = [
        (
            index,
            question,
            *exercise_options(question=question, seed=_exam_seed(attempt)),
            _exam_prefix(question),
        )
        for index, question in enumerate(drawn, start=1)
    ]
    seconds_left = (
        max(0, int((attempt.deadline - timezone.now()).total_seconds()))
        if attempt.deadline
        else None
    )
    context = {
        "course": course,
        "attempt": attempt,
        "items": items,
        "total": len(items),
        "seconds_left": seconds_left,
    }
    return render(request, "learning/exam_take.html", context)


@login_required
def exam_result(request, course_slug, attempt_id):
    """Score, pass or fail, and the review: missed questions with links to their passages;
    the right answers only once the learner passed."""
    course = selectors.course_get(slug=course_slug)
    attempt = _own_attempt(request, course, attempt_id)
    if attempt.submitted_at is None:
        return redirect("learning:exam_take", course_slug=course.slug, attempt_id=attempt.pk)
    state, _ = _exam_context(request, course)
    # Never while another attempt is open: the same bank feeds it.
    # Only after a pass: attempts come back every day, so "no attempts left" today would hand
    # a learner tomorrow's answers (issue 26: exam answers could be harvested).
    show_answers = bool(state.passed) and not state.in_progress
    order = {question_id: n for n, question_id in enumerate(attempt.question_ids)}
    missed = sorted(
        Question.objects.filter(pk__in=attempt.missed_ids)
        .select_related("source_chapter")
        .prefetch_related("choices"),
        key=lambda question: order.get(question.pk, 0),
    )
    chapter_urls = selectors.chapter_urls(
        chapter_ids=[
            q.source_chapter_id or q.chapter_id
            for q in missed
            if q.source_chapter_id or q.chapter_id
        ]
    )
    given = (
        exam_responses(
            learner=request.user, attempt_key=f"exam:{attempt.pk}", question_ids=attempt.missed_ids
        )
        if show_answers
        else {}
    )
    review = [
        (
            question,
            passage_url(question, chapter_urls),
            right_answers(question) if show_answers else [],
            response_in_words(question=question, response=given.get(question.pk) or {}),
        )
        for question in missed
    ]
    context = {
        "course": course,
        "attempt": attempt,
        "exam": state,
        "review": review,
        "show_answers": show_answers,
    }
    return render(request, "learning/exam_result.html", context)


def right_answers(question) -> list[str]:
    """The right answer(s) in words, whatever the question type."""
    choices = list(question.choices.all())
    if question.qtype == Question.Type.MATCHING:
        return [f"{c.text} → {c.match_text}" for c in choices if c.text and c.match_text]
    if question.qtype == Question.Type.NUMERICAL:
        return [
            f"{c.value:g}" + (f" ± {c.tolerance:g}" if c.tolerance else "")
            for c in choices
            if c.value is not None and c.fraction == 1
        ]
    if question.qtype == Question.Type.MULTIPLE:
        return [c.text for c in choices if c.fraction > 0]
    return [c.text for c in choices if c.fraction == 1]


def passage_url(question, chapter_urls) -> str:
    """Where a question's passage is read: its chapter's page at the passage's anchor."""
    chapter_id = question.source_chapter_id or question.chapter_id
    url = chapter_urls.get(chapter_id, "")
    if url and question.source_anchor:
        url += f"#{question.source_anchor}"
    return url
