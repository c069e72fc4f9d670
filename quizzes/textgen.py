"""The generator's text heuristics: pure functions of Markdown and strings, no database.

A chapter written in the ebook style lists terms as ``## Term`` headings, each followed by a
paragraph that defines it. Each such section can become a single-choice item: the stem is
the definition with the term taken out, the answer is the term, and the distractors are
other terms of the same kind (sibling headings first, then headings of the other chapters).
quizzes.services.generation turns these into questions.

Everything here is deterministic: the same text always yields the same stems and options.
"""

import hashlib
import random
import re
from dataclasses import dataclass, field

from lemminflect import getAllLemmas, getInflection

from core.markdown import heading_id

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
    """One passage that may define a term: a heading and its paragraph, a bold list item, a
    "Term: definition" run, or a question heading ("What is X?")."""

    term: str
    paragraph: str
    # The id of the heading the passage sits under, for a link back to it ("" at the top).
    anchor: str = ""
    # Sections with the same group are siblings: same level under the same parent.
    group: str = ""
    shape: str = "heading"


@dataclass(frozen=True)
class Definition:
    verb: str  # "involves", "means", "is", ":" ...
    clause: str  # what follows the verb, tidy, no final punctuation
    lead: str  # the stem's opening ("Which of the following techniques")

    @property
    def stem(self) -> str:
        return _stem_from(self.lead, self.verb, self.clause) or ""


# --- reading the chapter -------------------------------------------------------------

_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.+?)\s*#*\s*$")
_ANY_HEADING = re.compile(r"^#{1,6}\s")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
# "What is a security policy?", "What are cookies?": the question names the term.
_QUESTION_HEADING = re.compile(
    r"^(?:what|who)\s+(?:is|are)\s+(?:(?:a|an|the)\s+)?(?P<term>[^?]{1,60}?)\s*\?$",
    re.IGNORECASE,
)
# "1. **Phishing**: text", "- **Term** — text", "**Term:** text", "* __Term__. text"
_BOLD_ITEM = re.compile(
    r"^\s*(?:(?:[-*+]|\d+[.)])\s+)?(?:\*\*|__)(?P<term>[^*_\n]{1,80}?)(?:\*\*|__)"
    r"(?:\s*\([^)]{1,40}\))?\s*(?P<sep>[:—–.]|-\s)?\s*(?P<rest>.*)$"
)
# "Active Listening: Engage in ..." inside running prose: a Title Case term and a colon.
_INLINE_TERM = re.compile(
    r"(?:(?<=^)|(?<=[.!?:]\s))(?P<term>[A-Z][\w'’-]*(?:\s+(?:[A-Z][\w'’-]*|and|of|the|to|for|"
    r"with|in|&)){0,5}):\s+"
)


def passage_digest(paragraph: str) -> str:
    """A fingerprint of a passage's words: a generated item's source changed when it did."""
    return hashlib.sha1(" ".join(paragraph.split()).encode()).hexdigest()  # noqa: S324


TERM_SEPARATOR = " | "


def item_source(item: "PlannedItem") -> tuple[str, str]:
    """(source term, digest) kept with a saved item: for matching, every pair's passage."""
    sections = item.sections or (item.section,)
    terms = TERM_SEPARATOR.join(section.term for section in sections)
    return terms, passage_digest("\n".join(section.paragraph for section in sections))


def source_digest(source_term: str, paragraphs: dict[str, str]) -> str | None:
    """The digest a saved item's passages have now (None if one is gone)."""
    parts = [paragraphs.get(term) for term in source_term.split(TERM_SEPARATOR)]
    return None if None in parts else passage_digest("\n".join(parts))


def heading_anchor(text: str) -> str:
    """The id a chapter page gives a heading (core.markdown renders headings with it)."""
    return heading_id(_clean_heading(text))


def _plain(text: str) -> str:
    """Inline Markdown reduced to the words a learner reads."""
    text = _LINK.sub(r"\1", text)
    text = re.sub(r"(\*\*|__|`)", "", text)
    text = re.sub(r"(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)", "", text)
    return " ".join(text.split())


