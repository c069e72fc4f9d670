"""What the planner makes: the chapters it reads, the items it plans, the kinds of item,
and the shape of a term (advice, a verb, a plural) that decides which sentences it can head."""

import re
from dataclasses import dataclass, field

from lemminflect import getAllLemmas

from .instructions import is_instruction as is_sentence_instruction
from .reading import TERM_SEPARATOR, Section, passage_digest
from .words import SINGULAR_KINDS, verb_lemma

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
    # "" for a point's first item, "2" for its second sentence, "not" for NOT-one-of.
    variant: str = ""
    # Lower is better; the chapter's best single-choice item becomes its exercise.
    score: float = 0
    exercise: bool = False

    @property
    def slug(self) -> str:
        return f"{self.kind}:{self.term}" + (f":{self.variant}" if self.variant else "")


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


def verb_led(term: str) -> bool:
    """ "Empathize", "Learn from the Experience": a verb first, never a noun, so the term
    cannot be the subject of "involves ..."."""
    first = re.sub(r"[^a-z]", "", term.split()[0].lower()) if term.split() else ""
    return bool(verb_lemma(first)) and not getAllLemmas(first, upos="NOUN")


def can_be_subject(term: str) -> bool:
    """The term can open "... involves ...": not an instruction ("Stay Calm"), a verb
    ("Empathize"), a plural ("De-escalation Techniques") or a kind noun that needs an
    article ("Solution-Oriented Approach")."""
    last = term.split()[-1].lower() if term.split() else ""
    return not (
        is_advice(term)
        or verb_led(term)
        or plural(term)
        or (len(term.split()) > 1 and re.fullmatch(SINGULAR_KINDS, last))
    )


def plural(term: str) -> bool:
    """ "De-escalation Techniques" takes "involve", not "involves" ("Offering Choices", an
    -ing phrase, is singular)."""
    if not term.split() or term.split()[0].lower().endswith("ing"):
        return False
    last = term.split()[-1].lower()
    return (
        last.endswith("s")
        and not last.endswith("ss")
        and bool(
            getAllLemmas(last, upos="NOUN").get("NOUN", ())
            and last not in getAllLemmas(last, upos="NOUN")["NOUN"]
        )
    )


def is_advice(term: str) -> bool:
    """Advice in the loose sense ("Offer Solutions", "Set Boundaries"): a list is one of advice
    or one of names, and its outsider must be of the same sort."""
    return len(term.split()) >= 2 and is_sentence_instruction(term)
