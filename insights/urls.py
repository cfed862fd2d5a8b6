from django.urls import path

from .views import urlpatterns_views as views

app_name = "insights"
urlpatterns = [
    path("chart/<slug:slug>.csv", views["chart"], name="chart_csv"),
    path("translations/", views["board"], name="translations"),
    path("translations/<int:pk>/checked/", views["checked"], name="translation_checked"),
]
