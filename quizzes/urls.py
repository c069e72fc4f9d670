from django.urls import path

from . import views

app_name = "quizzes"

urlpatterns = [
    path(
        "courses/<slug:course_slug>/<slug:chapter_slug>/answer/",
        views.answer,
        name="answer",
    ),
]
