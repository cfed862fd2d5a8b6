import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches

from tests.e2e.chromium import status_line
from tests.factories import StaffFactory
from tests.helpers import staff_in_role


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with empty caches (pages and fragments, rate-limit counters), so
    nothing cached leaks between tests.

    The content-type cache too: a transactional test's flush recreates content types with
    new ids, and a stale id would file tags (django-taggit) under a type that is gone.
    """
    clear_caches()
    ContentType.objects.clear_cache()
    yield
    clear_caches()


def clear_caches():
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory(is_superuser=True))
    return client


def pytest_report_header(config):
    """Say up front whether the browser tests in tests/e2e/ will run."""
    return status_line()


# The newsroom's people, one of each role and a second journalist and editor (the groups
# come from newsroom/migrations/0002_roles.py).
@pytest.fixture
def journalist():
    return staff_in_role("jana", "Journalists")


@pytest.fixture
def other_journalist():
    return staff_in_role("oleg", "Journalists")


@pytest.fixture
def editor():
    return staff_in_role("edith", "Editors")


@pytest.fixture
def second_editor():
    return staff_in_role("emil", "Editors")


@pytest.fixture
def moderator():
    return staff_in_role("mona", "Moderators")
