"""Machine-readable proof: the signed credential, its revocation status and the public key."""

import logging
from functools import wraps

from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from . import credentials, services, statuslist

logger = logging.getLogger(__name__)


def _certificate(code: str):
    certificate = services.certificate_find(code=code)
    if certificate is None:
        raise Http404("No certificate has this id.")
    return certificate


def _unavailable(error: Exception) -> JsonResponse:
    logger.error("credential requested but %s", error)
    return JsonResponse(
        {"error": "Credentials are not available on this site right now."}, status=503
    )


def _signed(view):
    """Hand the view the certificate's signed VC-JWT; 503 when the site has no signing key."""

    @wraps(view)
    def wrapper(request, code: str):
        certificate = _certificate(code)
        if certificate.is_withdrawn:
            # Nothing to sign: the name is gone. The status list says revoked.
            return JsonResponse(
                {"error": "This certificate was withdrawn at the holder's request."}, status=410
            )
        try:
            token = credentials.credential_sign(certificate=certificate)
        except credentials.SigningKeyMissing as error:
            return _unavailable(error)
        return view(request, token)

    return wrapper


@require_GET
@_signed
def credential_json(request, token: str):
    """VC 2.0 EnvelopedVerifiableCredential: the signed VC-JWT carried in JSON."""
    body = {
        "@context": credentials.CONTEXTS[0],
        "id": f"data:{credentials.MEDIA_TYPE},{token}",
        "type": "EnvelopedVerifiableCredential",
    }
    return JsonResponse(body, json_dumps_params={"indent": 2})


def _readable_anywhere(view):
    """Public verification data: a verifier in a browser on another site may read it (a GET
    with no credentials needs no preflight)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapper


@require_GET
@_readable_anywhere
@_signed
def credential_jwt(request, token: str):
    return HttpResponse(token, content_type=credentials.MEDIA_TYPE)


@require_GET
@_readable_anywhere
@cache_control(max_age=60)
def credential_status(request, code: str):
    return JsonResponse(credentials.credential_status(certificate=_certificate(code)))


@require_GET
@_readable_anywhere
@cache_control(public=True, max_age=credentials.JWKS_CACHE_SECONDS)
def jwks(request):
    try:
        return JsonResponse(credentials.public_jwks())
    except credentials.SigningKeyMissing as error:
        return _unavailable(error)


@require_GET
@_readable_anywhere
def status_list(request, number: int):
    """The signed Bitstring Status List: one bit per certificate, set when revoked."""
    try:
        token = credentials.sign_payload(credentials.status_list_credential(number=number))
    except credentials.SigningKeyMissing as error:
        return _unavailable(error)
    response = HttpResponse(token, content_type=credentials.MEDIA_TYPE)
    response["Cache-Control"] = f"public, max-age={statuslist.CACHE_SECONDS}"
    return response
