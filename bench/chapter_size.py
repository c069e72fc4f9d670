"""Does a chapter with 50 questions cost at most twice one with a single question? (issue 14)

In process (Django's test client, a SQLite file, the file cache, `DJANGO_DEBUG=0`): the
learner's chapter page, warm, median of 300 requests each, for 1 and 50 single-choice
questions, the two measured in turns.
Prints both medians, their ratio (goal <= 2) and the query counts (must be equal).
Not part of the test suite; figures go to bench/RESULTS.md by hand.
"""

import shutil
import tempfile
from pathlib import Path

from inprocess import (
    banner,
    compare,
    django_setup,
    learner_client,
    page_costs,
)  # bench/, the script's own folder

WORK = Path(tempfile.mkdtemp(prefix="chapterwise-chapter-size-"))
REPEATS = 300


def main() -> None:
    django_setup(WORK)
    from tests.conftest import make_course, make_question

    learner, client = learner_client()
    print(banner("chapter-size"))
    urls = {}
    for count in (1, 50):
        course = make_course(chapters=3, slug=f"size-{count}", words=900)
        chapter = course.chapters.get(position=2)
        for n in range(count):
            make_question(chapter=chapter, stem=f"Which technique helps, case {n}?")
        urls[count] = chapter.get_absolute_url()
    results = page_costs(
        {count: (lambda url=url: client.get(url)) for count, url in urls.items()}, repeats=REPEATS
    )
    compare(("1 question", *results[1]), ("50 questions", *results[50]), goal=2)


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
