"""Turning scraped article text into a chapter's Markdown.

The articles a course is born from were scraped from ebook apps and document sites:
besides the text they carry store badges, "next page" teasers, the app's own embedded
exercise, certificate adverts in several languages and document metadata. Every kind of
junk is one named rule in ``RULES`` (and title fixes in ``TITLE_RULES``), so a new kind of
junk is a new entry with its own test, not another branch in the code.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

Lines = list[str]


@dataclass(frozen=True)
class Rule:
    """Drop lines from ``lines[i]`` on when ``starts`` matches it.

    ``through`` drops every line up to and including the first later line it matches
    (only the matching line when none does); ``rest`` drops everything to the end;
    ``with_next`` also drops the next non-empty line; ``when`` adds a test on the
    lines around ``i``.
    """

    name: str
    starts: re.Pattern
    through: re.Pattern | None = None
    rest: bool = False
    with_next: bool = False
    when: Callable[[Lines, int], bool] | None = None

    def span(self, lines: Lines, i: int) -> int:
        """How many lines from ``i`` this rule drops (0 when it does not apply)."""
        if not self.starts.search(lines[i]) or (self.when and not self.when(lines, i)):
            return 0
        if self.rest:
            return len(lines) - i
        if self.through is not None:
            for j in range(i + 1, len(lines)):
                if self.through.search(lines[j]):
                    return j - i + 1
            return 1
        if self.with_next:
            j = _next_text(lines, i)
            return (j - i + 1) if j is not None else 1
        return 1


def _next_text(lines: Lines, i: int) -> int | None:
    for j in range(i + 1, len(lines)):
        if lines[j].strip():
            return j
    return None


def _previews_next_line(lines: Lines, i: int) -> bool:
    # Document sites show a cut-off preview ("…in the dynamic landscape. Th...") just
    # before the full text; the preview is junk when the next paragraph starts with it.
    j = _next_text(lines, i)
    if j is None:
        return False
    preview = re.sub(r"(\.\.\.|…)\s*$", "", lines[i]).strip()
    return len(preview) >= 20 and lines[j].strip().startswith(preview)


def _i(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


# Words for "certificate" and "app" in the languages the adverts come in.
_CERTIFICATE = r"(certificate|certificat|certificado|certificato|zertifikat|certyfikat|sertifika)"
_APP = r"(app|application|aplicativo|aplicación|applicazione|anwendung|aplikacj\w*|google play)"

RULES: tuple[Rule, ...] = (
    Rule(
        "embedded exercise",
        _i(r"^now answer the exercise about the content:?$"),
        through=_i(r"^you missed! try again\.?$"),
    ),
    Rule("exercise verdict", _i(r"^(you are right! congratulations|you missed! try again)")),
    Rule("article image caption", _i(r"^article image\b")),
    Rule(
        "next page teaser",
        _i(r"^next page of the free ebook:?$"),
        through=_i(r"^\d+\s+minutes?$"),
    ),
    Rule("certificate advert", _i(rf"\b{_CERTIFICATE}\w*\b.*\b{_APP}\b")),
    Rule("cursa advert", _i(r"\bcursa\b")),
    Rule(
        "app store footer",
        _i(r"^(get it on|download on|disponible sur) (google play|the app store|app store)"),
        rest=True,
    ),
    Rule("back to top", _i(r"^back to top( button)?$")),
    Rule("document details", _i(r"^(document details|tags|full transcript|null)$")),
    Rule("uploaded by", _i(r"^uploaded by\b")),
    Rule("document summary", _i(r"^summary$"), with_next=True),
    Rule("cut-off preview", _i(r"(\.\.\.|…)\s*$"), when=_previews_next_line),
)


@dataclass(frozen=True)
class TitleRule:
    name: str
    pattern: re.Pattern
    replacement: str


TITLE_RULES: tuple[TitleRule, ...] = (
    TitleRule("copy suffix", re.compile(r"_\d+$"), ""),
    TitleRule("download label", _i(r"\s+pdf( guide)?$"), ""),
    TitleRule("dash subtitle", re.compile(r"(\w)- (\w)"), r"\1: \2"),
)

# Site section names scraped above the real title.
BREADCRUMBS = frozenset({"case studies", "blog", "articles", "home", "news", "guides"})

_NUMBERED_HEADING = re.compile(r"^\d{1,3}\.\s+(?P<term>[^.!?]{1,80}?)\s*$")
_NUMBERED_TERM = re.compile(r"^\d{1,3}\.\s+(?P<term>[^:.!?]{1,60}):\s+(?P<text>\S.*)$")
_HEADING_LIKE = re.compile(r"^[A-Z][^.!?:;,]{0,80}$")


@dataclass(frozen=True)
class CleanedArticle:
    title: str
    markdown: str
    dropped: dict[str, int]  # rule name -> lines dropped, for the import report


def drop_junk(lines: Lines) -> tuple[Lines, dict[str, int]]:
    kept: Lines = []
    dropped: dict[str, int] = {}
    i = 0
    while i < len(lines):
        for rule in RULES:
            span = rule.span(lines, i)
            if span:
                dropped[rule.name] = dropped.get(rule.name, 0) + span
                i += span
                break
        else:
            kept.append(lines[i])
            i += 1
    return kept, dropped


def clean_title(line: str) -> str:
    title = line.strip()
    for rule in TITLE_RULES:
        title = rule.pattern.sub(rule.replacement, title)
    words = title.split()
    if len(words) > 14 or re.search(r"[.!?]$", title):
        # Some articles start straight with the intro: title it with its first sentence.
        first = re.split(r"(?<=[.!?])\s", title, maxsplit=1)[0].rstrip(".!?")
        words = first.split()
        title = first if len(words) <= 14 else " ".join(words[:10]) + "…"
    return title


def _is_heading_like(line: str, next_line: str | None) -> bool:
    words = line.split()
    return (
        bool(_HEADING_LIKE.match(line))
        and 1 <= len(words) <= 10
        and next_line is not None
        and len(next_line.split()) > len(words)
    )


def structure(lines: Lines) -> str:
    """Markdown paragraphs, with numbered items and short title lines as ``##`` headings."""
    paragraphs = [line.strip() for line in lines if line.strip()]
    blocks: list[str] = []
    for index, text in enumerate(paragraphs):
        following = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
        if match := _NUMBERED_TERM.match(text):
            blocks.append(f"## {match['term'].strip()}")
            blocks.append(_escape(match["text"]))
        elif match := _NUMBERED_HEADING.match(text):
            blocks.append(f"## {match['term']}")
        elif _is_heading_like(text, following):
            blocks.append(f"## {text}")
        else:
            blocks.append(_escape(text))
    return "\n\n".join(blocks) + "\n"


def _escape(text: str) -> str:
    # Scraped prose is not Markdown: keep a leading "#", "1." or "-" from becoming markup.
    return re.sub(r"^(#|\d+\.|[-+*>])(\s)", r"\\\1\2", text)


def clean_article(text: str) -> CleanedArticle:
    """Title and Markdown body of one scraped article (empty body when nothing is left)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").split("\n")
    lines, dropped = drop_junk([line.rstrip() for line in lines])
    content = [line for line in lines if line.strip()]
    while content and content[0].strip().lower() in BREADCRUMBS and len(content) > 1:
        dropped["breadcrumb"] = dropped.get("breadcrumb", 0) + 1
        content.pop(0)
    if not content:
        return CleanedArticle(title="", markdown="", dropped=dropped)
    first = content[0].strip()
    title = clean_title(first)
    # A first line that was a whole intro paragraph stays in the body.
    body = content[1:] if _is_title_only(first) else content
    return CleanedArticle(title=title, markdown=structure(body) if body else "", dropped=dropped)


def _is_title_only(line: str) -> bool:
    return len(line.split()) <= 14 and not re.search(r"[.!?]$", line)
