"""Quiz items generated from chapter structure: the service around quizzes.textgen.

The text heuristics (sections, stems, distractors) are pure functions in quizzes.textgen;
this module reads chapters, writes questions and reports. Everything is deterministic: a
rerun finds its earlier items by ``source_key`` and creates nothing new.
"""

import hashlib
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max, Q
from django.utils.text import slugify

from courses.models import Chapter, Course
from quizzes.models import Choice, Question
from quizzes.textgen import KINDS, MATCHING, SINGLE, ChapterText, item_source, plan_course

_SOURCE_KEY_MAX = 64


@dataclass(frozen=True)
class SkippedSection:
    chapter: Chapter
    heading: str
    reason: str


@dataclass
class ChapterResult:
    chapter: Chapter
    created: list[Question] = field(default_factory=list)
    existing: int = 0
    skipped: list[SkippedSection] = field(default_factory=list)
    sections: int = 0
    nothing_because: str = ""

    def made(self, kind: str) -> int:
        return sum(1 for question in self.created if question.qtype == kind)


@dataclass
class GenerationReport:
    chapters: list[ChapterResult] = field(default_factory=list)

    @property
    def created(self) -> list[Question]:
        return [question for result in self.chapters for question in result.created]

    @property
    def existing(self) -> int:
        return sum(result.existing for result in self.chapters)

    @property
    def skipped(self) -> list[SkippedSection]:
        return [skip for result in self.chapters for skip in result.skipped]


def source_key(*, chapter: Chapter, term: str, kind: str = SINGLE, variant: str = "") -> str:
    """A stable key per chapter, term, kind and variant (a point's second item, a NOT-one-of
    item): a rerun finds what it made before."""
    slug = slugify(term) or hashlib.sha1(term.encode()).hexdigest()[:12]  # noqa: S324
    if re.search(r"[^\w\s'’.,()-]", term):
        # "@mention" and "mention" slugify alike: tell them apart.
        slug = f"{slug}-{hashlib.sha1(term.encode()).hexdigest()[:6]}"  # noqa: S324
    kind_part = ("" if kind == SINGLE else f"{kind}:") + (f"v{variant}:" if variant else "")
    key = f"gen:{chapter.pk}:{kind_part}{slug}"
    if len(key) > _SOURCE_KEY_MAX:
        digest = hashlib.sha1(slug.encode()).hexdigest()[:8]  # noqa: S324
        key = f"{key[: _SOURCE_KEY_MAX - 9]}-{digest}"
    return key


# --- the service -----------------------------------------------------------------------


@transaction.atomic
def questions_generate(
    *,
    course: Course,
    chapter: Chapter | None = None,
    status: str = Question.Status.PUBLISHED,
    kinds: tuple[str, ...] = KINDS,
) -> GenerationReport:
    """Make items of the chosen kinds from the course's text, once each.

    The text heuristics are quizzes.textgen's (pure); this saves what they plan. Items
    already generated (same ``source_key``) are counted, not recreated. The chapter's best
    single-choice item (the plan marks it) becomes its exercise only when the chapter has no
    published question and no generated one attached; the others go to the course's bank
    (``chapter=None``), because a chapter's exercise is *all* its published questions and a
    learner must pass every one of them.
    """
    if chapter is not None and chapter.course_id != course.pk:
        raise ValueError(f"chapter {chapter} is not in course {course}")
    unknown = set(kinds) - set(KINDS)
    if unknown:
        raise ValueError(f"unknown kinds {sorted(unknown)}; choose from {', '.join(KINDS)}")
    chapters = list(course.chapters.order_by("position"))
    plans = plan_course(
        chapters=[ChapterText(str(ch.pk), ch.title, ch.body_markdown) for ch in chapters],
        course_title=course.title,
        course_summary=course.summary,
        kinds=tuple(kinds),
    )
    existing_keys = set(
        course.questions.exclude(source_key="").values_list("source_key", flat=True)
    )
    has_exercise = set(
        Question.objects.filter(course=course, chapter__isnull=False)
        .filter(Q(status=Question.Status.PUBLISHED) | Q(origin=Question.Origin.GENERATED))
        .values_list("chapter_id", flat=True)
    )
    position = course.questions.aggregate(last=Max("position"))["last"] or 0
    report = GenerationReport()
    for ch, plan in zip(chapters, plans, strict=True):
        if chapter is not None and ch.pk != chapter.pk:
            continue
        result = ChapterResult(
            ch,
            sections=plan.sections,
            skipped=[SkippedSection(ch, heading, reason) for heading, reason in plan.skipped],
            nothing_because=plan.nothing_because,
        )
        report.chapters.append(result)
        for item in plan.items:
            key = source_key(chapter=ch, term=item.term, kind=item.kind, variant=item.variant)
            if key in existing_keys:
                result.existing += 1
                continue
            source_terms, digest = item_source(item)
            attach = item.exercise and ch.pk not in has_exercise
            if attach:
                has_exercise.add(ch.pk)
            position += 1
            question = Question.objects.create(
                course=course,
                chapter=ch if attach else None,
                category=f"Generated/{ch.title}"[:255],
                qtype=item.kind,
                stem_markdown=item.stem,
                status=status,
                origin=Question.Origin.GENERATED,
                position=position,
                source_key=key,
                source_chapter=ch,
                source_term=source_terms[:200],
                source_anchor=item.section.anchor[:120],
                source_digest=digest,
            )
            for choice_position, (text, value) in enumerate(item.options, start=1):
                # One save per row: Choice.save() renders the Markdown of each option.
                if item.kind == MATCHING:
                    Choice.objects.create(
                        question=question, position=choice_position, text=text, match_text=value
                    )
                else:
                    Choice.objects.create(
                        question=question, position=choice_position, text=text, fraction=value
                    )
            existing_keys.add(key)
            result.created.append(question)
    return report
