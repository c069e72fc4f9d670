"""The learner's saved language wins over the browser's (issue 15)."""

from django.utils import translation


class LearnerLanguageMiddleware:
    """After Django's LocaleMiddleware (the language cookie, then Accept-Language, then
    LANGUAGE_CODE) and the authentication middleware: a signed-in learner who chose a
    language in the footer or the profile gets it on every device."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
