from django.http import HttpResponse
from django.urls import path


def hello(request):
    return HttpResponse("<!doctype html><title>bare</title><p>Hello from a bare Django view.</p>")


urlpatterns = [path("", hello)]
