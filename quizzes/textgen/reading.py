"""Reading a chapter's Markdown into passages: headings, bold lists, definition lists, runs."""

import hashlib
import re
from dataclasses import dataclass

from core.markdown import heading_id

from .instructions import is_instruction, is_instruction_term
from .words import NOT_TERMS, clean_heading, plain, split_sentences, tidy


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


# --- reading the chapter -------------------------------------------------------------

_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.+?)\s*#*\s*$")
_ANY_HEADING = re.compile(r"^#{1,6}\s")
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


def source_digest(source_term: str, paragraphs: dict[str, str]) -> str | None:
    """The digest a saved item's passages have now (None if one is gone)."""
    parts = [paragraphs.get(term) for term in source_term.split(TERM_SEPARATOR)]
    return None if None in parts else passage_digest("\n".join(parts))


def heading_anchor(text: str) -> str:
    """The id a chapter page gives a heading (core.markdown renders headings with it)."""
    return heading_id(clean_heading(text))


def paragraphs(lines: list[str]) -> list[list[str]]:
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


def first_paragraph(lines: list[str]) -> str:
    blocks = paragraphs(lines)
    return plain(" ".join(blocks[0])) if blocks else ""


_LIST_MARK = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
# Bold leads that introduce an example or an aside, never a term: "**Bad:** ...".
_EXAMPLE_LEADS = {
    "bad", "good", "better", "best", "worse", "example", "examples", "for example", "e.g",
    "tip", "tips", "note", "warning", "caution", "important", "do", "don't", "dont", "before",
    "after", "wrong", "right", "correct", "incorrect", "yes", "no", "instead", "avoid",
    "try", "hint", "remember", "result", "output", "input", "source", "see also", "q", "a",
}  # fmt: skip


def logical_lines(lines: list[str]) -> list[str]:
    """The lines with each list item or paragraph joined to the lines it wraps onto.

    "- Keep each change small enough that your" + "  reviewer can read it" is one item.
    A blank line ends a paragraph; inside a list item an indented line after a blank line
    still belongs to the item. Headings, fences, tables, definition lines and new list
    items start a line of their own.
    """
    joined: list[str] = []
    open_item = False  # the last joined line can take a continuation
    in_list_item = False
    blank_before = False
    in_code = False
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("```"):
            in_code = not in_code
            joined.append(line)
            open_item = in_list_item = False
            continue
        if in_code:
            joined.append(line)
            continue
        if not stripped:
            joined.append(line)
            blank_before = True
            continue
        starts = (
            _LIST_MARK.match(line)
            or _ANY_HEADING.match(stripped)
            or stripped.startswith(("|", ":", ">", "<", "![", "[^"))
        )
        continues = (
            open_item
            and not starts
            and (not blank_before or (in_list_item and line[:1] in (" ", "\t")))
        )
        if continues:
            joined[-1] = f"{joined[-1].rstrip()} {stripped}"
            # Strip the blank lines kept between the item and its indented paragraph.
            while len(joined) >= 2 and not joined[-2].strip():
                joined.pop(-2)
        else:
            joined.append(line)
            in_list_item = bool(_LIST_MARK.match(line))
            open_item = not _ANY_HEADING.match(stripped) and not stripped.startswith("|")
        blank_before = False
    return joined


def _bold_items(lines: list[str]) -> list[tuple[str, str]]:
    """(term, definition) for every bold-term list item or paragraph in these lines.

    "**Term**: text" defines the term. A bold lead that the sentence goes on from in lower
    case ("**Thank them** for their help. People who ...") names a step: the whole first
    sentence is the step, and the sentences after it explain it. Example leads ("**Bad:**")
    are never terms.
    """
    items = []
    for line in logical_lines(lines):
        match = _BOLD_ITEM.match(line)
        if not match:
            continue
        term = match["term"].strip().rstrip(":").strip()
        rest = plain(match["rest"])
        if clean_heading(term).casefold().rstrip(".") in _EXAMPLE_LEADS:
            continue
        if match["sep"] or rest[:1].isupper() or not rest:
            if term and rest and len(term.split()) <= 8:
                items.append((clean_heading(term), f"{clean_heading(term)}: {rest}"))
        elif rest[:1].islower() or rest[:1] in ",;":
            sentences = split_sentences(f"{clean_heading(term)} {rest}")
            step = tidy(sentences[0]) if sentences else ""
            if step and len(step.split()) <= 10 and is_instruction(step):
                explained = " ".join(sentences[1:])
                items.append((step, f"{step}: {explained}" if explained else ""))
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
        term = clean_heading(match["term"])
        items.append((term, f"{term}: {plain(' '.join(body))}"))
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


