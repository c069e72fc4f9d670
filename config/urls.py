from django.contrib import admin
from django.urls import include, path

from core.views import healthz
from learning.urls import profile_urlpatterns

urlpatterns = [
    path("admin/", admin.site.urls),
    *profile_urlpatterns,
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("healthz", healthz, name="healthz"),
    path("", include("certificates.credential_urls")),
    path("", include("certificates.urls")),
    path("", include("learning.urls")),
]

handler400 = "core.views.bad_request"
handler500 = "core.views.server_error"
