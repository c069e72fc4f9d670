"""How the site words things that appear on many pages."""

from django.conf import settings
from django.utils.translation import ngettext


def supported_language(code: str) -> str:
    """``code`` when the site speaks it (settings.LANGUAGES), else ""."""
    return code if code in dict(settings.LANGUAGES) else ""


def reading_time(minutes: int) -> str:
    """ "1 minute", "5 minutes", "1 hour", "2 hours 30 minutes": as people say reading times.

    The one wording for chapter pages, course totals, "Next page" links and certificates.
    """
    total = int(minutes or 0)
    hours, rest = divmod(total, 60)
    parts = []
    if hours:
        parts.append(ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours})
    if rest or not hours:
        parts.append(ngettext("%(count)d minute", "%(count)d minutes", rest) % {"count": rest})
    return " ".join(parts)
