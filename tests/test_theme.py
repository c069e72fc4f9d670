"""The reader's theme (issue 25): a cookie set by plain links, per-theme visitor pages."""

import pytest

from tests.conftest import make_course

pytestmark = pytest.mark.django_db


def _theme(response) -> str:
    html = response.content.decode()
    return html.split('data-bs-theme="', 1)[1].split('"', 1)[0]


def test_a_visitor_page_is_cached_per_theme(client):
    chapter = make_course(chapters=1).chapters.get()
    assert _theme(client.get(chapter.get_absolute_url())) == "auto"  # now cached
    client.cookies["theme"] = "dark"
    assert _theme(client.get(chapter.get_absolute_url())) == "dark"
    del client.cookies["theme"]
    assert _theme(client.get(chapter.get_absolute_url())) == "auto"


def test_the_switch_sets_a_known_theme_and_goes_back_to_this_site_only(client):
    response = client.get("/theme/?theme=dark&next=/courses/")
    assert response.status_code == 302 and response["Location"] == "/courses/"
    assert response.cookies["theme"].value == "dark"
    assert response.cookies["theme"]["httponly"] and response.cookies["theme"]["samesite"] == "Lax"
    odd = client.get("/theme/?theme=<script>&next=https://elsewhere.example/")
    assert odd["Location"] == "/" and "theme" not in odd.cookies
    client.cookies["theme"] = "purple"
    assert _theme(client.get("/")) == "auto"
