from django.contrib import admin
from django.urls import include, path

from core.health import healthz, readyz
from learning.urls import profile_urlpatterns

urlpatterns = [
    path("admin/", admin.site.urls),
    *profile_urlpatterns,
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    # Normally answered by core.health.HealthCheckMiddleware before the Host check; the
    # routes keep them reachable (and reversible) without it.
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("", include("certificates.credential_urls")),
    path("", include("certificates.urls")),
    path("", include("learning.urls")),
]

handler400 = "core.views.bad_request"
handler500 = "core.views.server_error"
