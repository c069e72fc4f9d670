"""The quality gate: every planned item is checked before it is offered, and an item below
the bar is skipped with its reason. A bad item costs a learner more than a missing one.

Each check returns the reason it fails, or "" when the item passes. ``item_faults`` runs them
all and returns every reason, so the command output and the review screen can say why.
"""

import re

from lemminflect import getAllLemmas

from .instructions import OBJECT_START
from .instructions import is_instruction_term as is_instruction
from .words import STOP_WORDS, stem_words, synonyms, verb_lemma, word_roots

# Words that end a noun phrase too early when they stand right before the "?".
# (A preposition may end an English question: "Which directory are commands looked for in?")
_HANGING = {
    "a", "an", "the", "your", "my", "our", "their", "his", "her", "its", "these", "those",
    "of", "and", "or", "than", "is", "are", "be", "if", "which", "whose", "very",
}  # fmt: skip
# Words of the generator or of the page's furniture that a learner must never read.
_ARTEFACT = re.compile(
    r"(?:^|\s)(?:Gloss|TODO|FIXME|Bad:|Good:|Example:|e\.g\.:)|\{#|\]\(|\*\*|__|``|::|"
    r"\b(?:click here|see below|see above|the following:)\s*$",
    re.IGNORECASE,
)
_GERUND_CLAUSE = re.compile(r"\b(?:involves|consists of)\s+[a-z]+ing\b")


def stem_faults(stem: str) -> list[str]:
    """The stem is a clean question: ends in "?" (or holds the blank), nothing hangs before
    the question mark, no rhetorical question inside, no artefact, balanced quotes."""
    faults = []
    words = re.findall(r"[\w'’]+", stem.lower())
    if stem.endswith("?"):
        if words and words[-1] in _HANGING:
            faults.append(f"the stem ends on '{words[-1]}' before the question mark")
        if "?" in stem[:-1]:
            faults.append("the stem holds a question of its own (a rhetorical question)")
    if _ARTEFACT.search(stem):
        faults.append("the stem shows a word of the generator or of Markdown")
    if (
        stem.count('"') % 2
        or stem.count("“") != stem.count("”")
        or stem.count("(") != stem.count(")")
    ):
        faults.append("unbalanced quotes or brackets in the stem")
    if len(words) < 6:
        faults.append("the stem is too short to ask anything")
    if len(words) > 50:
        faults.append("the stem is too long to read on a phone")
    if pointer := re.search(r"\b(these|those|such)\b(?!\s+as\b)", stem, re.IGNORECASE):
        faults.append(f"'{pointer[1]}' points at something outside the stem")
    if re.search(r"\b(?:involves|consists of)\s+\w+ing\s+(?:also\s+)?\w+ing\b", stem):
        faults.append("two -ing forms in a row ('considering verifying')")
    if pronoun := _unanchored_pronoun(stem):
        faults.append(f"'{pronoun}' points at nothing named in the stem")
    if _GERUND_CLAUSE.search(stem) and (mixed := _unparallel(stem)):
        faults.append(f"a list mixes -ing forms and a bare verb ('{mixed}')")
    return faults


_PRONOUN = re.compile(r"\b(they|them|their|he|him|his|she|her|it|its)\b", re.IGNORECASE)
# ("your" is the reader's: "your own words to summarize it" still leaves "it" unexplained.)
_NOUN_PHRASE = re.compile(
    r"\b(?:the|a|an|each|every|any|another|other|some)\s+[\w'’-]+", re.IGNORECASE
)


def _unanchored_pronoun(stem: str) -> str:
    """ "... consists of repeating back what they wrote?": "they" has nothing to point at."""
    body = re.sub(r"^Which of the following(?:\s+[\w-]+){0,4}?\s+(?=\w+s\b|is\b|are\b)", "", stem)
    for match in _PRONOUN.finditer(body):
        if not _NOUN_PHRASE.search(body[: match.start()]):
            return match[1]
    return ""


