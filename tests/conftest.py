import pytest
from django.core.cache import cache

from tests.e2e.chromium import status_line
from tests.factories import StaffFactory


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache, so cached fragments never leak between tests."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory(is_superuser=True))
    return client


def pytest_report_header(config):
    """Say up front whether the browser tests in tests/e2e/ will run."""
    return status_line()
