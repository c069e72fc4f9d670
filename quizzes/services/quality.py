"""Items that earn their place (issue 24): per-item statistics from learners' answers,
learners' reports, and the rules that send a published item back to review.

An item goes back to review, with its reason, when after enough first tries it tells nothing
(facility above 0.97) or most learners miss it (below 0.20, often a wrong key), when the
course's strongest learners pick a distractor more often than the key, or when three learners
reported it. If it was a chapter's exercise, another published item of that chapter from the
bank takes its place, so that no chapter is left without an exercise while one is available.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Case, When

from ..models import Attempt, Choice, Question, QuestionReport
from ..reports import exam_discrimination

REPORTS_TO_REVIEW = 3
MIN_FIRST_TRIES = 30
FACILITY_HIGH, FACILITY_LOW = 0.97, 0.20
# The top third needs this many answers to an item before its picks say anything.
MIN_TOP_ANSWERS = 5


@dataclass
class ItemStatistics:
    first_tries: int = 0
    first_right: int = 0
    exam_answers: int = 0
    discrimination: float | None = None
    # option text -> share of the answers (first tries and exam answers) that picked it
    picks: dict[str, float] = field(default_factory=dict)
    # the same among the answers of the course's top third of learners
    top_picks: dict[str, float] = field(default_factory=dict)
    top_answers: int = 0
    key: str = ""
    reports: int = 0

    @property
    def facility(self) -> float | None:
        return self.first_right / self.first_tries if self.first_tries else None


def _picked(response) -> list[str]:
    if not isinstance(response, dict):
        return []
    if "choice" in response:
        return [str(response["choice"])]
    if isinstance(response.get("choices"), list):
        return [str(key) for key in response["choices"]]
    return []


def item_statistics(*, questions: list[Question]) -> dict[int, ItemStatistics]:
    """Per question: first tries and facility, exam answers and discrimination, per-option
    pick rates overall and among the top third of learners, and learners' reports.

    The top third ranks the learners who answered these questions by their share of right
    first tries and exam answers across them. Four queries whatever the number of questions.
    """
    ids = [question.pk for question in questions]
    stats = {question_id: ItemStatistics() for question_id in ids}
    texts: dict[str, str] = {}
    for choice_key, question_id, text, fraction in Choice.objects.filter(
        question_id__in=ids
    ).values_list("key", "question_id", "text", "fraction"):
        texts[choice_key] = text
        if fraction > 0 and not stats[question_id].key:
            stats[question_id].key = text
    answers: list[tuple[int, int, list[str], bool]] = []  # question, learner, picks, right
    seen: set[tuple[int, int]] = set()
    for question_id, learner_id, context, response, correct in (
        Attempt.objects.filter(question_id__in=ids)
        .order_by("created_at", "pk")
        .values_list("question_id", "learner_id", "context", "response", "correct")
        .iterator(chunk_size=2000)
    ):
        item = stats[question_id]
        if context == Attempt.Context.EXERCISE:
            if (learner_id, question_id) in seen:
                continue  # only a learner's first try tells how hard the item is
            seen.add((learner_id, question_id))
            item.first_tries += 1
            item.first_right += bool(correct)
        else:
            item.exam_answers += 1
        answers.append((question_id, learner_id, _picked(response), bool(correct)))
    learners: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for _question_id, learner_id, _picks, correct in answers:
        learners[learner_id][0] += correct
        learners[learner_id][1] += 1
    ranked = sorted(learners, key=lambda learner: learners[learner][0] / learners[learner][1])
    top = set(ranked[-(len(ranked) // 3) :]) if len(ranked) >= 3 else set()
    all_picks: dict[int, Counter] = defaultdict(Counter)
    top_picks: dict[int, Counter] = defaultdict(Counter)
    for question_id, learner_id, picks, _correct in answers:
        for key in picks:
            all_picks[question_id][texts.get(key, "?")] += 1
            if learner_id in top:
                top_picks[question_id][texts.get(key, "?")] += 1
        if learner_id in top:
            stats[question_id].top_answers += 1
    for question_id, item in stats.items():
        total = sum(all_picks[question_id].values())
        item.picks = (
            {t: n / total for t, n in all_picks[question_id].most_common()} if total else {}
        )
        top_total = sum(top_picks[question_id].values())
        item.top_picks = (
            {t: n / top_total for t, n in top_picks[question_id].most_common()} if top_total else {}
        )
    for question_id, value in exam_discrimination(question_ids=ids).items():
        stats[question_id].discrimination = value
    for question_id, count in Counter(
        QuestionReport.objects.filter(question_id__in=ids).values_list("question_id", flat=True)
    ).items():
        stats[question_id].reports = count
    return stats


def review_reasons(item: ItemStatistics) -> list[str]:
    """Why the learners' answers say an item should go back to review (empty: it stays)."""
    reasons = []
    facility = item.facility
    if facility is not None and item.first_tries >= MIN_FIRST_TRIES:
        if facility > FACILITY_HIGH:
            reasons.append(
                f"facility {facility:.2f} after {item.first_tries} first tries: nearly everyone "
                "gets it right, so it tells nothing"
            )
        elif facility < FACILITY_LOW:
            reasons.append(
                f"facility {facility:.2f} after {item.first_tries} first tries: most learners "
                "miss it (check the key)"
            )
    if item.key and item.top_answers >= MIN_TOP_ANSWERS:
        key_share = item.top_picks.get(item.key, 0.0)
        for text, share in item.top_picks.items():
            if text != item.key and share > key_share:
                reasons.append(
                    f"the strongest third of learners pick “{text[:60]}” ({share:.0%}) more "
                    f"often than the key ({key_share:.0%})"
                )
                break
    if item.reports >= REPORTS_TO_REVIEW:
        reasons.append(f"reported by {item.reports} learners")
    return reasons


