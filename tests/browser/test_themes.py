"""Chapterwise's own look (issue 25): light and dark themes that follow the system and a
switch that works without JavaScript, readable in both (axe), a print stylesheet, and the
admin in the same colours. Debian's chromium emulating the system's preference."""

import pytest
from playwright.sync_api import expect

from accounts.models import User
from tests.browser.test_learner_journey import course  # noqa: F401 - fixture

from .conftest import axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CHAPTER = "/courses/calm-calls/chapter-1/"


def _context(browser, *, scheme: str, javascript: bool = True):
    return browser.new_context(
        bypass_csp=True,
        color_scheme=scheme,
        java_script_enabled=javascript,
        viewport={"width": 1000, "height": 800},
    )


def _background_luminance(page) -> float:
    """0 (black) to 1 (white): the body's background as the reader sees it."""
    return page.evaluate(
        """() => {
        const [r, g, b] = getComputedStyle(document.body).backgroundColor
            .match(/\\d+/g).slice(0, 3).map(Number);
        return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
    }"""
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_page_follows_the_system_and_stays_readable(browser, site, course, scheme):  # noqa: F811
    context = _context(browser, scheme=scheme)
    page = context.new_page()
    page.goto(f"{site}{CHAPTER}")
    luminance = _background_luminance(page)
    assert (luminance < 0.2) if scheme == "dark" else (luminance > 0.9), luminance
    assert axe_violations(page) == []
    page.goto(f"{site}/")
    assert axe_violations(page) == []
    screenshot(page, f"catalogue-{scheme}")
    context.close()


def test_the_switch_works_without_javascript_and_is_remembered(browser, site, course):  # noqa: F811
    context = _context(browser, scheme="dark", javascript=False)
    page = context.new_page()
    page.goto(f"{site}{CHAPTER}")
    assert _background_luminance(page) < 0.2
    theme = page.get_by_role("navigation", name="Theme")
    theme.get_by_role("link", name="Light").click()
    expect(page).to_have_url(f"{site}{CHAPTER}")
    assert _background_luminance(page) > 0.9  # the reader's choice over the system's
    expect(theme.get_by_role("link", name="Light")).to_have_attribute("aria-current", "true")
    page.goto(f"{site}/")
    assert _background_luminance(page) > 0.9  # remembered on the next page
    page.get_by_role("navigation", name="Theme").get_by_role("link", name="Dark").click()
    assert _background_luminance(page) < 0.2
    context.close()


def test_a_printed_chapter_is_the_text_alone(browser, site, course):  # noqa: F811
    context = _context(browser, scheme="dark")
    page = context.new_page()
    page.goto(f"{site}{CHAPTER}")
    page.emulate_media(media="print")
    assert page.locator("body > header").evaluate("n => getComputedStyle(n).display") == "none"
    assert page.locator("footer").evaluate("n => getComputedStyle(n).display") == "none"
    assert page.locator("form").first.evaluate("n => getComputedStyle(n).display") == "none"
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert _background_luminance(page) > 0.95  # black on white, whatever the theme
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_admin_wears_the_same_colours(browser, site, scheme):
    User.objects.create_superuser("editor", "editor@example.org", "a long editor passphrase 7")
    context = _context(browser, scheme=scheme)
    page = context.new_page()
    page.goto(f"{site}/admin/login/")
    page.locator("#id_username").fill("editor")
    page.locator("#id_password").fill("a long editor passphrase 7")
    page.locator("input[type=submit]").click()
    expect(page.locator("#site-name")).to_be_visible()
    header = page.locator("#header").evaluate("n => getComputedStyle(n).backgroundColor")
    assert header == ("rgb(8, 79, 79)" if scheme == "light" else "rgb(15, 18, 22)"), header
    assert axe_violations(page) == []
    context.close()
