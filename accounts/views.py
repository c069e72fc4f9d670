from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import PasswordResetView
from django.shortcuts import redirect, render

from core.http import next_url
from core.ratelimit import client_address, limited

from .forms import SignupForm


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
        return redirect("learning:catalogue")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="accounts.backends.CachedModelBackend")
        messages.success(request, "Welcome! Your account is ready.")
        return redirect(next_url(request, "/"))
    return render(
        request, "registration/signup.html", {"form": form, "next": next_url(request, "")}
    )


# Each reset sends an email: limited per address and per target address, so nobody can
# flood an inbox through this form.
password_reset = limited(
    _address_and_email("password-reset"), what="Too many password reset requests."
)(PasswordResetView.as_view())
