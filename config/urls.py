from django.contrib import admin
from django.urls import include, path

from core.views import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("healthz", healthz, name="healthz"),
    path("", include("certificates.credential_urls")),
    path("", include("certificates.urls")),
    path("", include("quizzes.urls")),
    path("", include("courses.urls")),
]

handler400 = "core.views.bad_request"
handler500 = "core.views.server_error"
