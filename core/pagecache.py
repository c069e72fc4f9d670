"""Whole-page cache for visitors, and the shared content cache, keyed by a content version.

A visitor's chapter page is the same for every visitor: no progress, no form token, no
session. Serving it from the cache costs a cache read instead of five queries and a template
render (bench/RESULTS.md). Pages are keyed by a content version, so an edit shows at once,
and by the deployed build (``core.build``), so a deploy never serves what old code rendered.

One mechanism keeps the version honest: content models use ``ContentManager`` and are
registered with ``track_content``. Every write through the ORM bumps the version: a model's
save or delete (signals), and the queryset writes that send no signals (``update``,
``delete``, ``bulk_create``, ``bulk_update``, also through related managers). Services never
bump by hand. A version missing from the cache (evicted, restarted) starts at a new value, so
it means "render again", never "serve the old page".
"""

import time
from collections.abc import Callable
from contextvars import ContextVar
from functools import wraps

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

from core.build import build_id
from core.theme import theme_of

VERSION_KEY = "content-version"
TTL_SECONDS = 300
# Per process, for the current content version: a new version empties it. Readers must not
# mutate what they get (the shared cache handed out copies; this hands out the object).
_LOCAL: dict[int, dict[str, object]] = {}
_LOCAL_MAX = 2000


# A request reads the version once and keeps it to its end: one cache read instead of one
# per shared read (a network round trip each on Redis), and one version for the whole page.
# Outside requests (commands, tasks) every call reads the cache. A write in this request
# forgets it, so the request's later reads see its own change.
_OUTSIDE = -1
_request_version: ContextVar[int | None] = ContextVar("content_version", default=_OUTSIDE)


def _request_begins(**kwargs) -> None:
    _request_version.set(None)


def _request_ends(**kwargs) -> None:
    _request_version.set(_OUTSIDE)


request_started.connect(_request_begins, dispatch_uid="pagecache-version-begin")
request_finished.connect(_request_ends, dispatch_uid="pagecache-version-end")


def content_version() -> int:
    remembered = _request_version.get()
    if remembered is not None and remembered != _OUTSIDE:
        return remembered
    version = cache.get(VERSION_KEY)
    if version is None:
        # Never 1 again after an eviction: pages cached under an old version stay unused.
        cache.add(VERSION_KEY, time.time_ns() // 1000, timeout=None)
        # Still none: the cache keeps nothing now (an outage); a new value each time means
        # every read renders afresh.
        version = cache.get(VERSION_KEY) or time.time_ns() // 1000
    if remembered is None:
        _request_version.set(version)
    return version


def _bump() -> None:
    if _request_version.get() != _OUTSIDE:
        _request_version.set(None)
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # missing: content_version() starts a new one
        cache.delete(VERSION_KEY)


def content_changed(**kwargs) -> None:
    """Every cached page and shared read is stale now, and again when the transaction
    commits: a reader between the two could otherwise cache the old rows under the new
    version."""
    _bump()
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        transaction.on_commit(_bump)


class ContentQuerySet(models.QuerySet):
    """Queryset writes that send no model signals still make cached pages stale."""

    def update(self, **kwargs) -> int:
        count = super().update(**kwargs)
        if count:
            content_changed()
        return count

    def delete(self):
        result = super().delete()
        if result[0]:
            content_changed()
        return result

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        if created:
            content_changed()
        return created

    def bulk_update(self, objs, fields, *args, **kwargs) -> int:
        count = super().bulk_update(objs, fields, *args, **kwargs)
        if count:
            content_changed()
        return count


ContentManager = models.Manager.from_queryset(ContentQuerySet)


def _local(version: int) -> dict[str, object]:
    """This process's copies for the content version (a new version empties it)."""
    local = _LOCAL.get(version)
    if local is None:
        _LOCAL.clear()
        local = _LOCAL[version] = {}
    return local


def _keep(local: dict[str, object], key: str, value: object) -> None:
    if len(local) < _LOCAL_MAX:
        local[key] = value


def cached_content(key: str, build: Callable[[], object]) -> object:
    """What ``build`` returns for this content version, built once per version (per cache).

    For reads that are the same for every learner (a chapter with its neighbours, a chapter's
    questions and choices); personal reads stay out of here.
    """
    version = content_version()
    versioned = f"content:{build_id()}:{version}:{key}"
    # Kept in the process too, for this content version only: no unpickling per request.
    local = _local(version)
    if versioned in local:
        return local[versioned]
    value = cache.get(versioned)
    if value is None:
        value = build()
        cache.set(versioned, value, TTL_SECONDS)
    _keep(local, versioned, value)
    return value


def track_content(*content_models) -> None:
    """Register content models: their saves and deletes, and their default manager's bulk
    writes, make every cached visitor page stale."""
    for model in content_models:
        if not isinstance(model._default_manager.get_queryset(), ContentQuerySet):
            raise TypeError(f"{model._meta.label} must use core.pagecache.ContentManager")
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
        # Visitors read in the language LocaleMiddleware chose (cookie, Accept-Language), in
        # the theme their cookie names.
        version = content_version()
        theme = theme_of(request)
        key = f"visitor-page:{build_id()}:{version}:{get_language()}:{theme}:{request.path}"
        # The process's own copy first, like shared content: no file read and unpickling of
        # the whole page per request (bytes are immutable, so handing them out is safe).
        local = _local(version)
        content = local.get(key)
        if content is None:
            content = cache.get(key)
            if content is not None:
                _keep(local, key, content)
        if content is not None:
            return HttpResponse(content)
        response = view(request, *args, **kwargs)
        # A response that sets a cookie (a CSRF token, a session) is personal: never cached.
        if response.status_code == 200 and not response.cookies and not response.streaming:
            cache.set(key, response.content, TTL_SECONDS)
            _keep(local, key, response.content)
        return response

    return wrapper
