"""Planning a course's items: every item the text allows, per chapter, with what it skipped."""

import random
from dataclasses import dataclass, field

from .candidates import Definition, Skip, section_definitions
from .distractors import choose_distractors, fair_options
from .reading import TERM_SEPARATOR, Section, chapter_sections, is_term, passage_digest
from .stems import collective_noun
from .words import (
    DISTRACTORS,
    stem_words,
    word_roots,
)

# --- planning a course's items (pure) ---------------------------------------------------

SINGLE, MATCHING, MISSING_WORD, TRUE_FALSE = "single", "matching", "missingword", "truefalse"
KINDS = (SINGLE, MATCHING, MISSING_WORD, TRUE_FALSE)
BLANK = "_____"
MATCHING_PAIRS = (4, 6)


@dataclass(frozen=True)
class ChapterText:
    key: str  # identifies the chapter to the caller (its primary key)
    title: str
    body: str


@dataclass(frozen=True)
class PlannedItem:
    kind: str
    term: str  # the keyed answer (for matching: the first pair's term)
    stem: str
    # single, missing word, true/false: (text, fraction); matching: (sub-question, answer)
    options: tuple[tuple[str, object], ...]
    section: Section
    # What the stem was made from: the defining clause, for the bench and the review screen.
    clause: str = ""
    siblings_only: bool = True
    # Matching: every pair's passage (an edit to any of them sends the item to draft).
    sections: tuple = ()

    @property
    def slug(self) -> str:
        return f"{self.kind}:{self.term}"


@dataclass
class PlannedChapter:
    chapter: ChapterText
    sections: int = 0
    items: list[PlannedItem] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (heading, reason)
    # Why nothing could be recognised at all, when that is the case.
    nothing_because: str = ""


def item_source(item: "PlannedItem") -> tuple[str, str]:
    """(source term, digest) kept with a saved item: for matching, every pair's passage."""
    sections = item.sections or (item.section,)
    terms = TERM_SEPARATOR.join(section.term for section in sections)
    return terms, passage_digest("\n".join(section.paragraph for section in sections))


def plan_course(
    *,
    chapters: list[ChapterText],
    course_title: str = "",
    course_summary: str = "",
    kinds: tuple[str, ...] = KINDS,
) -> list[PlannedChapter]:
    """Every item the course's text allows, per chapter, with the reasons for what it skips.

    One term is asked once in the course (the first chapter that defines it), one
    definition is keyed to one term, and distractors are the term's siblings (the same
    level under the same parent), then other terms of the chapter, then of the course.
    """
    parsed = [(chapter, *chapter_sections(chapter.body)) for chapter in chapters]
    all_terms = [
        s.term
        for _, _, sections in parsed
        for s in sections
        if s.shape != "parent" and is_term(s.term)
    ]
    asked_terms: set[str] = set()
    asked_stems: set[str] = set()
    plans = []
    for chapter, intro, sections in parsed:
        plan = PlannedChapter(chapter)
        plans.append(plan)
        noun = collective_noun(
            chapter_title=chapter.title,
            intro=intro,
            course_title=course_title,
            course_summary=course_summary,
        )
        lead = f"Which of the following {noun}" if noun else "Which of the following"
        groups: dict[str, list[str]] = {}
        for section in sections:
            if section.shape != "parent" and is_term(section.term):
                groups.setdefault(section.group, []).append(section.term)
        chapter_terms = [t for terms in groups.values() for t in terms]
        others = [t for t in all_terms if t not in chapter_terms]
        defined: list[tuple[Section, Definition]] = []
        for section in sections:
            if section.shape == "parent":
                continue
            plan.sections += 1
            try:
                if not is_term(section.term):
                    raise Skip("a framing heading, not a term")
                if section.term.casefold() in asked_terms:
                    raise Skip("already asked earlier in the course")
                definitions = section_definitions(
                    term=section.term, paragraph=section.paragraph, lead=lead
                )
            except Skip as why:
                plan.skipped.append((section.term, str(why)))
                continue
            fresh = [d for d in definitions if d.stem.casefold() not in asked_stems]
            if not fresh:
                plan.skipped.append((section.term, "the same definition is asked for another term"))
                continue
            asked_terms.add(section.term.casefold())
            asked_stems.add(fresh[0].stem.casefold())
            defined.append((section, fresh))
        kept: list[tuple[Section, Definition]] = []
        for section, definitions in defined:
            siblings = [t for t in groups.get(section.group, []) if t != section.term]
            cousins = [t for t in chapter_terms if t not in siblings and t != section.term]
            made: list[PlannedItem] | str = "no definition"
            for definition in definitions:
                made = _items_for(section, definition, siblings, cousins + others, kinds)
                if not isinstance(made, str):
                    kept.append((section, definition))
                    break
            if isinstance(made, str):
                plan.skipped.append((section.term, made))
            else:
                plan.items.extend(made)
        if MATCHING in kinds:
            plan.items.extend(_matching_items(kept, groups))
        if not sections:
            plan.nothing_because = (
                "no headings, bold-term lists or 'Term: definition' runs: nothing names a term"
            )
        elif not plan.items and not defined:
            plan.nothing_because = "no section defines its term in a phrasing the generator knows"
    return plans


