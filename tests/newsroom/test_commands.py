"""The project's own management commands."""

from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_ensure_admin_prints_a_random_password_once():
    first, second = StringIO(), StringIO()
    call_command("ensure_admin", stdout=first)
    call_command("ensure_admin", stdout=second)
    assert "password:" in first.getvalue()
    assert "password:" not in second.getvalue() and "changepassword" in second.getvalue()
