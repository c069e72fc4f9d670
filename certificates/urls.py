from django.urls import path
from django.utils.translation import gettext_lazy

from core.ratelimit import by_address, limited

from . import views

# Public lookups by certificate id are limited per address to slow enumeration.
verify_limited = limited(
    by_address("verify"),
    what=gettext_lazy("Too many certificate lookups."),
    methods=("GET", "HEAD"),
)

app_name = "certificates"

urlpatterns = [
    path("certificates/", views.certificate_list, name="list"),
    path("certificates/<str:code>/", views.certificate_detail, name="detail"),
    path("certificates/<str:code>/pdf", views.certificate_pdf, name="pdf"),
    path("verify/<str:code>/", verify_limited(views.certificate_verify), name="verify"),
]
