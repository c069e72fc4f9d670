from django.urls import path

from . import views

urlpatterns = [
    # Before django.contrib.auth.urls (included after this file) so it takes "login".
    path("login/", views.RateLimitedLoginView.as_view(), name="login"),
    path("signup/", views.signup, name="signup"),
    path("profile/", views.profile, name="profile"),
]
