from django import template

register = template.Library()


@register.filter
def minutes(value) -> str:
    """ "1 minute", "5 minutes", "1 hour 5 minutes": reading times as people say them."""
    total = int(value or 0)
    hours, rest = divmod(total, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if rest or not hours:
        parts.append(f"{rest} minute{'s' if rest != 1 else ''}")
    return " ".join(parts)