# "Why do teams need a style guide?" answered by "A style guide is a document that ...":
# the sentence's subject is the term when the heading names it too.
_DEFINING_SUBJECT = re.compile(
    r"^(?:(?:a|an|the)\s+)?(?P<term>[\w'’-]+(?:\s+[\w'’-]+){0,3}?)\s+(?:is|are)\s+"
    r"(?:a|an|the|any|one|when|how|what|where)\b",
    re.IGNORECASE,
)
# Definitions inside running prose: "each saved version is called a revision", "these
# intermediaries are generally called proxies", "a technique known as rubber-ducking".
_CALLED = re.compile(
    r"(?P<what>(?:(?:a|an|the|each|every|any|such)\s+)?[\w'’-]+(?:\s+[\w'’-]+){0,7}?)"
    r"(?:,)?\s+(?:is|are)\s+(?:(?:also|often|usually|generally|commonly|sometimes)\s+)?"
    r"(?:called|known\s+as|referred\s+to\s+as|named)\s+(?:(?:a|an|the)\s+)?"
    r"(?P<term>[\w'’-]+(?:\s+[\w'’-]+){0,3}?)\s*(?:[.,;:(]|$)",
    re.IGNORECASE,
)
_WE_CALL = re.compile(
    r"\b(?:we|people|developers|engineers)\s+(?:often\s+|usually\s+|generally\s+)?call\s+"
    r"(?P<what>(?:this|these|that|those|such)(?:\s+[\w'’-]+){0,4}?|it|them)\s+"
    r"(?:an?\s+|the\s+)?(?P<term>[\w'’-]+(?:\s+[\w'’-]+){0,3}?)\s*(?:[.,;:(]|$)",
    re.IGNORECASE,
)
_POINTING = {"this", "these", "that", "those", "it", "they", "them", "such", "which"}


def question_heading_term(heading: str, paragraph: str) -> str | None:
    """The term a question heading asks about, when its first sentence defines it."""
    sentences = split_sentences(paragraph)
    if not heading.endswith("?") or not sentences:
        return None
    match = _DEFINING_SUBJECT.match(sentences[0])
    if not match:
        return None
    term = match["term"]
    words = set(re.findall(r"[\w'’-]+", heading.casefold()))
    if set(term.casefold().split()) <= words and term.split()[0].casefold() not in _POINTING:
        return term
    return None


def running_definitions(paragraph: str) -> list[tuple[str, str, str]]:
    """(term, what it names, sentence) for each definition inside running prose."""
    found = []
    for sentence in split_sentences(paragraph):
        if sentence.endswith("?"):
            continue
        for pattern in (_CALLED, _WE_CALL):
            for match in pattern.finditer(sentence):
                term = tidy(match["term"]).strip("\"'“”‘’")
                what = tidy(match["what"])
                if (
                    term
                    and len(term) >= 3
                    and term.split()[0].casefold() not in {"a", "an", "the", "it", "this"}
                    and not re.search(r"\b(?:is|are|was|were|be)\b", term, re.IGNORECASE)
                ):
                    found.append((term, what, sentence))
    return found


def _advice_blocks(lines: list[str]) -> list[tuple[str, str]]:
    """(advice, explanation) for paragraphs and plain list items that open with a short
    instruction: "Listen actively to the customer's concerns. Show empathy by ..."."""
    items = []
    for line in logical_lines(lines):
        stripped = _LIST_MARK.sub("", line).strip()
        if not stripped or stripped.startswith(("#", "|", ">", "<", "!", "```", "**", "__")):
            continue
        sentences = split_sentences(plain(stripped))
        if not sentences:
            continue
        advice = tidy(sentences[0])
        if 2 <= len(advice.split()) <= 10 and is_instruction(advice):
            items.append((advice, " ".join(sentences[1:])))
    return items


