"""Planning a course's items: every item the text allows, per chapter, with what it skipped."""

import random
import re
from dataclasses import dataclass, replace

from .candidates import Definition, Skip, section_definitions
from .distractors import choose_distractors
from .gate import false_statement_faults, item_faults, near_duplicates, stem_faults
from .instructions import is_instruction_term as is_instruction
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
    can_be_subject,
    is_advice,
)
from .lists import matching_items, not_one_of, statement_items
from .reading import (
    Section,
    chapter_paragraphs,
    chapter_sections,
    is_term,
)
from .statements import chapter_advice, chapter_statements
from .stems import collective_noun
from .words import (
    DISTRACTORS,
    STOP_WORDS,
    VERBS,
    split_sentences,
    stem_words,
    word_roots,
)


def plan_course(
    *,
    chapters: list[ChapterText],
    course_title: str = "",
    course_summary: str = "",
    kinds: tuple[str, ...] = KINDS,
) -> list[PlannedChapter]:
    """Every item the course's text allows, per chapter, with the reasons for what it skips.

    One term is asked about in one chapter (the first that defines it), one definition is
    keyed to one term, and distractors are the term's siblings (the same level under the
    same parent), then other terms of the chapter, then of the course. A point gets up to
    two single-choice items from two different sentences, so that the chapter exercise (the
    chapter's best item, ``exercise=True``) and the exam bank never ask the same thing; the
    missing-word and true/false variants take the second sentence when there is one. Every
    item passes the quality gate or is skipped with its reasons.
    """
    parsed = [(chapter, *chapter_sections(chapter.body)) for chapter in chapters]
    all_terms = [
        s.term
        for _, _, sections in parsed
        for s in sections
        if s.shape not in ("parent", "called") and is_term(s.term)
    ]
    passages = {
        s.term.casefold(): s.paragraph for _, _, sections in parsed for s in sections if s.paragraph
    }
    asked_terms: set[str] = set()
    asked_stems: set[str] = set()
    parsed_paragraphs = {chapter.key: chapter_paragraphs(chapter.body) for chapter in chapters}
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
            if section.shape not in ("parent", "called") and is_term(section.term):
                groups.setdefault(section.group, []).append(section.term)
        chapter_terms = [t for terms in groups.values() for t in terms]
        others = [t for t in all_terms if t not in chapter_terms]
        context = _Context(kinds, passages, plan)
        glossary = noun is not None or _glossary_like(sections, lead)
        defined: list[tuple[Section, list[Definition]]] = []
        for section in sections:
            if section.shape == "parent":
                continue
            plan.sections += 1
            try:
                if not is_term(section.term):
                    raise Skip("a framing heading, not a term")
                if section.term.casefold() in asked_terms:
                    raise Skip("already asked earlier in the course")
                if section.shape == "called":
                    definitions = [_called_definition(section)]
                else:
                    definitions = _fitting(
                        section_definitions(
                            term=section.term, paragraph=section.paragraph, lead=lead
                        ),
                        section,
                        listed=noun is not None,
                        glossary=glossary,
                    )
            except Skip as why:
                plan.skipped.append((section.term, str(why)))
                continue
            fresh = [d for d in definitions if d.stem.casefold() not in asked_stems]
            if not fresh:
                plan.skipped.append((section.term, "the same definition is asked for another term"))
                continue
            asked_terms.add(section.term.casefold())
            defined.append((section, fresh))
        kept: list[tuple[Section, Definition]] = []
        for section, definitions in defined:
            if section.shape == "called":
                siblings = [t for t in chapter_terms if t != section.term]
                fallback = others
            else:
                siblings = [t for t in groups.get(section.group, []) if t != section.term]
                cousins = [t for t in chapter_terms if t not in siblings and t != section.term]
                fallback = cousins + others
            made = _items_for(section, definitions, siblings, fallback, context)
            if made:
                kept.append((section, made[0]))
                asked_stems.update(d.stem.casefold() for d in made)
        if SINGLE in kinds:
            for terms in groups.values():
                listed = [s for s in sections if s.term in terms and s.shape != "parent"]
                if item := not_one_of(terms, chapter, noun, others, context, listed):
                    plan.items.append(item)
        if MATCHING in kinds:
            plan.items.extend(matching_items(kept, groups))
        statements = chapter_statements(paragraphs=parsed_paragraphs[chapter.key])
        said = {statement.sentence for statement in statements}
        statements += [
            claim
            for claim in chapter_advice(paragraphs=parsed_paragraphs[chapter.key])
            if claim.sentence not in said
        ]
        if TRUE_FALSE in kinds:
            plan.items.extend(statement_items(chapter, statements))
        # The best single-choice item is the exercise; a chapter of prose with none gets its
        # first true/false statement rather than no exercise at all.
        singles = [i for i in plan.items if i.kind == SINGLE and not i.variant] or [
            i for i in plan.items if i.variant == "flip"
        ][:1]
        if singles:
            best = min(singles, key=lambda item: item.score)
            plan.items[plan.items.index(best)] = replace(best, exercise=True)
        if not sections:
            plan.nothing_because = (
                "no headings, bold-term lists, advice paragraphs or 'Term: definition' runs: "
                "nothing names a term"
            )
        elif not plan.items and not defined:
            plan.nothing_because = "no section defines its term in a phrasing the generator knows"
    return plans


