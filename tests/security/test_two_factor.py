"""Optional TOTP two-factor login for staff (django-otp), opt-in per user."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


@pytest.fixture
def device():
    user = StaffFactory(username="twofa")
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def current_code(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"


def log_in(client, username, **extra):
    data = {"username": username, "password": PASSWORD, **extra}
    return client.post(reverse("admin:login"), data)


def test_login_page_offers_the_code_field(client):
    html = client.get(reverse("admin:login")).content.decode()
    assert 'name="otp_token"' in html and 'autocomplete="one-time-code"' in html


def test_staff_without_a_device_log_in_with_a_password_alone(client):
    StaffFactory(username="plain")
    assert log_in(client, "plain").status_code == 302


def test_staff_with_a_device_need_the_current_code(client, device):
    refused = log_in(client, "twofa")
    assert refused.status_code == 200
    assert "Enter the current code from your authenticator app." in refused.content.decode()
    assert log_in(client, "twofa", otp_token="000000").status_code == 200
    assert client.get(reverse("admin:index")).status_code == 302  # still logged out


def test_the_current_code_logs_in_and_marks_the_session_verified(client, device):
    response = log_in(client, "twofa", otp_token=current_code(device))
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.session["otp_device_id"] == device.persistent_id


def test_a_code_cannot_be_used_twice(client, device):
    """The device remembers the last time step it accepted: a seen code is refused."""
    code = current_code(device)
    assert log_in(client, "twofa", otp_token=code).status_code == 302
    client.logout()
    assert log_in(client, "twofa", otp_token=code).status_code == 200
