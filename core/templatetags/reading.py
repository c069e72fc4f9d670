from django import template

from core.text import reading_time

register = template.Library()


@register.filter
def minutes(value) -> str:
    """``{{ chapter.reading_minutes|minutes }}``: see core.text.reading_time."""
    return reading_time(value)