@transaction.atomic
def question_send_to_review(*, question: Question, reason: str) -> Question | None:
    """Move a published item back to draft with its reason. If it was its chapter's
    exercise, a published item of the same chapter from the bank becomes the exercise (a
    single-choice one first); returns that replacement, if any."""
    chapter = question.chapter
    replacement = None
    if chapter is not None:
        replacement = (
            Question.objects.filter(
                course_id=question.course_id,
                chapter__isnull=True,
                source_chapter=chapter,
                status=Question.Status.PUBLISHED,
            )
            .exclude(pk=question.pk)
            .order_by(Case(When(qtype=Question.Type.SINGLE, then=0), default=1), "position", "pk")
            .first()
        )
        if replacement is not None:
            replacement.chapter = chapter
            replacement.save()
        question.source_chapter = question.source_chapter or chapter
        question.chapter = None
    question.status = Question.Status.DRAFT
    question.review_reason = reason[:200]
    question.save()
    return replacement


def questions_audit(*, course) -> list[tuple[Question, str]]:
    """Send back to review every published item of the course whose answers or reports say
    so; returns (item, reason) for each one moved."""
    questions = list(Question.objects.filter(course=course, status=Question.Status.PUBLISHED))
    stats = item_statistics(questions=questions)
    moved = []
    for question in questions:
        if reasons := review_reasons(stats[question.pk]):
            reason = "; ".join(reasons)
            question_send_to_review(question=question, reason=reason)
            moved.append((question, reason))
    return moved


@transaction.atomic
def question_report(*, question: Question, learner, reason: str) -> bool:
    """Record a learner's report (once per learner and item); the third learner's report
    sends a published item back to review. True when this report is new."""
    if reason not in QuestionReport.Reason.values:
        raise ValueError(f"unknown reason {reason!r}")
    # A fresh, locked row: the caller's object may come from the shared content cache, which
    # readers never change; the lock makes two third reports send the item back once.
    question = Question.objects.select_for_update().get(pk=question.pk)
    _report, created = QuestionReport.objects.get_or_create(
        question=question, learner=learner, defaults={"reason": reason}
    )
    if created and question.status == Question.Status.PUBLISHED:
        count = QuestionReport.objects.filter(question=question).count()
        if count >= REPORTS_TO_REVIEW:
            question_send_to_review(question=question, reason=f"reported by {count} learners")
    return created
