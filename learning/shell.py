"""The learner's chapter page from a shell rendered once (issue 14).

A learner's chapter page is the same for every learner but for a few parts: the display
name, the CSRF token, whether each question is already answered right, and each question's
options in the learner's own order under the learner's own names. The real templates render
the page once per chapter, content version and language with a sentinel in place of each
personal part; a request then joins the literal pieces with its own escaped values, which
costs string joins instead of a template render.

Each question's block is rendered apart, by the same ``learning/exercise_item.html`` the
full render includes, in its two states (passed or not); the chapter around them has one
slot for the blocks. The output is byte-identical to the full render but for the token's
masking (tests/test_chapter_shell.py, every demo chapter and question type).

Rare states fall back to the full render: a verdict just after answering (the view decides)
and pending messages (here). So does content that happens to contain a sentinel character.
"""

import re
import secrets
from dataclasses import dataclass
from html import escape  # what Django's escape runs, without its lazy-string wrapper

from django.conf import settings
from django.contrib.messages import get_messages
from django.middleware.csrf import get_token
from django.template import Template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language

from core.pagecache import cached_content
from core.theme import THEMES, theme_of
from courses.selectors import ChapterPage
from quizzes.selectors import ExerciseItem, Option

_OPEN, _CLOSE = "\ue000", "\ue001"  # private-use code points around a slot's number


@dataclass(frozen=True, slots=True)
class _Piece:
    """A rendered piece cut at its slots, in UTF-8: ``literals[0]``, then each slot's value
    followed by the next literal. Filled by one join of bytes (issue 14; bench/RESULTS.md):
    ``str.format`` parses its whole template on every call (32 µs for the 8.7 KB chapter
    around the blocks, 6 µs per question's block; 0.8 µs for a block joined), and a page with
    a non-ASCII character anywhere (the footer's "Français") costs 1 µs per KB to encode as a
    whole (88 µs for a chapter with 50 questions); only the personal values are encoded per
    request."""

    literals: tuple[bytes, ...]
    numbers: tuple[int, ...]

    def fill(self, values: list[bytes] | tuple[bytes, ...]) -> bytes:
        out = [b""] * (2 * len(self.numbers) + 1)
        out[0::2] = self.literals
        out[1::2] = [values[number] for number in self.numbers]
        return b"".join(out)


class _Slots:
    """The sentinels of one build. A fresh nonce in each makes a slot impossible to write in
    content; content holding either sentinel character at all is rendered in full."""

    def __init__(self) -> None:
        self.nonce = secrets.token_hex(8)
        self.pattern = re.compile(f"{_OPEN}{self.nonce}s([0-9]+){_CLOSE}")

    def __call__(self, number: int) -> str:
        return f"{_OPEN}{self.nonce}s{number}{_CLOSE}"

    def compile(self, html: str, count: int, *, once: int | None = None) -> _Piece | None:
        """The rendered piece cut at its slots (numbers below ``count``; ``once``, if given,
        exactly once); None if anything else looks like a slot."""
        parts = self.pattern.split(html)
        literals = parts[0::2]
        numbers = tuple(int(n) for n in parts[1::2])
        if any(_OPEN in p or _CLOSE in p for p in literals) or any(n >= count for n in numbers):
            return None
        if once is not None and numbers.count(once) != 1:
            return None
        return _Piece(tuple(literal.encode() for literal in literals), numbers)


# The page's slots; a block's are the token, then each option's name and label, then each
# matching answer's name and label, in the learner's order.
_TOKEN, _NAME, _ITEMS = 0, 1, 2


class _ShellUser:
    """What the templates read of a signed-in learner, the name left as a slot."""

    is_authenticated = True

    def __init__(self, slot: _Slots) -> None:
        self.display_name = slot(_NAME)


@dataclass(frozen=True)
class _ShellRequest:
    """What the templates read of the request: the path, the same for every learner of the
    chapter (the footer's language and theme links come back to it)."""

    path: str

    def get_full_path(self) -> str:
        return self.path  # a learner's chapter page with a query string is rendered in full


