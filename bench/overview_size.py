"""Is the course overview flat in course size: 2,000 chapters at most twice 10? (issue 14)

In process (Django's test client, a SQLite file, the file cache, `DJANGO_DEBUG=0`): a learner
enrolled in each course with two chapters read, warm, median of 300 requests each, for 10
and 2,000 chapters, the two measured in turns. Prints both medians, their ratio (goal <= 2)
and the query counts (must be equal). Not part of the test suite; figures go to
bench/RESULTS.md by hand.
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

WORK = Path(tempfile.mkdtemp(prefix="chapterwise-overview-size-"))
REPEATS = 300


def main() -> None:
    django_setup(WORK)
    from learning import progress
    from tests.conftest import make_course

    learner, client = learner_client()
    print(banner("overview-size"))
    urls = {}
    for count in (10, 2000):
        course = make_course(chapters=count, slug=f"overview-{count}")
        progress.enrollment_start(learner=learner, course=course)
        for chapter in course.chapters.filter(position__lte=2):
            progress.chapter_mark_read(learner=learner, chapter=chapter)
        urls[count] = course.get_absolute_url()
    results = page_costs(
        {count: (lambda url=url: client.get(url)) for count, url in urls.items()}, repeats=REPEATS
    )
    compare(("10 chapters", *results[10]), ("2,000 chapters", *results[2000]), goal=2)


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