def _unparallel(stem: str) -> str:
    """ "acknowledging any mistakes and express regret": a bare verb after "and" in a clause
    whose first verb was turned into its -ing form."""
    for match in re.finditer(r"\b(?:and|or)\s+([a-z]+)\s+([a-z]+)", stem):
        word, following = match[1], match[2]
        third_person = word.endswith("s") and not word.endswith("ss")
        if word.endswith(("ing", "ed")) or third_person or word in STOP_WORDS:
            continue
        if verb_lemma(word) and (following in OBJECT_START or following.endswith("ly")):
            return f"{word} {following}"
        if (
            verb_lemma(word)
            and getAllLemmas(following, upos="NOUN")
            and word not in {"support", "trust", "care", "respect", "work", "help", "change"}
        ):
            return f"{word} {following}"
    return ""


def _form(option: str) -> str:
    return "instruction" if is_instruction(option) else "name"


def _clear_verb(option: str) -> bool:
    first = re.sub(r"[^a-z]", "", option.split()[0].lower()) if option.split() else ""
    return _form(option) == "instruction" and not getAllLemmas(first, upos="NOUN")


def near_duplicates(a: str, b: str) -> bool:
    """Two options that name one idea: the same roots, or (for instructions) the same verb or
    one's words inside the other's ("Apologize Sincerely", "Apologize When Necessary";
    "Empathy", "Show Empathy")."""
    if a.casefold() == b.casefold() or synonyms(a, b):
        return True
    ra, rb = word_roots(a), word_roots(b)
    if not ra or not rb:
        return False
    if "instruction" in (_form(a), _form(b)):
        first_a, first_b = a.split()[0].lower(), b.split()[0].lower()
        if _form(a) == _form(b) == "instruction" and first_a[:5] == first_b[:5]:
            return True
        return ra <= rb or rb <= ra
    return False


def _echo(option: str, words: set[str]) -> float:
    roots = word_roots(option)
    return len(roots & words) / len(roots) if roots else 0.0


def option_faults(
    stem: str, key: str, distractors: list[str], *, strict_echo: bool = True
) -> list[str]:
    """Options of one kind and similar size, none a give-away, no two naming one idea."""
    faults = []
    options = [key, *distractors]
    for index, a in enumerate(options):
        for b in options[index + 1 :]:
            if near_duplicates(a, b):
                faults.append(f"two options name one idea ('{a}', '{b}')")
    words = stem_words(stem)
    if word_roots(key) & words and not any(word_roots(d) & words for d in distractors):
        faults.append("the key is the only option sharing a word with the stem")
    elif (
        strict_echo
        and _echo(key, words) >= 0.5
        and _echo(key, words) > max(_echo(d, words) for d in distractors)
    ):
        # "following up" -> Follow-Up, "empowering" -> Empowerment: the stem names the key.
        faults.append("the stem echoes the key more than any other option")
    forms = [_form(option) for option in options]
    if forms.count(forms[0]) == 1 and len(set(forms[1:])) == 1 and _clear_verb(key):
        faults.append(f"the key is the only option of its form ({forms[0]})")
    longest = max(len(d.split()) for d in distractors)
    if len(key.split()) >= 5 and len(key.split()) > 2 * longest:
        # A long phrase among short ones: the longest, most careful option is the key.
        faults.append("the key is much longer than every other option")
    if any(_ARTEFACT.search(option) for option in options):
        faults.append("an option shows a word of the generator or of Markdown")
    return faults


def false_statement_faults(*, key: str, named: str, clause: str, named_passage: str) -> list[str]:
    """A true/false statement made false by naming a sibling must be clearly false: the
    sibling shares no word with the key and its own passage does not say the same thing."""
    if word_roots(named) & word_roots(key) or near_duplicates(named, key):
        return [f"'{named}' is too close to '{key}' to make the statement clearly false"]
    said = stem_words(clause)
    if said and len(said & stem_words(named_passage)) >= max(2, len(said) * 0.4):
        return [f"'{named}' is described in similar words, so the false statement is arguable"]
    return []


def item_faults(
    *, stem: str, key: str, distractors: list[str], strict_echo: bool = True
) -> list[str]:
    """Every reason a single-choice item (or a missing-word item) falls below the bar."""
    return [*stem_faults(stem), *option_faults(stem, key, distractors, strict_echo=strict_echo)]
