from django.urls import path

from . import credential_views as views
from .urls import verify_limited

app_name = "credentials"

urlpatterns = [
    path(
        "verify/<str:code>/credential.json",
        verify_limited(views.credential_json),
        name="credential",
    ),
    path(
        "verify/<str:code>/credential.jwt",
        verify_limited(views.credential_jwt),
        name="credential_jwt",
    ),
    path("verify/<str:code>/status.json", verify_limited(views.credential_status), name="status"),
    path(".well-known/jwks.json", views.jwks, name="jwks"),
    path("credentials/status/<int:number>", views.status_list, name="status_list"),
]
