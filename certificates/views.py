from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from . import codes
from .models import Certificate


@login_required
def certificate_list(request):
    certificates = Certificate.objects.filter(learner=request.user).select_related("course")
    return render(request, "certificates/list.html", {"certificates": certificates})


@login_required
def certificate_detail(request, code: str):
    stored = codes.normalise(code)
    certificate = Certificate.objects.filter(code=stored or "", learner=request.user).first()
    if certificate is None:
        raise Http404("No certificate of yours has this id.")
    return render(request, "certificates/detail.html", {"certificate": certificate})


def certificate_verify(request, code: str):
    stored = codes.normalise(code)
    certificate = Certificate.objects.filter(code=stored or "").first()
    if certificate is None:
        raise Http404("No certificate has this id.")
    return render(request, "certificates/verify.html", {"certificate": certificate})