@dataclass(frozen=True)
class _Block:
    """One question's block, open and already answered right."""

    open: _Piece
    passed: _Piece


@dataclass(frozen=True)
class _Shell:
    page: _Piece
    blocks: dict[int, _Block]


def _stand_in(item: ExerciseItem, slot: _Slots, passed: bool) -> tuple[ExerciseItem, int]:
    """An item whose options and answers are slots, by position in the learner's order (the
    positions, and so the element ids, are the same for every learner); and its slot count."""
    options = [Option(slot(1 + 2 * i), slot(2 + 2 * i)) for i in range(len(item.options))]
    base = 1 + 2 * len(options)
    answers = [Option(slot(base + 2 * i), slot(base + 2 * i + 1)) for i in range(len(item.answers))]
    return ExerciseItem(item.question, options, answers, passed), base + 2 * len(answers)


def _build(page: ChapterPage, items: list[ExerciseItem], theme: str) -> _Shell | None:
    chapter, course = page.chapter, page.chapter.course
    slot = _Slots()
    common = {
        "theme": theme,
        "themes": THEMES,
        "page": page,
        "chapter": chapter,
        "course": course,
        "result": None,
        "user": _ShellUser(slot),
        "request": _ShellRequest(chapter.get_absolute_url()),
        "csrf_token": slot(_TOKEN),
    }
    answer_url = reverse("learning:answer", args=[course.slug, chapter.slug])
    blocks = {}
    for item in items:
        variants = []
        for passed in (False, True):
            stand_in, count = _stand_in(item, slot, passed)
            html = render_to_string(
                "learning/exercise_item.html",
                {**common, "item": stand_in, "answer_url": answer_url},
            )
            compiled = slot.compile(html, count)
            if compiled is None:
                return None
            variants.append(compiled)
        blocks[item.question.id] = _Block(*variants)
    html = render_to_string(
        "learning/chapter.html",
        {
            **common,
            "items": items[:1],  # one pass of the loop: the slot stands for every block
            "item_template": Template(slot(_ITEMS)),
        },
    )
    compiled = slot.compile(html, 3, once=_ITEMS if items else None)
    if compiled is None:
        return None
    return _Shell(compiled, blocks)


def _shell(page: ChapterPage, items: list[ExerciseItem], theme: str) -> _Shell | None:
    chapter = page.chapter
    key = f"chapter-shell:{chapter.pk}:{get_language()}:{theme}"
    return cached_content(key, lambda: _build(page, items, theme) or False) or None


def _block_html(block: _Block, item: ExerciseItem, token: bytes) -> bytes:
    # Names go in as they are: they are hex digests (quizzes.keys), which the template's
    # autoescape leaves alone; labels are sanitised HTML already.
    values = [token]
    for name, html in item.options:
        values += (name.encode(), html.encode())
    for name, html in item.answers:
        values += (name.encode(), html.encode())
    return (block.passed if item.passed else block.open).fill(values)


def chapter_from_shell(request, *, page: ChapterPage, items: list[ExerciseItem]) -> bytes | None:
    """The signed-in learner's chapter page from the shared shell, or None when this request
    needs the full render (pending messages, the shell switched off or not buildable)."""
    if not settings.CHAPTER_SHELL or len(get_messages(request)) or request.GET:
        return None
    shell = _shell(page, items, theme_of(request))
    if shell is None:
        return None
    blocks = []
    for item in items:
        block = shell.blocks.get(item.question.id)
        if block is None:
            return None
        blocks.append(block)
    token = get_token(request).encode()  # masked once for every form on the page
    exercise = b"".join(
        _block_html(block, item, token) for block, item in zip(blocks, items, strict=True)
    )
    name = escape(request.user.display_name).encode()
    return shell.page.fill((token, name, exercise))
