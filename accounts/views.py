from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import PasswordResetView
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from certificates.services import certificates_issue_pending
from core.ratelimit import client_address, limited

from .forms import FullNameForm, SignupForm


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def _address_and_email(prefix: str):
    def keys(request) -> list[tuple[str, str]]:
        email = request.POST.get("email", "").strip().casefold()[:254]
        return [
            (f"{prefix}-address", f"ip:{client_address(request)}"),
            (f"{prefix}-email", f"email:{email}" if email else ""),
        ]

    return keys


@limited(_address_and_email("signup"), what="Too many accounts were created from here.")
def signup(request):
    if request.user.is_authenticated:
        return redirect("courses:catalogue")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome! Your account is ready.")
        return redirect(_next_url(request, "/"))
    return render(
        request, "registration/signup.html", {"form": form, "next": _next_url(request, "")}
    )


@login_required
def profile(request):
    form = FullNameForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        issued = certificates_issue_pending(learner=user)
        if issued:
            messages.success(request, "Your name is saved and your certificate is ready.")
        else:
            messages.success(request, "Your name is saved.")
        return redirect(_next_url(request, "profile"))
    return render(
        request, "registration/profile.html", {"form": form, "next": _next_url(request, "")}
    )


# Each reset sends an email: limited per address and per target address, so nobody can
# flood an inbox through this form.
password_reset = limited(
    _address_and_email("password-reset"), what="Too many password reset requests."
)(PasswordResetView.as_view())