def _clean_heading(text: str) -> str:
    text = re.sub(r"\s*\{#[^}]*\}\s*$", "", text)
    text = _plain(text)
    text = re.sub(r"^\d+\s*[.)]\s*", "", text)
    return text.strip().rstrip(":").strip()


def _paragraphs(lines: list[str]) -> list[list[str]]:
    """Runs of prose lines (not headings, images, HTML or code), in order."""
    blocks: list[list[str]] = []
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
            blocks.append(block)
            block = []
    if block:
        blocks.append(block)
    return blocks


def _first_paragraph(lines: list[str]) -> str:
    blocks = _paragraphs(lines)
    return _plain(" ".join(blocks[0])) if blocks else ""


def _bold_items(lines: list[str]) -> list[tuple[str, str]]:
    """(term, definition) for every bold-term list item or paragraph in these lines."""
    items = []
    for line in lines:
        match = _BOLD_ITEM.match(line)
        if not match:
            continue
        term = match["term"].strip().rstrip(":").strip()
        rest = _plain(match["rest"])
        if match["sep"] or rest[:1].isupper() or not rest:
            if term and rest and len(term.split()) <= 8:
                items.append((_clean_heading(term), f"{_clean_heading(term)}: {rest}"))
    return items


_DEFINITION_TERM = re.compile(r"^\[?(?P<term>[^\]\n:]{1,60}?)\]?(?:\{#[^}]*\})?\s*$")


def _definition_list(lines: list[str]) -> list[tuple[str, str]]:
    """Pandoc/Markdown definition lists: "term" on a line, ":   definition" on the next."""
    items = []
    for index, line in enumerate(lines[:-1]):
        nxt = lines[index + 1]
        if not nxt.startswith(":") or not line.strip() or line.startswith((" ", ":")):
            continue
        match = _DEFINITION_TERM.match(line.strip())
        if not match:
            continue
        body = [nxt.lstrip(":").strip()]
        for follow in lines[index + 2 :]:
            if not follow.strip() or follow.startswith(":"):
                break
            if (
                index + 3 < len(lines)
                and _DEFINITION_TERM.match(follow.strip())
                and (lines[lines.index(follow) + 1 : lines.index(follow) + 2] or [""])[
                    0
                ].startswith(":")
            ):
                break
            body.append(follow.strip())
        term = _clean_heading(match["term"])
        items.append((term, f"{term}: {_plain(' '.join(body))}"))
    return items


def _inline_terms(paragraph: str) -> list[tuple[str, str]]:
    """ "Key Concepts: Active Listening: Engage in ... Stay Calm: Maintain ..." -> terms."""
    marks = list(_INLINE_TERM.finditer(paragraph))
    items = []
    for index, mark in enumerate(marks):
        end = marks[index + 1].start() if index + 1 < len(marks) else len(paragraph)
        rest = paragraph[mark.end() : end].strip()
        if rest and len(mark["term"].split()) <= 6:
            items.append((mark["term"], f"{mark['term']}: {rest}"))
    return items