def chapter_paragraphs(body_markdown: str) -> list[tuple[str, str, bool]]:
    """(anchor, plain text, is a list item) for every paragraph and list item of the
    chapter, in order: the anchor is the id of the heading it sits under ("" before the
    first)."""
    result: list[tuple[str, str, bool]] = []
    anchor = ""
    in_code = False
    for line in logical_lines(body_markdown.splitlines()):
        stripped = line.strip()
        if stripped.startswith("```"):
            in_code = not in_code
            continue
        if in_code or not stripped:
            continue
        if heading := _HEADING.match(stripped):
            anchor = heading_id(clean_heading(heading["text"]))
            continue
        if stripped.startswith(("|", "<", "![", ">", ":", "[^")):
            continue
        listed = bool(_LIST_MARK.match(line))
        text = plain(_LIST_MARK.sub("", stripped))
        if text:
            result.append((anchor, text, listed))
    return result


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
        heading = clean_heading(raw)
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
        paragraph = first_paragraph(lines)
        if not paragraph:
            # "## Empathy" then "### Why it matters" then the text: read past framing
            # sub-headings to the first paragraph, but never into a sibling's.
            for _level, sub, sub_lines in headings[index + 1 :]:
                if _level <= level or is_term(clean_heading(sub)):
                    break
                if paragraph := first_paragraph(sub_lines):
                    break
        if shape == "heading" and (defined := question_heading_term(heading, paragraph)):
            heading, shape = defined, "question"
        elif shape == "heading" and is_instruction_term(heading):
            # An advice heading ("Be patient") is explained by the whole section, not only
            # its first paragraph: the reasons often come after the instruction.
            paragraph = plain(" ".join(" ".join(block) for block in paragraphs(lines)[:4]))
        term, colon, rest = heading.partition(": ")
        if colon and len(rest.split()) >= 4:
            # "## Listen Actively: Pay close attention ..." carries its own definition.
            heading, paragraph = term.strip(), f"{term.strip()}: {rest.strip()}"
        bold = _bold_items(lines) or _definition_list(lines)
        if len(bold) >= 2:
            result.append(Section(heading, "", anchor, group, "parent"))
            result.extend(Section(t, p, anchor, f"{anchor}/bold", "bold") for t, p in bold)
            continue
        inline = [item for block in paragraphs(lines) for item in _inline_terms(" ".join(block))]
        if len(inline) >= 2:
            result.append(Section(heading, "", anchor, group, "parent"))
            result.extend(Section(t, p, anchor, f"{anchor}/inline", "inline") for t, p in inline)
            continue
        if shape == "heading" and not is_term(heading) and under_a_term:
            continue  # "### Why it matters" under a term: its text was read as the term's
        advice = [] if is_term(heading) else _advice_blocks(lines)
        if len(advice) >= 3:
            result.append(Section(heading, "", anchor, group, "parent"))
            result.extend(
                Section(t, f"{t}: {p}" if p else "", anchor, f"{anchor}/advice", "advice")
                for t, p in advice
            )
            continue
        result.append(Section(heading, paragraph, anchor, group, shape))
    top_level = [
        item for block in paragraphs(intro_lines) for item in _inline_terms(" ".join(block))
    ]
    if len(top_level) >= 2:
        result[:0] = [Section(t, p, "", "/inline", "inline") for t, p in top_level]
    bold_top = _bold_items(intro_lines) or _definition_list(intro_lines)
    if len(bold_top) >= 2:
        result[:0] = [Section(t, p, "", "/bold", "bold") for t, p in bold_top]
    intro = first_paragraph(intro_lines)
    if len(top_level) >= 2 or len(bold_top) >= 2:
        intro = ""
    elif len(advice_top := _advice_blocks(intro_lines)) >= 3:
        # An article of plain paragraphs, each opening with its advice.
        result[:0] = [
            Section(t, f"{t}: {p}" if p else "", "", "/advice", "advice") for t, p in advice_top
        ]
    known = {section.term.casefold() for section in result}
    for anchor, text in [("", " ".join(" ".join(b) for b in paragraphs(intro_lines)))] + [
        (heading_id(clean_heading(raw)), " ".join(" ".join(b) for b in paragraphs(lines)))
        for _level, raw, lines in headings
    ]:
        for term, what, sentence in running_definitions(plain(text)):
            if term.casefold() not in known:
                known.add(term.casefold())
                result.append(Section(term, f"{what} :: {sentence}", anchor, "/called", "called"))
    return intro, result


# Headings that frame a list rather than name a term: "Strategies for De-Escalating ...",
# "How to Handle Conflict", "Why it matters", "Understanding the Importance of ...".
_FRAMING = re.compile(
    r"^(?:(?:why|how|when|where|which|who)\b|(?:the\s+)?(?:strategies|tips|techniques|ways|"
    r"steps|methods|approaches|rules|examples|types|kinds)\s+(?:for|to|of)\b|understanding\b|the\s+importance\b|common\s+(?:challenges|mistakes|problems)\b|"
    r"(?:an?\s+)?introduction\s+to\b|key\s+(?:concepts|takeaways|points)\b)",
    re.IGNORECASE,
)


def is_term(heading: str) -> bool:
    """A heading that names one term, not one that frames the chapter or a list."""
    return (
        bool(heading)
        and heading.casefold() not in NOT_TERMS
        and len(heading.split()) <= 8
        and not heading.endswith("?")
        # "Your responsibilities as a maintainer": a section title written to the reader (advice
        # such as "Lower Your Voice" is spoken to the reader too, and is a term).
        and not (
            re.search(r"\b(?:your|you|my|our|we|us|i)\b", heading, re.IGNORECASE)
            and not is_instruction(heading)
        )
        and not _FRAMING.match(heading)
    )
