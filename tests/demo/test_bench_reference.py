"""`make bench`'s reference page, routed only by the bench URLconf (demo.urls)."""

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, reverse

pytestmark = pytest.mark.django_db


@override_settings(ROOT_URLCONF="demo.urls")
def test_bench_mode_serves_a_constant_page_of_the_asked_size_next_to_the_site(client):
    assert reverse("bench_reference") == "/bench/reference/"
    response = client.get("/bench/reference/", {"bytes": "2048"})
    assert response.status_code == 200
    assert response.content == b"x" * 2048
    assert response["Content-Type"] == "text/html; charset=utf-8"
    # Capped, so the page cannot be turned into a memory hog.
    assert len(client.get("/bench/reference/", {"bytes": "9999999"}).content) == 1_000_000
    # The rest of the site is still there.
    assert client.get("/healthz").status_code == 200


def test_the_site_has_no_reference_page_outside_bench_mode(client):
    with pytest.raises(NoReverseMatch):
        reverse("bench_reference")
    assert client.get("/bench/reference/", {"bytes": "10"}, follow=True).status_code == 404