def chapter_sections(body_markdown: str) -> tuple[str, list[Section]]:
    """The intro paragraph and every passage that may define a term, in order.

    Headings count at any level; a heading's siblings are the headings of the same level
    under the same parent. Bold-term lists and runs of "Term: definition" in prose are
    read too; their siblings are the other items of the same list or paragraph.
    """
    intro_lines: list[str] = []
    headings: list[tuple[int, str, list[str]]] = []  # level, raw text, body lines
    in_code = False
    for line in body_markdown.splitlines():
        if line.strip().startswith("```"):
            in_code = not in_code
        match = None if in_code else _HEADING.match(line.strip())
        if match and len(match["hashes"]) == 1 and not headings:
            continue  # the chapter's own title, left in the body
        if match:
            headings.append((len(match["hashes"]), match["text"], []))
        elif headings:
            headings[-1][2].append(line)
        else:
            intro_lines.append(line)
    result: list[Section] = []
    # The open headings: level, anchor, whether it names a term, whether it only indexes.
    parents: list[tuple[int, str, bool, bool]] = []
    for index, (level, raw, lines) in enumerate(headings):
        while parents and parents[-1][0] >= level:
            parents.pop()
        # Index headings ("## A", "## B") group nothing: their terms are all siblings.
        real = [entry for entry in parents if not entry[3]]
        parent = real[-1][1] if real else ""
        under_a_term = any(entry[2] for entry in parents)
        heading = _clean_heading(raw)
        anchor = heading_id(heading)
        # "Repository (Repo, Chart Repository)": the term is the name before its aliases.
        heading = re.sub(r"^(.{2,}?)\s*\([^)]*\)$", r"\1", heading)
        index_only = bool(re.fullmatch(r"[A-Z0-9](?:\s*[-–]\s*[A-Z0-9])?|[#&]|symbols", heading))
        parents.append((level, anchor, is_term(heading) and not index_only, index_only))
        if index_only:
            continue
        group = f"{parent}/h{level}"
        shape = "heading"
        if question := _QUESTION_HEADING.match(heading):
            heading, shape = question["term"].strip(), "question"
        paragraph = _first_paragraph(lines)
        if not paragraph:
            # "## Empathy" then "### Why it matters" then the text: read past framing
            # sub-headings to the first paragraph, but never into a sibling's.
            for _level, sub, sub_lines in headings[index + 1 :]:
                if _level <= level or is_term(_clean_heading(sub)):
                    break
                if paragraph := _first_paragraph(sub_lines):
                    break
        term, colon, rest = heading.partition(": ")
        if colon and len(rest.split()) >= 4:
            # "## Listen Actively: Pay close attention ..." carries its own definition.
            heading, paragraph = term.strip(), f"{term.strip()}: {rest.strip()}"
        bold = _bold_items(lines) or _definition_list(lines)
        if len(bold) >= 2:
            result.append(Section(heading, "", anchor, group, "parent"))
            result.extend(Section(t, p, anchor, f"{anchor}/bold", "bold") for t, p in bold)
            continue
        inline = [item for block in _paragraphs(lines) for item in _inline_terms(" ".join(block))]
        if len(inline) >= 2:
            result.append(Section(heading, "", anchor, group, "parent"))
            result.extend(Section(t, p, anchor, f"{anchor}/inline", "inline") for t, p in inline)
            continue
        if shape == "heading" and not is_term(heading) and under_a_term:
            continue  # "### Why it matters" under a term: its text was read as the term's
        result.append(Section(heading, paragraph, anchor, group, shape))
    top_level = [
        item for block in _paragraphs(intro_lines) for item in _inline_terms(" ".join(block))
    ]
    if len(top_level) >= 2:
        result[:0] = [Section(t, p, "", "/inline", "inline") for t, p in top_level]
    bold_top = _bold_items(intro_lines) or _definition_list(intro_lines)
    if len(bold_top) >= 2:
        result[:0] = [Section(t, p, "", "/bold", "bold") for t, p in bold_top]
    intro = _first_paragraph(intro_lines)
    if len(top_level) >= 2 or len(bold_top) >= 2:
        intro = ""
    return intro, result


# Headings that frame a list rather than name a term: "Strategies for De-Escalating ...",
# "How to Handle Conflict", "Why it matters", "Understanding the Importance of ...".
_FRAMING = re.compile(
    r"^(?:(?:why|how|when|where|which|who)\b|(?:the\s+)?(?:strategies|tips|techniques|ways|"
    r"steps|methods|approaches|rules|examples|types|kinds)\s+(?:for|to|of)\b|understanding\s+"
    r"the\b|the\s+importance\b|common\s+(?:challenges|mistakes|problems)\b|"
    r"(?:an?\s+)?introduction\s+to\b|key\s+(?:concepts|takeaways|points)\b)",
    re.IGNORECASE,
)


def is_term(heading: str) -> bool:
    """A heading that names one term, not one that frames the chapter or a list."""
    return (
        bool(heading)
        and heading.casefold() not in _NOT_TERMS
        and len(heading.split()) <= 8
        and not heading.endswith("?")
        and not _FRAMING.match(heading)
    )


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


def _verb_lemma(word: str) -> str | None:
    """The word's verb lemma when it is a verb in its base form ("ensure", "work")."""
    lowered = word.lower()
    lemmas = getAllLemmas(lowered, upos="VERB").get("VERB", ())
    return lowered if lowered in lemmas else None


