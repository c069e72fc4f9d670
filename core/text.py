"""How the site words things that appear on many pages."""


def reading_time(minutes: int) -> str:
    """ "1 minute", "5 minutes", "1 hour", "2 hours 30 minutes": as people say reading times.

    The one wording for chapter pages, course totals, "Next page" links and certificates.
    """
    total = int(minutes or 0)
    hours, rest = divmod(total, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if rest or not hours:
        parts.append(f"{rest} minute{'s' if rest != 1 else ''}")
    return " ".join(parts)
