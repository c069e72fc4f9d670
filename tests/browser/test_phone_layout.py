"""Every page at phone width (issue 25): nothing scrolls sideways, and every link of the
navigation can be reached, with and without JavaScript. Chromium emulating a phone."""

import re

import pytest
from playwright.sync_api import expect

from certificates.models import Certificate
from tests.browser.test_learner_journey import course, sign_up  # noqa: F401 - fixtures

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 360, "height": 740}
LONG_NAME = "Maria Fernanda Souza de Albuquerque Cavalcanti"


@pytest.fixture(params=[True, False], ids=["javascript", "no-javascript"])
def phone(request, browser, site):
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, java_script_enabled=request.param
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def _sideways(page) -> int:
    """How far the page scrolls sideways (0: it does not)."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def _finish_course(page, site):
    page.goto(f"{site}/courses/calm-calls/")
    page.get_by_role("button", name="Start the course").click()
    for _ in range(2):
        page.get_by_label("Active listening").check()
        page.get_by_role("button", name="Check answer").click()
        expect(page.get_by_text("You are right!")).to_be_visible()
        buttons = page.get_by_role("button", name=re.compile(r"^Next page:"))
        if buttons.count():
            buttons.first.click()
    page.get_by_role("button", name="Finish the course").click()


def test_signed_in_pages_fit_a_phone_and_the_menu_reaches_every_link(phone, site, course):  # noqa: F811
    sign_up(phone, site, username="maria", name=LONG_NAME)
    _finish_course(phone, site)
    certificate = Certificate.objects.get()
    pages = [
        "/",
        "/courses/calm-calls/",
        "/courses/calm-calls/chapter-1/",
        "/my-learning/",
        "/certificates/",
        certificate.get_absolute_url(),
        certificate.verify_path(),
        "/accounts/profile/",
        "/accounts/password_change/",
    ]
    for path in pages:
        phone.goto(f"{site}{path}")
        assert _sideways(phone) == 0, f"{path} scrolls sideways by {_sideways(phone)} px"
    screenshot(phone, "phone-certificate-verify")

    phone.goto(f"{site}/courses/calm-calls/chapter-1/")
    menu = phone.locator("summary", has_text="Menu")
    expect(menu).to_be_visible()
    menu.click()
    bar = phone.get_by_role("navigation", name="Main")
    for name in ("Courses", "My learning", "Certificates", "Log out"):
        link = bar.get_by_role("link", name=name).or_(bar.get_by_role("button", name=name))
        box = link.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], name
    name_link = bar.get_by_role("link", name=LONG_NAME)
    box = name_link.bounding_box()
    assert box and box["x"] + box["width"] <= PHONE["width"]
    assert _sideways(phone) == 0
    screenshot(phone, "phone-menu-open")
    bar.get_by_role("link", name="Certificates").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("certificates")
    phone.locator("summary", has_text="Menu").click()
    bar.get_by_role("button", name="Log out").click()
    expect(bar.get_by_role("link", name="Log in")).to_be_visible()


def test_signed_out_the_bar_fits_on_one_line(phone, site, course):  # noqa: F811
    for path in ("/", "/courses/calm-calls/", "/accounts/login/", "/accounts/signup/"):
        phone.goto(f"{site}{path}")
        assert _sideways(phone) == 0, path
        for name in ("Log in", "Sign up"):
            bar = phone.get_by_role("navigation", name="Main")
            lines = bar.get_by_role("link", name=name, exact=True).evaluate(
                "element => element.getClientRects().length"
            )
            assert lines == 1, f"{name} wraps on {path}"
