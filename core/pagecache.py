"""Whole-page cache for visitors who are not logged in.

A visitor's chapter page is the same for every visitor: no progress, no form token, no
session. Serving it from the cache costs a cache read instead of five queries and a template
render (bench/RESULTS.md). Pages are keyed by a content version that every save of a course,
chapter, question or choice bumps (and the bulk importers bump explicitly), so an edit shows
at once; TTL bounds staleness where workers do not share a cache (locmem in development).
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse

VERSION_KEY = "content-version"
TTL_SECONDS = 300


def content_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def content_changed(**kwargs) -> None:
    """Signal receiver and plain function: every cached visitor page is now stale."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)


def cached_content(key: str, build: Callable[[], object]) -> object:
    """What ``build`` returns for this content version, built once per version (per cache).

    For reads that are the same for every learner (a chapter with its neighbours, a chapter's
    questions and choices); personal reads stay out of here.
    """
    versioned = f"content:{content_version()}:{key}"
    value = cache.get(versioned)
    if value is None:
        value = build()
        cache.set(versioned, value, TTL_SECONDS)
    return value


def invalidate_on_change(*models) -> None:
    """Any save or delete of these models makes every cached visitor page stale."""
    for model in models:
        label = model._meta.label
        post_save.connect(content_changed, sender=model, dispatch_uid=f"pagecache-save-{label}")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"pagecache-del-{label}")


def _cacheable_request(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and not request.GET
        and not request.user.is_authenticated
        and not len(get_messages(request))
    )


def cached_for_visitors(view: Callable) -> Callable:
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        key = f"visitor-page:{content_version()}:{request.path}"
        content = cache.get(key)
        if content is not None:
            return HttpResponse(content)
        response = view(request, *args, **kwargs)
        # A response that sets a cookie (a CSRF token, a session) is personal: never cached.
        if response.status_code == 200 and not response.cookies and not response.streaming:
            cache.set(key, response.content, TTL_SECONDS)
        return response

    return wrapper
