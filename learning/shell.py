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

from django.conf import settings
from django.contrib.messages import get_messages
from django.middleware.csrf import get_token
from django.template import Template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.translation import get_language

from core.pagecache import cached_content
from courses.selectors import ChapterPage
from quizzes.selectors import ExerciseItem, Option

_OPEN, _CLOSE = "\ue000", "\ue001"  # private-use code points around a slot's name
# parts[0::2] are literal HTML, parts[1::2] slot names: what str.join needs, nothing more.
Parts = tuple[str, ...]


class _Slots:
    """The sentinels of one build. A fresh nonce in each makes a slot impossible to write in
    content; content holding either sentinel character at all is rendered in full."""

    def __init__(self) -> None:
        self.nonce = secrets.token_hex(8)
        self.pattern = re.compile(f"{_OPEN}{self.nonce}([a-z0-9]+){_CLOSE}")

    def __call__(self, name: str) -> str:
        return f"{_OPEN}{self.nonce}{name}{_CLOSE}"

    def compile(self, html: str, allowed: set[str]) -> Parts | None:
        """The rendered page cut at its slots; None if anything else looks like one."""
        parts = tuple(self.pattern.split(html))
        if any(_OPEN in p or _CLOSE in p for p in parts[0::2]):
            return None
        if not set(parts[1::2]) <= allowed:
            return None
        return parts


def _fill(parts: Parts, values: dict[str, str]) -> str:
    pieces = list(parts)
    pieces[1::2] = [values[name] for name in parts[1::2]]
    return "".join(pieces)


class _ShellUser:
    """What the templates read of a signed-in learner, the name left as a slot."""

    is_authenticated = True

    def __init__(self, slot: _Slots) -> None:
        self.display_name = slot("name")


@dataclass(frozen=True)
class _Block:
    """One question's block, open and already answered right."""

    open: Parts
    passed: Parts


@dataclass(frozen=True)
class _Shell:
    page: Parts
    blocks: dict[int, _Block]


def _block_slots(item: ExerciseItem, slot: _Slots) -> tuple[ExerciseItem, set[str]]:
    """A stand-in item whose options and answers are slots, by position in the learner's
    order (the positions, and so the element ids, are the same for every learner)."""
    options = [Option(slot(f"n{i}"), slot(f"h{i}")) for i in range(len(item.options))]
    answers = [Option(slot(f"an{i}"), slot(f"ah{i}")) for i in range(len(item.answers))]
    names = {"csrf"}
    names.update(f"n{i}" for i in range(len(options)))
    names.update(f"h{i}" for i in range(len(options)))
    names.update(f"an{i}" for i in range(len(answers)))
    names.update(f"ah{i}" for i in range(len(answers)))
    return ExerciseItem(item.question, options, answers, False), names


def _build(page: ChapterPage, items: list[ExerciseItem]) -> _Shell | None:
    chapter, course = page.chapter, page.chapter.course
    slot = _Slots()
    common = {
        "page": page,
        "chapter": chapter,
        "course": course,
        "result": None,
        "user": _ShellUser(slot),
        "csrf_token": slot("csrf"),
    }
    answer_url = reverse("learning:answer", args=[course.slug, chapter.slug])
    blocks = {}
    for item in items:
        stand_in, names = _block_slots(item, slot)
        variants = []
        for passed in (False, True):
            html = render_to_string(
                "learning/exercise_item.html",
                {
                    **common,
                    "item": ExerciseItem(
                        stand_in.question, stand_in.options, stand_in.answers, passed
                    ),
                    "answer_url": answer_url,
                },
            )
            parts = slot.compile(html, names)
            if parts is None:
                return None
            variants.append(parts)
        blocks[item.question.pk] = _Block(*variants)
    html = render_to_string(
        "learning/chapter.html",
        {
            **common,
            "items": items[:1],  # one pass of the loop: the slot stands for every block
            "item_template": Template(slot("items")),
        },
    )
    parts = slot.compile(html, {"csrf", "name", "items"})
    if parts is None or (items and parts[1::2].count("items") != 1):
        return None
    return _Shell(parts, blocks)


def _shell(page: ChapterPage, items: list[ExerciseItem]) -> _Shell | None:
    chapter = page.chapter
    key = f"chapter-shell:{chapter.pk}:{get_language()}"
    return cached_content(key, lambda: _build(page, items) or False) or None


def _block_html(block: _Block, item: ExerciseItem, token: str) -> str:
    values = {"csrf": token}
    for i, option in enumerate(item.options):
        values[f"n{i}"] = conditional_escape(option.name)
        values[f"h{i}"] = option.html
    for i, answer in enumerate(item.answers):
        values[f"an{i}"] = conditional_escape(answer.name)
        values[f"ah{i}"] = answer.html
    return _fill(block.passed if item.passed else block.open, values)


def chapter_from_shell(request, *, page: ChapterPage, items: list[ExerciseItem]) -> str | None:
    """The signed-in learner's chapter page from the shared shell, or None when this request
    needs the full render (pending messages, the shell switched off or not buildable)."""
    if not settings.CHAPTER_SHELL or len(get_messages(request)):
        return None
    shell = _shell(page, items)
    if shell is None:
        return None
    blocks = []
    for item in items:
        block = shell.blocks.get(item.question.pk)
        if block is None:
            return None
        blocks.append(block)
    token = get_token(request)  # masked once for every form on the page
    exercise = "".join(
        _block_html(block, item, token) for block, item in zip(blocks, items, strict=True)
    )
    return _fill(
        shell.page,
        {"csrf": token, "name": conditional_escape(request.user.display_name), "items": exercise},
    )