def _gerund(verb: str) -> str:
    lowered = verb.lower()
    if forms := getInflection(lowered, tag="VBG"):
        return forms[0]
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
    if first.isalpha() and not first.lower().endswith("ing") and (others or _verb_lemma(first)):
        forms.append(" ".join([_gerund(first), *others]))
        if len(others) >= 2 and others[0].lower() not in _STOP_WORDS:
            forms.append(" ".join(others))
    return forms


def _names(text: str, term: str) -> bool:
    return any(
        re.search(_term_pattern(form), text, flags=re.IGNORECASE) for form in term_forms(term)
    )


_ABBREVIATIONS = re.compile(r"\b(e\.g|i\.e|etc|vs|cf|approx|Mr|Mrs|Ms|Dr|No)\.", re.IGNORECASE)


def _sentences(paragraph: str) -> list[str]:
    protected = _ABBREVIATIONS.sub(lambda m: m[0].replace(".", "\x00"), paragraph)
    parts = re.split(r"(?<=[.!?])\s+(?=[\"“A-Z])", protected)
    return [part.replace("\x00", ".").strip() for part in parts if part.strip()]


def _tidy(rest: str) -> str:
    return rest.strip().rstrip(" .!;:,").strip()


# After "is"/"are" these only praise or hedge: "Patience is essential when ...", "main is
# usually the default branch". Not definitions.
_NOT_A_DEFINITION = re.compile(
    r"^(?:not\b|(?:also|often|usually|typically|sometimes|always|generally|very|so|really|"
    r"just|simply|especially|particularly|increasingly|more|less|most|quite)\b|"
    r"(?:(?:a|an|the)\s+)?(?:essential|important|crucial|critical|key|vital|necessary|"
    r"useful|helpful|valuable|beneficial|paramount|fundamental|great|good|best|must|"
    r"cornerstone|foundation|backbone|heart|core|basis)\b|one\s+of\b|another\b|"
    r"designed\s+to\b|meant\s+to\b|intended\s+to\b|likely\b|able\s+to\b)",
    re.IGNORECASE,
)
# Third-person pronouns with nothing before them in the stem to point at.
_DANGLING = re.compile(r"^(?:\S+\s+){0,2}(?:them|they|their|it|its|this|these|those)\b", re.I)
# Ranks: lower is better.
_IMPERATIVE_RANK = _VERBS.index("is")
_GLOSS_RANK = _VERBS.index("means")


# Capitalised words that look like verbs but start no instruction worth a stem.
_NOT_IMPERATIVES = {
    "don't", "do", "never", "may", "might", "must", "can", "could", "should", "would", "will",
    "shall", "see", "note", "read", "learn", "click", "visit", "check", "refer",
}  # fmt: skip


_LEADING_CLAUSE = re.compile(
    r"^(?P<lead>(?:After|Before|When|Whenever|Once|If|While|During|In)\b[^,]{3,80}),\s+"
    r"(?P<rest>[a-z].+)$"
)
# After "and" a verb is converted when an object or adverb follows it: "and work with".
_OBJECT_START = {
    "the", "a", "an", "your", "their", "its", "any", "all", "every", "each", "them", "it",
    "yourself", "with", "to", "on", "up", "down", "out", "in", "for", "what", "how", "that",
}  # fmt: skip


def _imperative(sentence: str) -> str | None:
    """ "Ensure that X and work with Y." -> "ensuring that X and working with Y".

    A leading clause moves to the end: "After resolving it, evaluate the situation." ->
    "evaluating the situation, after resolving it".
    """
    if lead := _LEADING_CLAUSE.match(sentence):
        converted = _imperative(lead["rest"][:1].upper() + lead["rest"][1:])
        if converted:
            tail = lead["lead"][:1].lower() + lead["lead"][1:]
            return f"{converted.rstrip('.')}, {tail}"
        return None
    words = sentence.split()
    if not words or not words[0][:1].isupper() or words[0].lower().strip(",:") in _NOT_IMPERATIVES:
        return None
    first = re.sub(r"[^A-Za-z]", "", words[0])
    if not first or _verb_lemma(first) is None:
        return None
    # "Clear communication is key" starts with a verb's spelling but is a statement.
    if re.search(r"\b(is|are|was|were|can|will|should|may|might|must)\b", " ".join(words[1:4])):
        return None
    converted = [_gerund(first)]
    for index, word in enumerate(words[1:], start=1):
        previous = words[index - 1].lower().rstrip(",")
        bare = re.sub(r"[^A-Za-z]", "", word)
        following = words[index + 1].lower() if index + 1 < len(words) else ""
        if (
            previous in {"and", "or", "then"}
            and bare
            and bare == word.rstrip(",.;")
            and _verb_lemma(bare)
            and (not getAllLemmas(bare.lower(), upos="NOUN") or following in _OBJECT_START)
        ):
            converted.append(_gerund(bare) + word[len(bare) :])
        else:
            converted.append(word)
    return " ".join(converted)


