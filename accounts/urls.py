from django.urls import path

from . import views

urlpatterns = [
    # Before django.contrib.auth.urls (included after this file) so it takes this name.
    path("password_reset/", views.password_reset, name="password_reset"),
    path("signup/", views.signup, name="signup"),
    path("language/", views.language_set, name="language_set"),
    path("email/", views.email_change, name="email_change"),
]