def _glossary_like(sections: list[Section], lead: str) -> bool:
    """Most of the chapter's terms are defined by a sentence about them, or it lists many
    short names (a glossary, a lesson of definitions), rather than being the headings of
    running prose."""
    terms = [
        s
        for s in sections
        if s.shape not in ("parent", "called") and s.paragraph and is_term(s.term)
    ]
    defined = 0
    for section in terms:
        try:
            found = section_definitions(term=section.term, paragraph=section.paragraph, lead=lead)
        except Skip:
            continue
        defined += found[0].source in ("defines", "colon", "gloss")
    if terms and defined * 2 >= len(terms):
        return True
    # Or a list of many short names (a glossary whose entries explain rather than define).
    names = [s for s in terms if len(s.term.split()) <= 3 and not is_advice(s.term)]
    return len(terms) >= 8 and len(names) >= 0.55 * len(terms)


def _fitting(
    definitions: list[Definition], section: Section, *, listed: bool, glossary: bool = True
) -> list[Definition]:
    """The definitions that can key this section's term.

    Advice ("Stay Calm") is keyed by what it tells you to do or why. A named term is keyed by
    a sentence that defines it or says what it does; by an instruction or a reason only when
    the text announces a list of such terms ("24 techniques"), because in other prose a
    heading is a section title ("Establishing a code of conduct"), not a term to learn. In
    prose that is neither a list of terms nor a glossary, only a sentence that defines the
    term, or a reason keyed to advice, is kept: the judges found the rest tested layout.
    """
    if section.shape == "question":
        return definitions
    if not listed and not glossary:
        keep = ("reason",) if is_advice(section.term) else ("defines",)
        kept = [d for d in definitions if d.source in keep]
        if not kept:
            raise Skip("prose that names no kind of term: only a defining sentence keys it")
        return kept
    if is_advice(section.term):
        return definitions
    words = section.term.split()
    if not listed and len(words) >= 2 and words[0].endswith("ing") and words[0][:1].isupper():
        raise Skip("a section title (an -ing phrase) in a text that names no kind of term")
    # A short name ("Ownership", "Rubber Ducking") is a term wherever it stands; a longer
    # heading is one only in a text that announces a list of such terms.
    kept = [
        d
        for d in definitions
        if listed or len(words) <= 2 or d.source not in ("instruction", "reason", "by")
    ]
    if not kept:
        raise Skip("only instructions describe it, in a text that names no kind of term")
    return kept


@dataclass
class _Context:
    kinds: tuple[str, ...]
    passages: dict[str, str]  # term (casefolded) -> its passage, for true/false checks
    plan: PlannedChapter

    def skip(self, term: str, reasons: list[str]) -> None:
        self.plan.skipped.append((term, "; ".join(dict.fromkeys(reasons))))


def _called_definition(section: Section) -> Definition:
    """ "each saved version is called a revision" -> "Which term does the text use for each
    saved version?" (the passage is "what :: sentence")."""
    what, _, _sentence_text = section.paragraph.partition(" :: ")
    what = re.sub(r"^(?:sometimes|often|usually|generally|also|commonly)\s+", "", what, flags=re.I)
    words = what.split()
    if {w.lower() for w in words} & {"this", "these", "that", "those", "it", "they", "such"}:
        raise Skip("what the term names is a pronoun pointing outside the stem")
    if len([w for w in words if w.lower() not in STOP_WORDS]) < 2:
        raise Skip("what the term names is too short to ask about")
    what = what[:1].lower() + what[1:] if not what[:2].isupper() else what
    return Definition("called", what, "Which term does the text use for", VERBS.index("means"))


def _distractors_for(section, stem, siblings, fallback, seed) -> list[str]:
    words = stem_words(stem)
    # Options of the key's form first (instructions with instructions, names with names).
    form = is_instruction(section.term)
    siblings = sorted(siblings, key=lambda t: is_instruction(t) != form)
    same_form = [t for t in fallback if is_instruction(t) == form]
    chosen = choose_distractors(
        answer=section.term,
        siblings=[t for t in siblings if is_instruction(t) == form] or siblings,
        others=[t for t in siblings if is_instruction(t) != form] + same_form,
        seed=seed,
        must_share=words if word_roots(section.term) & words else None,
    )
    return [t for t in chosen if not near_duplicates(t, section.term)]