_RELATIVE = {"that", "which", "who", "whose", "where", "used", "of", "for", "to", "in", "with"}
_FINITE = {"is", "are", "was", "were", "can", "will", "has", "have", "does", "do", "should"}


def _is_statement(text: str) -> bool:
    """ "The framework documents ..." or "A block is ...": a clause with its own verb before
    any relative word, not a noun phrase like "A block that has received ..."."""
    for index, word in enumerate(re.findall(r"[\w'’-]+", text.lower())[:7]):
        if word in _RELATIVE:
            return False
        if index and (
            word in _FINITE
            or (
                word.endswith("s")
                and index <= 3
                and getAllLemmas(word, upos="VERB")
                and not getAllLemmas(word, upos="NOUN")
            )
        ):
            return True
    return False


def _gloss(sentence: str) -> str | None:
    """ "A token that is used in place of a password." as a definition with no verb."""
    if re.match(r"^(?:Some|Many|Most|All|These|Those|Several|Few|Both)\b", sentence):
        return None  # "Some attacks aim to ...": a statement about some things
    if re.match(r"^(?:A|An|The|Any|One|Each)\s+\w+", sentence) and not _is_statement(sentence):
        return sentence
    # "Executable code that is introduced ...", "Hardware, software, and/or firmware that ..."
    if re.match(
        r"^[A-Z][\w,/’'-]*(?:\s+[\w,/’'-]+){0,4}?\s+(?:that|which|who|used|of|for|to)\b",
        sentence,
    ) and not _is_statement(sentence):
        return sentence
    return None


