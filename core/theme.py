"""Light, dark, or the system's choice: the reader's theme, remembered in a cookie.

"auto" (the default) follows ``prefers-color-scheme`` in CSS; "light" and "dark" are a
reader's own choice from the footer's switch, which works without JavaScript (plain links,
like the language switch: visitors' pages stay cacheable, and the cached copy is per theme).
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from core.http import next_url

THEMES = ("auto", "light", "dark")
COOKIE = "theme"
COOKIE_AGE = 365 * 24 * 3600


def theme_of(request: HttpRequest) -> str:
    chosen = request.COOKIES.get(COOKIE, "")
    return chosen if chosen in THEMES else "auto"


def theme(request: HttpRequest) -> dict:
    """Context processor: ``theme`` for <html data-bs-theme> and the switch."""
    return {"theme": theme_of(request), "themes": THEMES}


def theme_set(request: HttpRequest) -> HttpResponse:
    chosen = request.GET.get("theme", "")
    response = redirect(next_url(request, "/"))
    if chosen in THEMES:
        response.set_cookie(
            COOKIE,
            chosen,
            max_age=COOKIE_AGE,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
        )
    return response
