from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from certificates.services import certificates_issue_pending
from config.ratelimit import client_address, hit

from .forms import FullNameForm, SignupForm


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


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


class RateLimitedLoginView(LoginView):
    """Django's login, refusing a burst of attempts per address and username."""

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "").strip().lower()[:150]
        allowed_ip = hit(scope="login", key=f"ip:{client_address(request)}")
        allowed_user = hit(scope="login", key=f"user:{username}") if username else True
        if not (allowed_ip and allowed_user):
            # An unbound form: binding it would check the password, which is what we refuse.
            form = self.get_form_class()(request, initial={"username": username})
            context = self.get_context_data(form=form, too_many_attempts=True)
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)