def _candidates(term: str, paragraph: str) -> list[tuple[int, int, str, str]]:
    """(rank, order, verb, rest) for every sentence that reads as a definition of the term."""
    named = "|".join(_term_pattern(form) for form in term_forms(term))
    # "Defense in depth, also known as layered security, is ..." and "MFA (multi-factor ...)"
    aside = (
        r"(?:\s*,\s*(?:also\s+)?(?:known|called|referred\s+to)\s+as\s+[^,]{1,60},"
        r"|\s+\([^)]{1,60}\))?"
    )
    subject = (
        rf"(?:[A-Za-z]+ing\s+and\s+)?(?:(?:a|an|the)\s+)?(?:{named})"
        rf"(?:\s+(?:{_SINGULAR_KINDS}))?{aside}"
        rf"|this\s+(?:{_SINGULAR_KINDS})"
        # The long name with the term as its short form: "A content identifier (CID)".
        rf"|(?:(?:a|an|the)\s+)?[\w'’-]+(?:\s+[\w'’-]+){{0,5}}\s*(?:\((?:{named})\)"
        rf"|,\s+or\s+(?:{named}),){aside}"
    )
    # "Building rapport with the customer can create ..." puts a short phrase before the verb.
    phrase = r"(?:\s+(?:with|for|to|in|on|of|from)(?:\s+[\w'’-]+){1,4}?)?"
    verbs = "|".join(verb.replace(" ", r"\s+") for verb in _VERBS)
    defining = re.compile(
        rf"^(?P<subject>{subject}|it){phrase}\s+(?:\w+ly\s+)?"
        rf"(?:(?P<verb>{verbs}|is\s+defined\s+as|describes)|(?P<doing>{_DOING_VERBS}|[a-z]+s))"
        rf"\s+(?P<rest>.+)$",
        flags=re.IGNORECASE,
    )
    found = []
    colon = re.match(rf"^{_term_pattern(term)}\s*[:–—-]\s+(?P<rest>.+)$", paragraph, re.I)
    if colon:
        # "Patience: the willingness to ..." defines the term before any sentence does.
        sentences = _sentences(colon["rest"])
        first = sentences[0] if sentences else colon["rest"]
        if instruction := _imperative(first[:1].upper() + first[1:]):
            found.append((-1, 0, "involves", instruction))
        elif first.split()[0].lower() in {"a", "an", "the"} or first.split()[0].endswith("ing"):
            found.append((-1, 1, ":", first))
        elif _gloss(first) and len(first.split()) >= 4:
            # "ACL: Specifies which users ..." or "Telemetry: Data emitted from a system":
            # a definition without a subject, asked as "Which term means: ...?".
            found.append((_GLOSS_RANK, 1, "gloss", first))
        for order, sentence in enumerate(sentences[1:], start=2):
            if instruction := _imperative(sentence):
                found.append((_IMPERATIVE_RANK, order, "involves", instruction))
    # In "Term: text" passages the sentences are read without the "Term: " prefix, so that a
    # sentence is "about the term" only when its own words name it.
    body = colon["rest"] if colon else paragraph
    sentences = [
        re.sub(r"^In\s+[^,]{3,40},\s+(\w)", lambda m: m[1].upper(), sentence)
        for sentence in _sentences(body)
    ]
    names_term_first = bool(sentences) and _names(sentences[0], term)
    for order, sentence in enumerate(sentences):
        if match := defining.match(sentence):
            raw_verb = match["verb"] or match["doing"]
            verb = " ".join(raw_verb.lower().split())
            if verb == "is defined as":
                verb = "is"
            if match["verb"] and verb in _VERBS:
                rank = _VERBS.index(verb)
            elif verb == "describes":
                rank = _VERBS.index("refers to")
            elif match["doing"] and re.fullmatch(r"[a-z]+s", verb) and verb not in _DOING_VERBS:
                # Any verb in the third person ("Merging takes ...") describes what it does.
                lemma = getAllLemmas(verb, upos="VERB").get("VERB", ())
                if not lemma or verb in {"is", "was", "has", "does"}:
                    continue
                rank = _DOING_RANK
            else:
                rank = _DOING_RANK
            is_pronoun = match["subject"].lower() == "it"
            rest = match["rest"]
            # "It is important to ..." is a figure of speech, not a definition; "It" with a
            # verb of doing ("It also gives you ...") may point at anything said before.
            if is_pronoun and (rank >= _VERBS.index("is") or not names_term_first):
                continue
            if verb in ("is", "are") and _NOT_A_DEFINITION.match(rest):
                continue
            if rest.lower().startswith("not "):
                continue
            found.append((rank, order, verb, rest))
        elif not re.search(r"\bby\s+[a-z]+ing\b", sentence) and (
            instruction := _imperative(sentence)
        ):
            # (With "by ...ing" the means is the better stem: the rule below takes it.)
            found.append((_IMPERATIVE_RANK, order, "involves", instruction))
        elif order == 0 and (gloss := _gloss(sentence)) and not _names(sentence, term):
            found.append((_GLOSS_RANK, order, "gloss", gloss))
        # "Resolve conflict by restating ..." describes the technique by its means.
        if (by := re.search(r"\bby\s+(?P<rest>[a-z]+ing\s+\w.*)$", sentence)) and (
            _names(sentence, term) or _imperative(sentence)
        ):
            found.append((_BY_RANK, order, "consists of", by["rest"]))
    return sorted(found, key=lambda item: item[:2])


def _stem_from(lead: str, verb: str, rest: str) -> str | None:
    rest = _tidy(rest)
    if verb == "gloss":
        if len(rest.split()) < 4:
            return None
        return f"Which term means: {rest[:1].lower() + rest[1:]}?"
    if verb == ":":
        first = rest.split()[0].lower() if rest else ""
        if first in {"a", "an", "the"}:
            if _is_statement(rest):
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