def _items_for(section, definition, siblings, fallback, kinds) -> list[PlannedItem] | str:
    seed = f"gen:{section.group}:{section.term}"
    words = stem_words(definition.stem)
    distractors = choose_distractors(
        answer=section.term,
        siblings=siblings,
        others=fallback,
        seed=seed,
        must_share=words if word_roots(section.term) & words else None,
    )
    siblings_only = all(distractor in siblings for distractor in distractors)
    if len(distractors) < DISTRACTORS:
        return f"only {len(distractors)} other terms to offer as distractors (needs {DISTRACTORS})"
    stem = definition.stem
    if not fair_options(stem, section.term, distractors):
        return "the answer is the only option sharing a word with the stem"
    items = []
    rng = random.Random(f"{seed}:order")
    if SINGLE in kinds:
        options = [(section.term, 1), *((text, 0) for text in distractors)]
        rng.shuffle(options)
        items.append(
            PlannedItem(
                SINGLE,
                section.term,
                stem,
                tuple(options),
                section,
                definition.clause,
                siblings_only,
            )
        )
    sentence = _sentence(definition)
    if MISSING_WORD in kinds and sentence:
        options = [(section.term, 1), *((text, 0) for text in distractors)]
        rng.shuffle(options)
        items.append(
            PlannedItem(
                MISSING_WORD,
                section.term,
                f"{BLANK} {sentence}",
                tuple(options),
                section,
                definition.clause,
                siblings_only,
            )
        )
    if TRUE_FALSE in kinds and sentence and definition.verb in _SINGLES_OUT:
        # Half the statements name the right term, half a sibling: "True" is no safe guess.
        truthful = rng.random() < 0.5
        named = section.term if truthful else distractors[0]
        statement = f"{named} {sentence}"
        options = [("True", 1 if truthful else 0), ("False", 0 if truthful else 1)]
        items.append(
            PlannedItem(
                TRUE_FALSE,
                section.term,
                statement,
                tuple(options),
                section,
                definition.clause,
                siblings_only,
            )
        )
    return items


# Verbs after which a definition singles out its term (true/false statements need that;
# "helps you ..." could be said of several techniques).
_SINGLES_OUT = {
    "involves",
    "consists of",
    "means",
    "refers to",
    "is about",
    "is",
    "are",
    ":",
    "gloss",
}


def _sentence(definition: Definition) -> str:
    """The definition as a sentence whose subject is left out: "involves ... ."."""
    clause = definition.clause
    if len(clause.split()) < 3:
        return ""
    verb = definition.verb
    if verb == ":":
        return ""
    if verb == "gloss":
        return f"means {clause[:1].lower() + clause[1:]}."
    return f"{verb} {clause}."


def _matching_items(defined, groups) -> list[PlannedItem]:
    """One matching item per group of four to six sibling terms with clean definitions."""
    by_group: dict[str, list[tuple[Section, Definition]]] = {}
    for section, definition in defined:
        if len(definition.clause.split()) >= 3 and definition.verb != ":":
            by_group.setdefault(section.group, []).append((section, definition))
    items = []
    low, high = MATCHING_PAIRS
    for entries in by_group.values():
        while len(entries) >= low:
            chunk, entries = entries[:high], entries[high:]
            if 0 < len(entries) < low and len(chunk) > low:
                # Keep the rest large enough for an item of its own.
                move = low - len(entries)
                entries = chunk[-move:] + entries
                chunk = chunk[:-move]
            pairs = tuple(
                (f"{d.verb} {d.clause}"[:1].upper() + f"{d.verb} {d.clause}"[1:], s.term)
                for s, d in chunk
            )
            items.append(
                PlannedItem(
                    MATCHING,
                    chunk[0][0].term,
                    "Match each description with the term it describes.",
                    pairs,
                    chunk[0][0],
                    sections=tuple(section for section, _ in chunk),
                )
            )
    return items
