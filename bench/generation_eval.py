"""How the question generator does on text nobody here wrote (issue 11).

For each document of tests/data/generation/eval/ (public glossaries and tutorials, with an
answer key: term -> its first defining sentence) the generator plans items as it would
for a one-chapter course, and this prints: sections seen, sections that define something
(the answer key's size), items made per kind, the share of defining sections that gave an
item, and the share of items keyed right with sibling distractors (the keyed term is in the
answer key, the stem's clause comes from that term's definition, and every distractor is a
sibling). Then the five seed articles of ../shared/source-articles imported as a course:
single-choice items in all, and how many of the 24 techniques of article 003 got one.

Pure text: no database. Run: .venv/bin/python bench/generation_eval.py
"""

import json
import os
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from courses.services import articles_read  # noqa: E402
from quizzes.textgen import KINDS, SINGLE, ChapterText, plan_course  # noqa: E402

EVAL = ROOT / "tests" / "data" / "generation" / "eval"
SEED = ROOT.parent / "shared" / "source-articles"
STOP = set("a an the of to and or in on for is are be by with that this it as at from".split())


def roots(text: str) -> set[str]:
    return {w[:5] for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOP}


def norm(term: str) -> str:
    term = re.sub(r"^(.{2,}?)\s*\([^)]*\)$", r"\1", term.strip())  # "Helm (and helm)"
    return " ".join(re.sub(r"[`*_]", "", term).casefold().split())


def evaluate(path: Path) -> dict:
    answers = {
        norm(k): v for k, v in json.loads(path.with_suffix(".answers.json").read_text()).items()
    }
    plan = plan_course(
        chapters=[ChapterText("1", path.stem.replace("-", " ").title(), path.read_text())],
        kinds=KINDS,
    )[0]
    per_kind = Counter(item.kind for item in plan.items)
    covered = {norm(item.term) for item in plan.items} & set(answers)
    good = 0
    bad: list[str] = []
    single = [item for item in plan.items if item.kind != "matching"]
    for item in single:
        truth = answers.get(norm(item.term))
        clause = roots(item.clause)
        # Keyed right: the term is one the answer key names, and the stem comes from that
        # term's own passage (the passage holds the key's definition, or the clause echoes it).
        passage = " ".join(item.section.paragraph.split()).casefold()
        sourced = bool(truth) and (
            len(clause & roots(truth)) >= max(1, len(clause) // 3)
            or " ".join(re.sub(r"[`*_]", "", truth).split()).casefold()[:60] in passage
        )
        if sourced and item.siblings_only:
            good += 1
        else:
            bad.append(f"{item.kind}: {item.term} <- {item.stem[:90]}")
    return {
        "sections": plan.sections,
        "defining": len(answers),
        "per_kind": per_kind,
        "covered": len(covered),
        "items": len(single),
        "good": good,
        "bad": bad,
        "skipped": plan.skipped,
    }


def seed_articles() -> tuple[int, int, int]:
    articles = articles_read(SEED)
    plans = plan_course(
        chapters=[ChapterText(str(n), a.title, a.markdown) for n, a in enumerate(articles)],
        course_title="Handling Customer Conflict",
        kinds=(SINGLE,),
    )
    total = sum(len(plan.items) for plan in plans)
    article = next(a for a in articles if a.source.name.startswith("003"))
    in_course = next(plan for plan, a in zip(plans, articles, strict=True) if a is article)
    alone = plan_course(
        chapters=[ChapterText("3", article.title, article.markdown)],
        course_title="Handling Customer Conflict",
        kinds=(SINGLE,),
    )[0]
    return total, len(in_course.items), len(alone.items)


def main() -> None:
    verbose = "-v" in sys.argv
    print(
        f"{'document':34} {'sections':>8} {'defining':>8} {'covered':>8} "
        f"{'single':>6} {'match':>5} {'missing':>7} {'t/f':>4} {'right+siblings':>14}"
    )
    totals = Counter()
    for path in sorted(EVAL.glob("*.md")):
        if path.name == "SOURCES.md":
            continue
        r = evaluate(path)
        kinds = r["per_kind"]
        share = f"{r['good']}/{r['items']}" if r["items"] else "-"
        print(
            f"{path.stem:34} {r['sections']:>8} {r['defining']:>8} {r['covered']:>8} "
            f"{kinds['single']:>6} {kinds['matching']:>5} {kinds['missingword']:>7} "
            f"{kinds['truefalse']:>4} {share:>14}"
        )
        totals.update(
            {
                "defining": r["defining"],
                "covered": r["covered"],
                "items": r["items"],
                "good": r["good"],
            }
        )
        if verbose:
            for line in r["bad"]:
                print(f"    BAD {line}")
            for heading, reason in r["skipped"]:
                print(f"    skip {heading}: {reason}")
    print(
        f"ALL: {totals['covered']}/{totals['defining']} defining sections gave an item "
        f"({100 * totals['covered'] / max(1, totals['defining']):.0f}%, goal 70%); "
        f"{totals['good']}/{totals['items']} items keyed right with sibling distractors "
        f"({100 * totals['good'] / max(1, totals['items']):.0f}%, goal 95%)"
    )
    if SEED.exists():
        total, in_course, alone = seed_articles()
        print(
            f"Seed articles: {total} single-choice items (goal 20); article 003: {alone} of 24 "
            f"techniques on its own (goal 18), {in_course} as chapter 4 of the five (terms "
            "asked in an earlier chapter are not asked again)"
        )


if __name__ == "__main__":
    main()
