"""Quiz items generated from chapter structure: the service around quizzes.textgen.

The text heuristics (sections, stems, distractors) are pure functions in quizzes.textgen;
this module reads chapters, writes questions and reports. Everything is deterministic: a
rerun finds its earlier items by ``source_key`` and creates nothing new.
"""

import hashlib
import random
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max, Q
from django.utils.text import slugify

from courses.models import Chapter, Course
from quizzes.models import Choice, Question
from quizzes.textgen import (
    DISTRACTORS,
    Skip,
    chapter_sections,
    choose_distractors,
    collective_noun,
    is_term,
    section_stem,
)

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


def source_key(*, chapter: Chapter, term: str) -> str:
    slug = slugify(term) or hashlib.sha1(term.encode()).hexdigest()[:12]  # noqa: S324
    key = f"gen:{chapter.pk}:{slug}"
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
) -> GenerationReport:
    """Make single-choice items from the course's ``## Term`` sections, once each.

    Items already generated (same ``source_key``) are counted, not recreated. The first
    new item of a chapter becomes its exercise only when the chapter has no published
    question and no generated one attached; the others go to the course's bank
    (``chapter=None``), because a chapter's exercise is *all* its published questions
    and a learner must pass every one of them.
    """
    if chapter is not None and chapter.course_id != course.pk:
        raise ValueError(f"chapter {chapter} is not in course {course}")
    chapters = list(course.chapters.order_by("position"))
    parsed = {ch.pk: chapter_sections(ch.body_markdown) for ch in chapters}
    terms = {
        ch.pk: [section.term for section in parsed[ch.pk][1] if is_term(section.term)]
        for ch in chapters
    }
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
    for ch in chapters:
        if chapter is not None and ch.pk != chapter.pk:
            continue
        result = ChapterResult(ch)
        report.chapters.append(result)
        intro, sections = parsed[ch.pk]
        noun = collective_noun(
            chapter_title=ch.title,
            intro=intro,
            course_title=course.title,
            course_summary=course.summary,
        )
        others = [term for other in chapters if other.pk != ch.pk for term in terms[other.pk]]
        seen_keys: set[str] = set()
        for section in sections:
            key = source_key(chapter=ch, term=section.term)
            try:
                if not is_term(section.term):
                    raise Skip("a framing heading, not a term")
                if key in seen_keys:
                    raise Skip("the same heading appears earlier in the chapter")
                seen_keys.add(key)
                if key in existing_keys:
                    result.existing += 1
                    continue
                stem = section_stem(term=section.term, paragraph=section.paragraph, noun=noun)
                distractors = choose_distractors(
                    answer=section.term, siblings=terms[ch.pk], others=others, seed=key
                )
                if len(distractors) < DISTRACTORS:
                    raise Skip(
                        f"only {len(distractors)} other terms to offer as distractors"
                        f" (needs {DISTRACTORS})"
                    )
            except Skip as why:
                result.skipped.append(SkippedSection(ch, section.term, str(why)))
                continue
            attach = ch.pk not in has_exercise
            has_exercise.add(ch.pk)
            position += 1
            question = Question.objects.create(
                course=course,
                chapter=ch if attach else None,
                category=f"Generated/{ch.title}"[:255],
                qtype=Question.Type.SINGLE,
                stem_markdown=stem,
                status=status,
                origin=Question.Origin.GENERATED,
                position=position,
                source_key=key,
            )
            options = [(section.term, 1), *((text, 0) for text in distractors)]
            random.Random(f"{key}:order").shuffle(options)
            for choice_position, (text, fraction) in enumerate(options, start=1):
                # One save per row: Choice.save() renders the Markdown of each option.
                Choice.objects.create(
                    question=question, position=choice_position, text=text, fraction=fraction
                )
            existing_keys.add(key)
            result.created.append(question)
    return report
