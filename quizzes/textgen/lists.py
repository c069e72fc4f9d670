"""Items made from a whole list or chapter rather than one passage: true/false statements,
"which is NOT one of ..." and matching."""

import random

from .candidates import Definition
from .gate import item_faults, near_duplicates
from .items import (
    MATCHING,
    MATCHING_PAIRS,
    SINGLE,
    TRUE_FALSE,
    PlannedItem,
    is_advice,
)
from .reading import Section
from .statements import Statement, statement_truths
from .words import DISTRACTORS, word_roots


def statement_items(chapter, statements) -> list[PlannedItem]:
    """Key sentences asked as true or false. Turnable sentences are shown as written or
    turned, half and half; sentences with nothing to turn are shown as written only while
    the true ones are fewer than the false, so that "True" stays no safer a guess."""
    turnable = [statement for statement in statements if statement.turned]
    truths = statement_truths(turnable, seed=f"gen:flip:{chapter.key}")
    shown: list[tuple[Statement, bool]] = list(zip(turnable, truths, strict=True))
    false_count = sum(1 for _, truthful in shown if not truthful)
    true_count = len(shown) - false_count
    for statement in statements:
        if not statement.turned and true_count < false_count:
            shown.append((statement, True))
            true_count += 1
    items = []
    order = {id(statement): index for index, statement in enumerate(statements)}
    for statement, truthful in sorted(shown, key=lambda pair: order[id(pair[0])]):
        text = statement.true_text if truthful else statement.turned
        items.append(
            PlannedItem(
                TRUE_FALSE,
                "True" if truthful else "False",
                text,
                (("True", 1 if truthful else 0), ("False", 0 if truthful else 1)),
                Section(statement.sentence, statement.sentence, statement.anchor, "", "statement"),
                statement.sentence,
                variant="flip",
                score=15,
            )
        )
    return items


def not_one_of(terms, chapter, noun, others, context, passages) -> PlannedItem | None:
    """ "Which of the following is NOT one of the strategies in <chapter>?": three terms of
    a list of four or more, and one term of the same form from another chapter that is
    close to none of the chapter's terms."""
    if len(terms) < 4:
        return None
    form = is_advice(terms[0])
    if any(is_advice(t) != form for t in terms):
        return None
    seed = f"gen:notone:{chapter.key}:{terms[0]}"
    rng = random.Random(seed)
    outsiders = sorted(
        t
        for t in others
        if is_advice(t) == form
        and not any(near_duplicates(t, own) or word_roots(t) & word_roots(own) for own in terms)
    )
    if not outsiders:
        return None
    key = rng.choice(outsiders)
    listed = rng.sample(sorted(terms), DISTRACTORS)
    what = noun or ("steps" if form else "terms")
    stem = f"Which of the following is NOT one of the {what} in “{chapter.title}”?"
    faults = item_faults(stem=stem, key=key, distractors=listed)
    faults = [f for f in faults if "only option of its form" not in f]
    if faults:
        context.skip(f"NOT one of: {terms[0]}", faults)
        return None
    options = [(key, 1), *((t, 0) for t in listed)]
    rng.shuffle(options)
    return PlannedItem(
        SINGLE,
        key,
        stem,
        tuple(options),
        Section(key, "", passages[0].anchor if passages else "", "", "notone"),
        variant="not",
        score=10,
        # Its passages are the list's own: an edit to any of them sends the item to draft.
        sections=tuple(passages),
    )


# Verbs after which a definition singles out its term (true/false statements need that;
# "helps you ..." could be said of several techniques).
def matching_items(defined, groups) -> list[PlannedItem]:
    """One matching item per group of four to six sibling terms with clean definitions."""
    by_group: dict[str, list[tuple[Section, Definition]]] = {}
    for section, definition in defined:
        if len(definition.clause.split()) >= 3 and definition.verb not in (":", "called"):
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
            pairs = tuple((described(d), s.term) for s, d in chunk)
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


def described(definition: Definition) -> str:
    """A matching pair's description: "Involves ...", "Means ..." (never "Gloss ...")."""
    verb = "means" if definition.verb == "gloss" else definition.verb
    text = f"{verb} {definition.clause[:1].lower() + definition.clause[1:]}"
    return text[:1].upper() + text[1:]
