"""Admin login lockout (django-axes): 5 failures per username and address."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.factories import StaffFactory
from tests.helpers import flood_page_cache

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


def log_in(client, password, username="desk", address="203.0.113.7"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


@pytest.fixture
def desk():
    return StaffFactory(username="desk")


def test_five_failures_lock_the_account_on_that_address_with_a_clear_message(client, desk):
    for _ in range(4):
        assert log_in(client, "wrong").status_code == 200  # the form again, with an error
    locked = log_in(client, "wrong")
    assert locked.status_code == 429
    assert "Login locked" in locked.content.decode()
    assert "after 5 failed login attempts" in locked.content.decode()
    # Even the right password is refused while locked.
    assert log_in(client, PASSWORD).status_code == 429


def test_four_failures_then_the_right_password_logs_in(client, desk):
    for _ in range(4):
        log_in(client, "wrong")
    assert log_in(client, PASSWORD).status_code == 302


def test_lockout_is_per_username_and_address(client, desk):
    for _ in range(5):
        log_in(client, "wrong")
    assert log_in(Client(), PASSWORD, address="203.0.113.8").status_code == 302
    StaffFactory(username="other")
    assert log_in(Client(), PASSWORD, username="other").status_code == 302


def test_a_flood_of_uncached_pages_does_not_lift_a_lockout(client, desk, settings):
    """Lockouts are rows in the database (django-axes' database handler), not cache
    entries: pages filling the cache cannot evict them."""
    settings.PAGE_CACHE_SECONDS = 300
    for _ in range(5):
        log_in(client, "wrong")
    flood_page_cache()
    assert log_in(client, PASSWORD).status_code == 429


def test_axes_reset_username_unlocks(client, desk):
    for _ in range(5):
        log_in(client, "wrong")
    assert log_in(client, PASSWORD).status_code == 429
    call_command("axes_reset_username", "desk", stdout=StringIO())
    assert log_in(client, PASSWORD).status_code == 302


def test_an_administrator_can_see_and_delete_the_lock_in_the_admin(client, desk, staff_client):
    for _ in range(5):
        log_in(client, "wrong")
    changelist = staff_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert changelist.status_code == 200
    assert "desk" in changelist.content.decode()
