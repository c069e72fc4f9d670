"""Markdown to safe HTML, done once when content is saved.

Every piece of learner-visible rich text (chapter bodies, question stems,
feedback) goes through :func:`render_markdown`, so there is one sanitiser
policy for the whole site.
"""

import html
import re
import threading

import markdown as md
import nh3
from django.utils.text import slugify

WORDS_PER_MINUTE = 200

_ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "div",
    "dl",
    "dt",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
}
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "abbr": {"title"},
    "td": {"align"},
    "th": {"align"},
}
_WORD = re.compile(r"[\w’'-]+", re.UNICODE)


_HEADING_TAGS = {"h2", "h3", "h4", "h5", "h6"}
_ID_PREFIX = "s-"


def heading_id(text: str, separator: str = "-") -> str:
    """The id of a heading in rendered content: "s-" and the slug of its words, without a
    leading number ("3. Empathy" -> "s-empathy"). Generated questions link to it."""
    words = re.sub(r"^\s*\d+\s*[.)]\s*", "", html.unescape(text))
    return _ID_PREFIX + (slugify(words) or "section")


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    # Only the ids the renderer gives headings survive: an author's id="exercise" could
    # otherwise clash with the page's own.
    if attribute == "id":
        return value if tag in _HEADING_TAGS and value.startswith(_ID_PREFIX) else None
    return value


def sanitise_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes={
            **_ALLOWED_ATTRIBUTES,
            **{tag: {"id"} for tag in _HEADING_TAGS},
        },
        attribute_filter=_keep_attribute,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


_local = threading.local()
# One line of prose with nothing Markdown would act on: no markup, no list or heading start.
_PLAIN = re.compile(r"(?![-+*#>]|\d+[.)])[\w ,.;:?!'’‘\"“”()/%–—-]+", re.UNICODE)


def _markdown() -> md.Markdown:
    # Building a Markdown instance (extensions, patterns) costs far more than converting a
    # short text, so each thread keeps one and resets it between documents.
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = md.Markdown(
            extensions=["extra", "sane_lists", "toc"],
            extension_configs={"toc": {"slugify": heading_id}},
            output_format="html",
        )
        _local.converter = converter
    return converter


class MarkdownError(ValueError):
    """Markdown that cannot be rendered; ``line`` is where the trouble is, when known."""

    def __init__(self, message: str, line: int | None = None):
        self.line = line
        super().__init__(message)


def _deepest_line(text: str) -> int:
    """The line nested deepest (leading indentation and quote markers): where to look."""
    best, best_line = -1, 1
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.lstrip(" \t>")
        prefix = line[: len(line) - len(stripped)]
        depth = prefix.count(">") * 4 + len(prefix.replace(">", ""))
        if depth > best:
            best, best_line = depth, number
    return best_line


def render_markdown(text: str) -> str:
    """Sanitised HTML for Markdown; MarkdownError for text nested too deeply to render."""
    # Chapter titles are the page's <h1>; "# X" inside a body is demoted by the importer.
    text = text or ""
    stripped = text.strip()
    if not stripped:
        return ""
    if _PLAIN.fullmatch(stripped) and "  " not in stripped:
        # The common case for choices and feedback: Markdown would only wrap it in <p>.
        return sanitise_html(f"<p>{html.escape(stripped, quote=False)}</p>")
    converter = _markdown()
    try:
        return sanitise_html(converter.convert(text))
    except RecursionError:
        # A converter interrupted mid-document keeps broken state: the next one is new.
        _local.converter = None
        # python-markdown recurses once per level of nested lists; hundreds of levels exhaust
        # the stack. No reader needs that: refuse the text, pointing at the deepest line.
        raise MarkdownError(
            "lists or quotes are nested too deeply to render; flatten them",
            line=_deepest_line(text),
        ) from None
    finally:
        converter.reset()


def word_count(text: str) -> int:
    return len(_WORD.findall(text or ""))


def reading_minutes(words: int) -> int:
    # Rounded to the nearest minute, as readers estimate; a page is never "0 minutes".
    return max(1, int(words / WORDS_PER_MINUTE + 0.5))


def render_inline_markdown(text: str) -> str:
    """For short text inside a label or a button: no wrapping paragraph."""
    html = render_markdown(text)
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html
