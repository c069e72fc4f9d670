"""The generator's text heuristics: pure functions of Markdown and strings, no database.

A chapter written in the ebook style lists terms as ``## Term`` headings, each followed by a
paragraph that defines it. Each such section can become a single-choice item: the stem is
the definition with the term taken out, the answer is the term, and the distractors are
other terms of the same kind (sibling headings first, then headings of the other chapters).
quizzes.services.generation turns these into questions.

Everything here is deterministic: the same text always yields the same stems and options.
"""

import random
import re
from dataclasses import dataclass

DISTRACTORS = 3

# Plural nouns that name "terms of a kind" in titles such as "24 Conflict Resolution
# Techniques" or "Strategies for De-Escalating Customer Situations".
_KIND_NOUNS = (
    "techniques|strategies|tips|methods|skills|steps|approaches|tactics|practices|"
    "principles|habits|rules|tools|concepts|phrases|stages|keys|secrets|behaviours|behaviors"
)
_NUMBER_WORDS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty dozen dozens "
    "hundred several few many"
).split()
# Words dropped in front of the kind noun: "24 Effective Techniques" asks about "techniques".
_PRAISE_WORDS = set(
    "effective essential proven key best simple powerful practical important top great useful "
    "common basic quick easy smart good vital crucial main core successful new".split()
)
_STOP_WORDS = set(
    "a an the of for to and or in on with some these those our your their its this that many "
    "several few more most other all any which what how why about into my we you here there "
    "following such them they are is be can will at by from as".split()
)
# Headings that frame an article rather than name one of its terms.
_NOT_TERMS = {
    "conclusion",
    "in conclusion",
    "introduction",
    "summary",
    "overview",
    "final thoughts",
    "key takeaways",
    "takeaways",
    "references",
    "further reading",
    "faq",
    "frequently asked questions",
    "next steps",
    "table of contents",
    "resources",
}
# "The broken record technique involves ..." names the term with its kind after it.
_SINGULAR_KINDS = (
    "technique|strategy|tip|method|skill|step|approach|tactic|practice|principle|habit|"
    "rule|tool|concept|phrase|stage"
)
# Defining verbs, best first: "involves" says what a technique is made of, a bare "is"
# often only praises it ("Active listening is the cornerstone of ...").
_VERBS = ("involves", "consists of", "means", "refers to", "is about", "is", "are")
# Then what it does ("Staying calm helps you think clearly"): a fair stem, not a definition.
_DOING_VERBS = (
    r"helps|ensures|shows|allows|lets|gives|builds|creates|demonstrates|requires|reduces|"
    r"prevents|turns|makes|can\s+[a-z]+"
)
_DOING_RANK = len(_VERBS)
_BY_RANK = _DOING_RANK + 1


class Skip(Exception):
    """A section that cannot become a clean item; the message says why."""


@dataclass(frozen=True)
class Section:
    term: str
    paragraph: str


# --- reading the chapter -------------------------------------------------------------

_HEADING = re.compile(r"^##\s+(?P<text>.+?)\s*#*\s*$")
_ANY_HEADING = re.compile(r"^#{1,6}\s")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def _plain(text: str) -> str:
    """Inline Markdown reduced to the words a learner reads."""
    text = _LINK.sub(r"\1", text)
    text = re.sub(r"(\*\*|__|`)", "", text)
    text = re.sub(r"(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)", "", text)
    return " ".join(text.split())


def _clean_heading(text: str) -> str:
    text = _plain(text)
    text = re.sub(r"^\d+\s*[.)]\s*", "", text)
    return text.strip().rstrip(":").strip()


def _first_paragraph(lines: list[str]) -> str:
    """The first run of prose lines: not a heading, an image, HTML or code."""
    block: list[str] = []
    in_code = False
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("```"):
            in_code = not in_code
        prose = stripped and not in_code and not stripped.startswith(("```", "![", "<"))
        if prose and not _ANY_HEADING.match(stripped):
            block.append(stripped)
        elif block:
            break
    return _plain(" ".join(block))


