from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path("<int:article_id>/post/", views.post_review, name="post"),
    path("<int:article_id>/token/", views.form_token, name="token"),
    path("<int:comment_id>/report/", views.report_review, name="report"),
]