def _items_for(section, definitions, siblings, fallback, context) -> list[Definition]:
    """The section's items: a single-choice item from its best clean sentence (and one from a
    second sentence for the exam bank), missing-word and true/false variants. Returns the
    definitions used (best first); what the gate refused is recorded as skipped."""
    kinds = context.kinds
    seed = f"gen:{section.group}:{section.term}"
    used: list[Definition] = []
    refused: list[str] = []
    items: list[PlannedItem] = []
    for definition in definitions:
        if len(used) == 2:
            break
        if any(_same_sentence(definition, other) for other in used):
            continue  # the second item asks from another sentence, not in other words
        stem = definition.stem
        distractors = _distractors_for(section, stem, siblings, fallback, seed)
        if len(distractors) < DISTRACTORS:
            refused.append(
                f"only {len(distractors)} other terms to offer as distractors (needs {DISTRACTORS})"
            )
            break
        faults = item_faults(
            stem=stem,
            key=section.term,
            distractors=distractors,
            # Advice and instruction stems restate their heading easily ("following up" for
            # Follow-Up); a glossary's stem may share its head noun with the key.
            strict_echo=is_advice(section.term)
            or definition.source in ("instruction", "reason", "by", "doing"),
        )
        if faults:
            refused.extend(faults)
            continue
        used.append(definition)
        if SINGLE in kinds:
            items.append(
                _single(section, definition, stem, distractors, siblings, variant=len(used) > 1)
            )
    if not used:
        context.skip(section.term, refused or ["no definition passed the gate"])
        return []
    # The variants take the second sentence when there is one: the exam bank does not
    # repeat the exercise's wording.
    source = used[-1]
    distractors = _distractors_for(section, source.stem, siblings, fallback, seed)
    siblings_only = all(d in siblings for d in distractors)
    rng = random.Random(f"{seed}:order")
    sentence = _sentence(source)
    if sentence and not can_be_subject(section.term):
        # "Stay Calm helps ...", "De-escalation Techniques involves ...": an instruction or a
        # plural is no subject for "involves"; those points keep their single-choice items.
        sentence = ""
    if MISSING_WORD in kinds and sentence and source.verb != "called":
        stem = f"{BLANK} {sentence}"
        faults = item_faults(stem=f"{sentence}?", key=section.term, distractors=distractors)
        if faults:
            context.skip(section.term, [f"missing word: {fault}" for fault in faults])
        else:
            options = [(section.term, 1), *((text, 0) for text in distractors)]
            rng.shuffle(options)
            items.append(
                PlannedItem(
                    MISSING_WORD,
                    section.term,
                    stem,
                    tuple(options),
                    section,
                    source.clause,
                    siblings_only,
                    score=source.rank + 0.5,
                )
            )
    if TRUE_FALSE in kinds and sentence and source.verb in _SINGLES_OUT:
        # Half the statements name the right term, half a sibling: "True" is no safe guess.
        truthful = rng.random() < 0.5
        subjects = [d for d in distractors if can_be_subject(d)]
        if not truthful and not subjects:
            truthful = True  # no sibling reads as a subject: state the true sentence
        named = section.term if truthful else subjects[0]
        faults = (
            []
            if truthful
            else false_statement_faults(
                key=section.term,
                named=named,
                clause=source.clause,
                named_passage=context.passages.get(named.casefold(), ""),
            )
        )
        faults += stem_faults(f"{named} {sentence}?")
        if faults:
            context.skip(section.term, [f"true/false: {fault}" for fault in faults])
        else:
            items.append(
                PlannedItem(
                    TRUE_FALSE,
                    section.term,
                    f"{named} {sentence}",
                    (("True", 1 if truthful else 0), ("False", 0 if truthful else 1)),
                    section,
                    source.clause,
                    siblings_only,
                    score=source.rank + 1,
                )
            )
    context.plan.items.extend(items)
    return used


def _same_sentence(a: Definition, b: Definition) -> bool:
    words_a, words_b = stem_words(a.clause), stem_words(b.clause)
    return (
        not words_a
        or not words_b
        or len(words_a & words_b) >= 0.6 * min(len(words_a), len(words_b))
    )


def _single(section, definition, stem, distractors, siblings, *, variant) -> PlannedItem:
    seed = f"gen:{section.group}:{section.term}"
    rng = random.Random(f"{seed}:order" + (":2" if variant else ""))
    options = [(section.term, 1), *((text, 0) for text in distractors)]
    rng.shuffle(options)
    # Lower is better: how squarely the sentence defines, then a stem of readable length.
    length = len(stem.split())
    score = definition.rank + (0 if 10 <= length <= 30 else 0.5)
    return PlannedItem(
        SINGLE,
        section.term,
        stem,
        tuple(options),
        section,
        definition.clause,
        all(d in siblings for d in distractors),
        variant="2" if variant else "",
        score=score,
    )


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
    if verb == "called":
        return ""
    if verb == "gloss":
        return f"means {clause[:1].lower() + clause[1:]}."
    return f"{verb} {clause}."


def chapter_passages(body_markdown: str) -> dict[str, str]:
    """Every passage an item of this chapter can come from, by the term it keeps
    (``source_term``): sections, and the sentences asked as statements."""
    _, sections = chapter_sections(body_markdown)
    passages = {section.term: section.paragraph for section in sections}
    paragraphs = chapter_paragraphs(body_markdown)
    for statement in chapter_statements(paragraphs=paragraphs):
        passages.setdefault(statement.sentence, statement.sentence)
    # (Advice statements keep their sentence too; the title does not change the passage.)
    for _anchor, paragraph, _listed in paragraphs:
        for sentence in split_sentences(paragraph):
            passages.setdefault(sentence, sentence)
    return passages
