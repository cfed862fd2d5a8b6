import itertools
import time

import pytest
from django.contrib.auth.models import Group
from django.core import signing
from django.urls import reverse
from django.utils import translation

from comments.pipeline import TOKEN_SALT
from tests.factories import ArticleFactory, StaffFactory

_addresses = itertools.count(1)


def aged_token(article, seconds=10):
    """The form stamp a reader would have after ``seconds`` of writing."""
    return signing.dumps({"a": article.pk, "t": int(time.time()) - seconds}, salt=TOKEN_SALT)


def post_url(article):
    with translation.override(article.language):
        return reverse("comments:post", kwargs={"article_id": article.pk})


def review_data(article, **overrides):
    data = {
        "author_name": "Nigar",
        "email": "nigar@example.com",
        "body": "Thank you for the clear report.",
        "token": aged_token(article),
        "website": "",
        "parent": "",
    }
    data.update(overrides)
    return data


def post_review(client, article, ip=None, **overrides):
    """POST the review form as a reader from its own address (so rate limits stay apart)."""
    address = ip or f"198.51.100.{next(_addresses) % 250 + 1}"
    return client.post(post_url(article), review_data(article, **overrides), REMOTE_ADDR=address)


@pytest.fixture
def story():
    return ArticleFactory()


@pytest.fixture
def open_story():
    return ArticleFactory(comments_mode="open")


def member_of(group_name, **kwargs):
    user = StaffFactory(**kwargs)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def moderator():
    return member_of("Moderators", username="mod", email="mod@newsroom.example")


@pytest.fixture
def journalist():
    return member_of("Journalists", username="journo")


@pytest.fixture
def superuser_client(client):
    from django.test import Client

    other = Client()
    other.force_login(StaffFactory(is_superuser=True, username="boss"))
    return other
