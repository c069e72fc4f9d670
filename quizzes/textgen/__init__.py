"""The generator's text heuristics: pure functions of Markdown and strings, no database.

A chapter is read into passages (``reading``): headings at any level, bold-lead lists,
definition lists, "Term: definition" runs, and the sentences of running prose. Each passage
may yield candidates (``candidates``: definitions, instructions, reasons), which become
stems (``stems``) with options of the same kind (``distractors``). Every planned item then
passes the quality gate (``gate``) or is skipped with its reason, and the planner (``plan``;
``items`` holds what it makes, ``lists`` the items drawn from a whole list or chapter) picks
the best item per point for the chapter exercise and keeps the others for the exam.
quizzes.services.generation turns the plan into questions.

Everything here is deterministic: the same text always yields the same stems and options.
"""

from .candidates import Definition, Skip, section_definition, section_definitions, section_stem
from .distractors import choose_distractors
from .items import (
    BLANK,
    KINDS,
    MATCHING,
    MISSING_WORD,
    SINGLE,
    TRUE_FALSE,
    ChapterText,
    PlannedChapter,
    PlannedItem,
    item_source,
)
from .plan import chapter_passages, plan_course
from .reading import (
    TERM_SEPARATOR,
    Section,
    chapter_sections,
    heading_anchor,
    is_term,
    passage_digest,
    source_digest,
)
from .stems import collective_noun
from .words import term_forms

__all__ = [
    "BLANK",
    "KINDS",
    "MATCHING",
    "MISSING_WORD",
    "SINGLE",
    "TERM_SEPARATOR",
    "TRUE_FALSE",
    "ChapterText",
    "Definition",
    "PlannedChapter",
    "PlannedItem",
    "Section",
    "Skip",
    "chapter_passages",
    "chapter_sections",
    "choose_distractors",
    "collective_noun",
    "heading_anchor",
    "is_term",
    "item_source",
    "passage_digest",
    "plan_course",
    "section_definition",
    "section_definitions",
    "section_stem",
    "source_digest",
    "term_forms",
]
