"""Response rules that hold for every page."""


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
