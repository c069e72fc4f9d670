from django.urls import path

from . import views

app_name = "certificates"

urlpatterns = [
    path("certificates/", views.certificate_list, name="list"),
    path("certificates/<str:code>/", views.certificate_detail, name="detail"),
    path("certificates/<str:code>/pdf", views.certificate_pdf, name="pdf"),
    path("verify/<str:code>/", views.certificate_verify, name="verify"),
]
