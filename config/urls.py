from django.contrib import admin
from django.urls import include, path

from core.health import healthz, readyz
from core.theme import theme_set
from learning.urls import profile_urlpatterns

urlpatterns = [
    # The learner's pages first: the chapter page and the answer are the hot paths, and the
    # resolver tries patterns in order (no pattern here overlaps another app's).
    path("", include("learning.urls")),
    path("admin/", admin.site.urls),
    *profile_urlpatterns,
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    # Normally answered by core.health.HealthCheckMiddleware before the Host check; the
    # routes keep them reachable (and reversible) without it.
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("theme/", theme_set, name="theme_set"),
    path("", include("certificates.credential_urls")),
    path("", include("certificates.urls")),
]

handler400 = "core.views.bad_request"
handler500 = "core.views.server_error"
