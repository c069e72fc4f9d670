"""Month names marked for the project's own catalogues, so that a language can write them as
its dates do in a sentence.

Django's ``DATE_FORMAT`` ("F") takes month names from Django's catalogue, which capitalises
them in Brazilian Portuguese ("1 de Dezembro de 2026"), where the language writes them in
lowercase ("1 de dezembro de 2026"). The catalogues in ``locale/`` take precedence over
Django's (``LOCALE_PATHS``), but ``makemessages`` keeps only strings marked in our sources:
these marks keep them. Spanish and French carry Django's own words.
"""

from django.utils.translation import gettext_noop

MONTHS = (
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
)
