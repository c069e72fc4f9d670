"""Response rules that hold for every page."""

from django.utils.cache import add_never_cache_headers


class NoStoreErrorsMiddleware:
    """No error response is ever cacheable, by browsers or by proxies.

    A view may mark a response public (``/.well-known/jwks.json``); if that response turns out
    to be an error (no key: 503), a shared cache must not keep the outage for an hour.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code >= 400:
            response["Cache-Control"] = "no-store"
            del response["Expires"]
        return response


class PersonalPagesNoStoreMiddleware:
    """A page answered to a signed-in user is never stored by a browser or proxy cache
    (``Cache-Control: private, no-store``), unless its view said otherwise: My learning, the
    data export, the exam, its result and certificates are personal (issue 26)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if "Cache-Control" not in response and user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