def section_definitions(*, term: str, paragraph: str, lead: str) -> list[Definition]:
    """Every clean definition of the term in its paragraph, best first; Skip if none.

    A definition is left out when it would show the answer word for word or starts with a
    pronoun that points at nothing in the stem.
    """
    if not paragraph:
        raise Skip("no paragraph under the heading")
    candidates = _candidates(term, paragraph)
    if not candidates:
        raise Skip(
            "no sentence defines it (X is/means/involves/is about/does, It involves, by …, "
            "an instruction, a glossary phrase)"
        )
    result = []
    named = dangling = False
    for _rank, _order, verb, rest in candidates:
        definition = Definition(verb, _tidy(rest), lead)
        stem = definition.stem
        if not stem:
            continue
        if _names(stem, term):
            named = True
            continue
        if _DANGLING.match(definition.clause) and verb != ":":
            dangling = True
            continue
        result.append(definition)
    if not result:
        if dangling and not named:
            raise Skip("its definition starts with a pronoun that points outside the stem")
        raise Skip("every defining sentence names the term itself")
    return result


def section_definition(*, term: str, paragraph: str, lead: str) -> Definition:
    return section_definitions(term=term, paragraph=paragraph, lead=lead)[0]


def section_stem(*, term: str, paragraph: str, noun: str | None) -> str:
    """The question for one section, or Skip saying why there is none."""
    lead = f"Which of the following {noun}" if noun else "Which of the following"
    return section_definition(term=term, paragraph=paragraph, lead=lead).stem


# --- distractors -----------------------------------------------------------------------


def _word_roots(term: str) -> frozenset[str]:
    words = re.findall(r"[a-z]+", term.lower())
    return frozenset(word[:5] for word in words if word not in _STOP_WORDS)


def _synonyms(a: str, b: str) -> bool:
    """ "Empathize" and "Empathy", "Listen Actively" and "Active Listening": one idea."""
    return bool(_word_roots(a)) and _word_roots(a) == _word_roots(b)


def choose_distractors(
    *,
    answer: str,
    siblings: list[str],
    others: list[str],
    seed: str,
    must_share: set[str] | None = None,
) -> list[str]:
    """Three other terms, siblings first, the same three for the same seed.

    No two options name one idea (synonyms, duplicates). With ``must_share`` (the stem's
    content words, when the answer shares one of them) the first pick is a term that shares
    one too, so that no option is the only one echoing the stem.
    """
    rng = random.Random(seed)
    chosen: list[str] = []

    def fits(term: str) -> bool:
        return term.casefold() != answer.casefold() and not any(
            _synonyms(term, other) or term.casefold() == other.casefold()
            for other in [answer, *chosen]
        )

    if must_share:
        for pool in (siblings, others):
            sharing = [t for t in pool if fits(t) and _word_roots(t) & must_share]
            if sharing:
                chosen.append(rng.choice(sorted(sharing)))
                break
    for pool in (siblings, others):
        unique = []
        for term in pool:
            if fits(term) and not any(
                term.casefold() == u.casefold() or _synonyms(term, u) for u in unique
            ):
                unique.append(term)
        need = DISTRACTORS - len(chosen)
        chosen.extend(rng.sample(unique, min(need, len(unique))))
        if len(chosen) == DISTRACTORS:
            break
    return chosen


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


def _stem_words(text: str) -> set[str]:
    return {w[:5] for w in re.findall(r"[a-z]+", text.lower()) if w not in _STOP_WORDS}


def _fair_options(stem: str, answer: str, distractors: list[str]) -> bool:
    """No option may be the only one sharing a content word with the stem (a give-away)."""
    words = _stem_words(stem)
    answer_shares = bool(_word_roots(answer) & words)
    return not answer_shares or any(_word_roots(d) & words for d in distractors)


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
    words = _stem_words(definition.stem)
    distractors = choose_distractors(
        answer=section.term,
        siblings=siblings,
        others=fallback,
        seed=seed,
        must_share=words if _word_roots(section.term) & words else None,
    )
    siblings_only = all(distractor in siblings for distractor in distractors)
    if len(distractors) < DISTRACTORS:
        return f"only {len(distractors)} other terms to offer as distractors (needs {DISTRACTORS})"
    stem = definition.stem
    if not _fair_options(stem, section.term, distractors):
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
