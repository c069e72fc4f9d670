"""Stems: the lead naming what the terms are ("Which of the following techniques") and
the question built from a definition."""

import re

from .words import (
    KIND_NOUNS,
    NUMBER_WORDS,
    PRAISE_WORDS,
    STOP_WORDS,
    is_statement,
    tidy,
)

# --- the collective noun ---------------------------------------------------------------


def _kind_from(text: str, *, title: bool) -> str | None:
    """ "24 Conflict Resolution Techniques ..." -> "conflict resolution techniques"."""
    for match in re.finditer(rf"\b({KIND_NOUNS})\b", text, flags=re.IGNORECASE):
        before = text[: match.start()].split()
        modifiers: list[str] = []
        counted = False
        for word in reversed(before):
            lowered = word.lower()
            if lowered.isdigit() or lowered in NUMBER_WORDS:
                counted = True
                break
            if (
                len(modifiers) == 3
                or not re.fullmatch(r"[A-Za-z][A-Za-z-]*[A-Za-z]", word)
                or lowered in STOP_WORDS
                or lowered in PRAISE_WORDS
            ):
                break
            modifiers.insert(0, word if word.isupper() and len(word) > 1 else lowered)
        after = text[match.end() :].lstrip()
        # In running prose a kind noun counts only when it introduces the list:
        # "24 ... techniques", "techniques for ...", "strategies that ...".
        introduces = re.match(r"(for|to|that|which|you|we|in|below)\b", after, re.IGNORECASE)
        if title or counted or introduces:
            return " ".join([*modifiers, match[1].lower()])
    return None


def collective_noun(
    *, chapter_title: str, intro: str, course_title: str, course_summary: str
) -> str | None:
    """What the chapter's terms are ("techniques"), from the chapter's or course's own words."""
    for text, title in (
        (chapter_title, True),
        (intro, False),
        (course_title, True),
        (course_summary, False),
    ):
        if text and (noun := _kind_from(text, title=title)):
            return noun
    return None


def stem_from(lead: str, verb: str, rest: str) -> str | None:
    rest = tidy(rest)
    if verb == "called":
        return f"{lead} {rest}?" if len(rest.split()) >= 2 else None
    if verb == "gloss":
        if len(rest.split()) < 4:
            return None
        return f"Which term means: {rest[:1].lower() + rest[1:]}?"
    if verb == ":":
        first = rest.split()[0].lower() if rest else ""
        if first in {"a", "an", "the"}:
            if is_statement(rest):
                return None  # "The framework documents ...": a sentence, not a definition
            verb = "is"
            rest = rest[:1].lower() + rest[1:]
        elif first.endswith("ing"):
            verb = "involves"
        else:
            # An instruction ("Offer the customer a short break ...") is quoted whole.
            quoted = rest[0].upper() + rest[1:] if rest else rest
            return f'{lead} does this describe: "{quoted}"?' if len(rest.split()) >= 3 else None
    if len(rest.split()) < 3:
        return None
    return f"{lead} {verb} {rest}?"
