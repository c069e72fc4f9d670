"""The admin's review of generated drafts in a real browser (issue 24, point 6): ten or more
items fit a 1280x800 screen, select-all, publish and undo."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import User
from courses.models import Chapter, Course
from quizzes.models import Question
from quizzes.services import questions_generate

from .conftest import axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DATA = Path(__file__).resolve().parents[1] / "data" / "generation"


@pytest.fixture
def drafts():
    course = Course.objects.create(title="Calm at the Counter", slug="calm")
    for position, (slug, title, name) in enumerate(
        [
            ("calming", "Twelve Techniques for Calming an Angry Customer", "calming_techniques.md"),
            ("online", "Resolving Conflicts Online", "resolving_online.md"),
        ],
        start=1,
    ):
        Chapter.objects.create(
            course=course,
            position=position,
            slug=slug,
            title=title,
            body_markdown=(DATA / name).read_text(),
        )
    questions_generate(course=course, status=Question.Status.DRAFT)
    User.objects.create_superuser("editor", "editor@example.org", "a long editor passphrase 7")
    return course


def log_in(page, site):
    page.goto(f"{site}/admin/login/")
    page.locator("#id_username").fill("editor")
    page.locator("#id_password").fill("a long editor passphrase 7")
    page.locator("input[type=submit]").click()


def test_ten_drafts_fit_a_laptop_screen_and_publishing_can_be_undone(browser, site, drafts):
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    log_in(page, site)
    page.goto(f"{site}/admin/quizzes/question/review/")
    rows = page.locator("tr.item")
    assert rows.count() >= 10
    visible = page.evaluate(
        "() => [...document.querySelectorAll('tr.item')]"
        ".filter(r => r.getBoundingClientRect().bottom <= window.innerHeight).length"
    )
    screenshot(page, "review-screen-1280x800")
    assert visible >= 10, f"only {visible} items fit the first screen"
    assert axe_violations(page) == []

    page.locator("#select-all").check()
    boxes = page.locator("input[name=question]")
    selected = boxes.count()
    assert selected == 40 and all(boxes.nth(i).is_checked() for i in range(selected))
    page.get_by_role("button", name="Publish selected").click()
    expect(page.get_by_text("Published 40 questions.")).to_be_visible()
    assert Question.objects.filter(status="published").count() == selected

    page.get_by_role("button", name="Undo").click()
    expect(page.get_by_text("back to draft")).to_be_visible()
    assert not Question.objects.filter(status="published").exists()
    context.close()


def test_on_a_phone_each_item_reads_in_full(browser, site, drafts):
    """At 360 px the fixed columns left each item's text 0 px wide (issue 25)."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    page = context.new_page()
    log_in(page, site)
    page.goto(f"{site}/admin/quizzes/question/review/")
    sideways = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert sideways == 0
    stem = page.locator("tr.item td.stem").first
    options = page.locator("tr.item td.options").first
    assert stem.bounding_box()["width"] >= 280 and options.bounding_box()["width"] >= 280
    fits = stem.evaluate("cell => cell.scrollWidth <= cell.clientWidth")
    assert fits, "the item's text is cut"
    screenshot(page, "review-screen-phone")
    context.close()