def chapter_sections(body_markdown: str) -> tuple[str, list[Section]]:
    """The intro paragraph and the ``## Term`` sections of a chapter body, in order."""
    intro_lines: list[str] = []
    sections: list[tuple[str, list[str]]] = []
    in_code = False
    for line in body_markdown.splitlines():
        if line.strip().startswith("```"):
            in_code = not in_code
        match = None if in_code else _HEADING.match(line.strip())
        if match:
            sections.append((match["text"], []))
        elif sections:
            sections[-1][1].append(line)
        else:
            intro_lines.append(line)
    result = []
    for raw_heading, lines in sections:
        heading = _clean_heading(raw_heading)
        paragraph = _first_paragraph(lines)
        term, colon, rest = heading.partition(": ")
        if colon and len(rest.split()) >= 4:
            # "## Listen Actively: Pay close attention ..." carries its own definition.
            heading, paragraph = term.strip(), f"{term.strip()}: {rest.strip()}"
        result.append(Section(heading, paragraph))
    return _first_paragraph(intro_lines), result


def is_term(heading: str) -> bool:
    return bool(heading) and heading.casefold() not in _NOT_TERMS and len(heading.split()) <= 8


# --- the collective noun ---------------------------------------------------------------


def _kind_from(text: str, *, title: bool) -> str | None:
    """ "24 Conflict Resolution Techniques ..." -> "conflict resolution techniques"."""
    for match in re.finditer(rf"\b({_KIND_NOUNS})\b", text, flags=re.IGNORECASE):
        before = text[: match.start()].split()
        modifiers: list[str] = []
        counted = False
        for word in reversed(before):
            lowered = word.lower()
            if lowered.isdigit() or lowered in _NUMBER_WORDS:
                counted = True
                break
            if (
                len(modifiers) == 3
                or not re.fullmatch(r"[A-Za-z][A-Za-z-]*[A-Za-z]", word)
                or lowered in _STOP_WORDS
                or lowered in _PRAISE_WORDS
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


# --- the stem --------------------------------------------------------------------------


def _word_pattern(word: str) -> str:
    # Straight and curly apostrophes are the same letter to a reader; -ize and -ise too.
    pattern = "['’]".join(re.escape(part) for part in re.split(r"['’]", word))
    return re.sub(r"i[sz](e|ing|ed|es|ation)", r"i[sz]\1", pattern)


def _term_pattern(term: str) -> str:
    return r"(?<!\w)" + r"\s+".join(_word_pattern(word) for word in term.split()) + r"(?!\w)"


def _gerund(verb: str) -> str:
    lowered = verb.lower()
    if lowered.endswith("e") and not lowered.endswith(("ee", "ye", "oe")) and len(lowered) > 2:
        return lowered[:-1] + "ing"
    if re.fullmatch(r"[^aeiou]*[aeiou][bdgmnpt]", lowered):
        return lowered + lowered[-1] + "ing"  # set -> setting, plan -> planning
    return lowered + "ing"


def term_forms(term: str) -> list[str]:
    """The ways a sentence names the term: "Stay Calm" also as "Staying calm".

    A heading that starts with an instruction ("Use Positive Language") is also named
    by its object ("Positive language can transform ...").
    """
    forms = [term]
    first, *others = term.split()
    if others and first.isalpha() and not first.lower().endswith("ing"):
        forms.append(" ".join([_gerund(first), *others]))
        if len(others) >= 2 and others[0].lower() not in _STOP_WORDS:
            forms.append(" ".join(others))
    return forms


def _names(text: str, term: str) -> bool:
    return any(
        re.search(_term_pattern(form), text, flags=re.IGNORECASE) for form in term_forms(term)
    )


def _sentences(paragraph: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[\"“A-Z])", paragraph) if s.strip()]


def _tidy(rest: str) -> str:
    return rest.strip().rstrip(" .!;:,").strip()


def _candidates(term: str, paragraph: str) -> list[tuple[int, int, str, str]]:
    """(rank, order, verb, rest) for every sentence that reads as a definition of the term."""
    named = "|".join(_term_pattern(form) for form in term_forms(term))
    subject = (
        rf"(?:(?:a|an|the)\s+)?(?:{named})(?:\s+(?:{_SINGULAR_KINDS}))?"
        rf"|this\s+(?:{_SINGULAR_KINDS})"
    )
    # "Building rapport with the customer can create ..." puts a short phrase before the verb.
    phrase = r"(?:\s+(?:with|for|to|in|on|of|from)(?:\s+[\w'’-]+){1,4}?)?"
    verbs = "|".join(verb.replace(" ", r"\s+") for verb in _VERBS)
    defining = re.compile(
        rf"^(?P<subject>{subject}|it){phrase}\s+(?:\w+ly\s+)?"
        rf"(?:(?P<verb>{verbs})|(?P<doing>{_DOING_VERBS}))\s+(?P<rest>.+)$",
        flags=re.IGNORECASE,
    )
    found = []
    colon = re.match(rf"^{_term_pattern(term)}\s*[:–—-]\s+(?P<rest>.+)$", paragraph, re.I)
    if colon:
        # "Patience: the willingness to ..." defines the term before any sentence does.
        found.append((-1, 0, ":", colon["rest"]))
    for order, sentence in enumerate(_sentences(paragraph)):
        if match := defining.match(sentence):
            verb = " ".join((match["verb"] or match["doing"]).lower().split())
            rank = _VERBS.index(verb) if match["verb"] else _DOING_RANK
            is_pronoun = match["subject"].lower() == "it"
            # "It is important to ..." is a figure of speech, not a definition; "It" with a
            # verb of doing ("It also gives you ...") may point at anything said before.
            if not (is_pronoun and rank >= _VERBS.index("is")) and not match[
                "rest"
            ].lower().startswith("not "):
                found.append((rank, order, verb, match["rest"]))
        # "Resolve conflict by restating ..." describes the technique by its means.
        if by := re.search(r"\bby\s+(?P<rest>[a-z]+ing\b.*)$", sentence):
            found.append((_BY_RANK, order, "consists of", by["rest"]))
    return sorted(found, key=lambda item: item[:2])


def _stem_from(lead: str, verb: str, rest: str) -> str | None:
    rest = _tidy(rest)
    if verb == ":":
        first = rest.split()[0].lower() if rest else ""
        if first in {"a", "an", "the"}:
            verb = "is"
        elif first.endswith("ing"):
            verb = "involves"
        else:
            # An instruction ("Offer the customer a short break ...") is quoted whole.
            quoted = rest[0].upper() + rest[1:] if rest else rest
            return f'{lead} does this describe: "{quoted}"?' if len(rest.split()) >= 3 else None
    if len(rest.split()) < 3:
        return None
    return f"{lead} {verb} {rest}?"


def section_stem(*, term: str, paragraph: str, noun: str | None) -> str:
    """The question for one section, or Skip saying why there is none.

    Raises Skip when no sentence of the paragraph defines the term in a known phrasing,
    or when every such sentence would show the answer word for word.
    """
    if not paragraph:
        raise Skip("no paragraph under the heading")
    lead = f"Which of the following {noun}" if noun else "Which of the following"
    candidates = _candidates(term, paragraph)
    if not candidates:
        raise Skip("no sentence defines it (X is/means/involves/is about/helps, It involves, by …)")
    for _rank, _order, verb, rest in candidates:
        stem = _stem_from(lead, verb, rest)
        if stem is not None and not _names(stem, term):
            return stem
    raise Skip("every defining sentence names the term itself")


# --- distractors -----------------------------------------------------------------------


def _word_roots(term: str) -> frozenset[str]:
    words = re.findall(r"[a-z]+", term.lower())
    return frozenset(word[:5] for word in words if word not in _STOP_WORDS)


def choose_distractors(
    *, answer: str, siblings: list[str], others: list[str], seed: str
) -> list[str]:
    """Three other terms, siblings first, the same three for the same seed."""
    rng = random.Random(seed)
    seen = {answer.casefold()}
    roots = _word_roots(answer)
    chosen: list[str] = []
    for pool in (siblings, others):
        unique = []
        for term in pool:
            # "Listen Actively" in another chapter would be a second right answer.
            if term.casefold() in seen or _word_roots(term) == roots:
                continue
            seen.add(term.casefold())
            unique.append(term)
        need = DISTRACTORS - len(chosen)
        chosen.extend(rng.sample(unique, min(need, len(unique))))
        if len(chosen) == DISTRACTORS:
            break
    return chosen
