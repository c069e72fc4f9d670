from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import PasswordResetView
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core.http import next_url
from core.ratelimit import client_address, limited
from core.text import supported_language

from .forms import EmailChangeForm, QueuedPasswordResetForm, SignupForm
from .services import user_email_set, user_language_set


def _address_and_email(prefix: str):
    def keys(request) -> list[tuple[str, str]]:
        email = request.POST.get("email", "").strip().casefold()[:254]
        return [
            (f"{prefix}-address", f"ip:{client_address(request)}"),
            (f"{prefix}-email", f"email:{email}" if email else ""),
        ]

    return keys


@limited(
    _address_and_email("signup"), what=gettext_lazy("Too many accounts were created from here.")
)
def signup(request):
    if request.user.is_authenticated:
        return redirect("learning:catalogue")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="accounts.backends.CachedModelBackend")
        messages.success(request, _("Welcome! Your account is ready."))
        return redirect(next_url(request, "/"))
    return render(
        request, "registration/signup.html", {"form": form, "next": next_url(request, "")}
    )


# Each reset sends an email: limited per address and per target address, so nobody can
# flood an inbox through this form.
password_reset = limited(
    _address_and_email("password-reset"), what=gettext_lazy("Too many password reset requests.")
)(PasswordResetView.as_view(form_class=QueuedPasswordResetForm))


@require_http_methods(["GET", "POST"])
@never_cache
def language_set(request):
    """The footer's language switch, without JavaScript. Visitors follow plain links (their
    pages stay cacheable: no form token), remembered in Django's language cookie. Signed-in
    learners press a button in a CSRF-protected form, and the choice is also saved in the
    account, so every device follows; a link (a GET, which any site can make a browser
    follow) never changes the account."""
    data = request.POST if request.method == "POST" else request.GET
    language = supported_language(data.get("language", ""))
    response = redirect(next_url(request, "/"))
    if not language:
        return response
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
    )
    if (
        request.method == "POST"
        and request.user.is_authenticated
        and request.user.language != language
    ):
        user_language_set(user=request.user, language=language)
    return response


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def email_change(request):
    form = EmailChangeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user_email_set(user=request.user, email=form.cleaned_data["email"])
        messages.success(request, _("Your email address was changed."))
        return redirect("profile")
    return render(request, "registration/email_change.html", {"form": form})
