"""``make bench``'s URLconf: the whole site plus the constant reference page.

Selected by ``ROOT_URLCONF = "demo.urls"`` when ``BENCH_REFERENCE`` is on (a setting names
this module, so the project never imports ``demo``).
"""

from django.urls import path

from newsroom.urls import handler400, handler500
from newsroom.urls import urlpatterns as site_urlpatterns

from . import views

__all__ = ["handler400", "handler500", "urlpatterns"]

urlpatterns = [
    *site_urlpatterns,
    path("bench/reference/", views.bench_reference, name="bench_reference"),
]
