"""The course overview's chapter list, rendered once per content version and language
(issue 14): every row joined, as UTF-8, with the "not started" badge, and where each row's
badge sits in it. A learner's page then costs a slice per chapter they have touched, not a
render, a join or an encoding per chapter, and the list is spliced into the rendered page
(an 800 KB list for 2,000 chapters is neither copied through each template block nor
encoded again)."""

import secrets
from dataclasses import dataclass

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core.pagecache import cached_content
from courses import selectors

# Where a row's badge goes: safe, so the row template prints it as it is.
_SLOT = mark_safe("<!--chapter-state-->")  # noqa: S308 - a constant
# Where the rows go in the rendered overview; random, so no content can hold it.
ROWS = mark_safe(f"<!--chapter-rows-{secrets.token_hex(8)}-->")  # noqa: S308 - a constant
_STATES = ("passed", "done", "read", "not_started")


@dataclass(frozen=True)
class OverviewRows:
    """A course's chapter list as every learner's page shares it."""

    ids: list[int]
    index: dict[int, int]
    links: dict[int, tuple[str, str]]  # id -> (title, url)
    total_minutes: int
    badges: dict[str, bytes]
    enrolled_html: bytes
    badge_spans: list[tuple[int, int]]
    visitor_html: bytes

    def html(self, state) -> bytes:
        if not state.enrolled:
            return self.visitor_html
        touched = sorted(
            self.index[pk] for pk in state.read_ids | state.passed_ids if pk in self.index
        )
        pieces, done = [], 0
        for i in touched:
            start, end = self.badge_spans[i]
            pieces += (
                self.enrolled_html[done:start],
                self.badges[state.chapter_state(self.ids[i])],
            )
            done = end
        pieces.append(self.enrolled_html[done:])
        return b"".join(pieces)


def overview_rows(course) -> OverviewRows:
    def build():
        badges = {
            state: render_to_string("learning/chapter_state_badge.html", {"state": state})
            .strip()
            .encode()
            for state in _STATES
        }
        chapters = selectors.course_chapters(course=course)
        enrolled, visitor, spans, links = [], [], [], {}
        length = 0
        for chapter in chapters:
            chapter.course = course
            html = render_to_string(
                "learning/overview_row.html", {"chapter": chapter, "slot": _SLOT}
            )
            before, _, after = (part.encode() for part in html.partition(_SLOT))
            start = length + len(before)
            spans.append((start, start + len(badges["not_started"])))
            enrolled.append(before + badges["not_started"] + after)
            length += len(enrolled[-1])
            visitor.append(before + after)
            links[chapter.pk] = (chapter.title, chapter.get_absolute_url())
        ids = [chapter.pk for chapter in chapters]
        return OverviewRows(
            ids=ids,
            index={pk: i for i, pk in enumerate(ids)},
            links=links,
            total_minutes=sum(chapter.reading_minutes for chapter in chapters),
            badges=badges,
            enrolled_html=b"".join(enrolled),
            badge_spans=spans,
            visitor_html=b"".join(visitor),
        )

    return cached_content(f"overview-rows:{course.pk}:{get_language()}", build)


def overview_response(request, context: dict, rows: OverviewRows, state) -> HttpResponse:
    """The overview page with the learner's chapter list spliced in at ``ROWS``."""
    before, _, after = render_to_string("learning/overview.html", context, request).partition(ROWS)
    return HttpResponse(b"".join((before.encode(), rows.html(state), after.encode())))
