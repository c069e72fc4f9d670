"""Error pages: answers that never need the database or the session.

A locked or unreachable database is an outage, not a bug: whichever layer meets it (a
view, the session or auth middleware), the visitor gets a 503 that says to try again.
"""

import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFilesSent
from django.db import DatabaseError
from django.http import HttpResponse
from django.template import loader


def _caused_by_database(error: BaseException | None) -> bool:
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, DatabaseError):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def _page(template: str, status: int, **context) -> HttpResponse:
    # No RequestContext: context processors read the user, i.e. the session and database.
    response = HttpResponse(loader.render_to_string(template, context), status=status)
    response["Cache-Control"] = "no-store"
    return response


def service_unavailable(message: str = "") -> HttpResponse:
    """The 503 page: ``message`` says what is unavailable (default: the database)."""
    response = _page("core/503.html", 503, message=message)
    response["Retry-After"] = "30"
    return response


def server_error(request):
    """handler500: a database outage is a 503; anything else a plain 500 page."""
    if _caused_by_database(sys.exc_info()[1]):
        return service_unavailable()
    return _page("core/500.html", 500)


def bad_request(request, exception):
    """handler400: say what was wrong with the request where we know it."""
    if _caused_by_database(exception):
        return service_unavailable()
    if isinstance(exception, TooManyFilesSent):
        return _page(
            "core/400.html",
            400,
            message=f"Too many files in one upload: at most {settings.IMPORT_MAX_FILES} files "
            "per import. Go back and choose fewer.",
        )
    if isinstance(exception, RequestDataTooBig):
        return _page(
            "core/400.html", 413, message="The form sent too much data. Go back and send less."
        )
    return _page("core/400.html", 400, message="The request could not be understood.")
