"""Certificate pages: the owner's list, web view and PDF; the public verify page."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from core.text import reading_time
from core.views import service_unavailable

from . import selectors, services


@login_required
def certificate_list(request):
    certificates = selectors.certificates_of(learner=request.user)
    return render(request, "certificates/list.html", {"certificates": certificates})


def _own(request, code: str):
    certificate = services.certificate_find(code=code)
    # Someone else's certificate is "not found", never "forbidden": ids are not confirmed.
    if certificate is None or certificate.learner_id != request.user.pk:
        raise Http404("No certificate of yours has this id.")
    return certificate


@login_required
def certificate_detail(request, code: str):
    certificate = _own(request, code)
    if code != certificate.display_code:
        return redirect(certificate)
    return render(
        request,
        "certificates/detail.html",
        {
            "certificate": certificate,
            "share": selectors.share_links(certificate=certificate),
            "issuer": settings.CERTIFICATE_ISSUER_NAME,
            "reading_time": reading_time(certificate.reading_minutes),
        },
    )


@login_required
@require_GET
@cache_control(private=True, max_age=0, must_revalidate=True)
def certificate_pdf(request, code: str):
    certificate = _own(request, code)
    try:
        opened = services.certificate_pdf_open(certificate=certificate)
    except services.CertificateWithdrawn:
        raise Http404("No such certificate.") from None
    except services.CertificateUnavailable as error:
        return service_unavailable(f"{error} Please try again in a minute.")
    return FileResponse(
        opened,
        as_attachment=True,
        filename=services.certificate_pdf_filename(certificate=certificate),
        content_type="application/pdf",
    )


@require_GET
def certificate_verify(request, code: str):
    certificate = services.certificate_find(code=code)
    if certificate is None:
        return render(
            request, "certificates/verify_not_found.html", {"code": code[:64]}, status=404
        )
    if code != certificate.display_code:
        return redirect("certificates:verify", code=certificate.display_code)
    context = {"certificate": certificate, "issuer": settings.CERTIFICATE_ISSUER_NAME}
    # In the certificate's own language, whoever scans it: it reads as the paper does.
    with translation.override(certificate.language):
        response = render(request, "certificates/verify.html", context)
        response["Content-Language"] = certificate.language
    return response
