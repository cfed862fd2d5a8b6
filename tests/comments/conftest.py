"""Stories to review and the editor-in-chief; people in roles are in tests/conftest.py."""

import pytest

from tests.factories import ArticleFactory, StaffFactory


@pytest.fixture
def story():
    return ArticleFactory()


@pytest.fixture
def open_story():
    return ArticleFactory(comments_mode="open")


@pytest.fixture
def superuser_client(client):
    from django.test import Client

    other = Client()
    other.force_login(StaffFactory(is_superuser=True, username="boss"))
    return other
