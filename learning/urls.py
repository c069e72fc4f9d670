from django.urls import path

from . import review_views, views

app_name = "learning"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("my-learning/", views.my_learning, name="my_learning"),
    path("review/", review_views.review_page, name="review"),
    path("review/<int:question_id>/answer/", review_views.review_answer, name="review_answer"),
    path("review/<int:question_id>/", review_views.review_result, name="review_result"),
    path("courses/<slug:course_slug>/", views.overview, name="overview"),
    path("courses/<slug:course_slug>/start/", views.start, name="start"),
    path("courses/<slug:course_slug>/exam/", views.exam_intro, name="exam"),
    path(
        "courses/<slug:course_slug>/exam/<int:attempt_id>/",
        views.exam_take,
        name="exam_take",
    ),
    path(
        "courses/<slug:course_slug>/exam/<int:attempt_id>/result/",
        views.exam_result,
        name="exam_result",
    ),
    path("courses/<slug:course_slug>/<slug:chapter_slug>/", views.chapter, name="chapter"),
    path(
        "courses/<slug:course_slug>/<slug:chapter_slug>/done/",
        views.chapter_done,
        name="chapter_done",
    ),
    path("courses/<slug:course_slug>/<slug:chapter_slug>/answer/", views.answer, name="answer"),
    path(
        "courses/<slug:course_slug>/<slug:chapter_slug>/questions/<int:question_id>/report/",
        views.question_report,
        name="question_report",
    ),
]

# Outside the namespace: Django's auth pages and templates know this page as "profile".
profile_urlpatterns = [
    path("accounts/profile/", views.profile, name="profile"),
    path("accounts/profile/my-data.json", views.data_export, name="data_export"),
    path("accounts/profile/delete/", views.account_delete, name="account_delete"),
]
