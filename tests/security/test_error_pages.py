"""Styled error pages in the reader's language, without tracebacks or settings."""

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client

from articles import views
from tests.factories import ArticleFactory
from tests.helpers import post_url, review_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def production(settings):
    settings.DEBUG = False


@pytest.fixture
def failing_story(monkeypatch):
    """A story page whose view fails the way a bug (or a lost database) would."""

    def fail(exception):
        def get_object(self, queryset=None):
            raise exception

        monkeypatch.setattr(views.StoryView, "get_object", get_object)

    return fail


def test_404_is_the_styled_page_in_the_readers_language(client, production):
    response = client.get("/ru/no-such-section/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="ru"' in html
    assert 'class="site-header"' in html


def test_403_is_styled(client, production):
    story = ArticleFactory(comments_mode="closed")
    # The review form of a closed story (a POST there gets the reader's text back instead).
    response = client.get(post_url(story))
    assert response.status_code == 403
    assert "Not allowed" in response.content.decode()
    assert 'class="site-header"' in response.content.decode()


def test_400_for_a_bad_host_is_styled_and_does_not_fail_again(client, production):
    response = client.get("/en/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "Bad request" in response.content.decode()
    assert "evil.example" not in response.content.decode()


def test_500_is_the_styled_page_without_a_traceback(failing_story, production):
    story = ArticleFactory(language="az")
    failing_story(RuntimeError("secret detail in /srv/newsroom/settings/base.py"))
    response = Client(raise_request_exception=False).get(story.get_absolute_url())
    assert response.status_code == 500
    html = response.content.decode()
    assert '<html lang="az"' in html
    assert "Traceback" not in html and "secret detail" not in html
    assert "SECRET_KEY" not in html
    assert "css/site.css" in html


OUTAGES = [
    OperationalError("could not connect to server: Connection refused"),
    InterfaceError("connection already closed"),
]


def assert_outage_page(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "Back in a moment" in html
    assert "Connection refused" not in html and "connection already closed" not in html


@pytest.mark.parametrize("outage", OUTAGES, ids=["refused", "lost"])
def test_database_outage_is_a_styled_503_with_retry_after(failing_story, production, outage):
    story = ArticleFactory()
    failing_story(outage)
    assert_outage_page(Client(raise_request_exception=False).get(story.get_absolute_url()))


class LostConnectionMiddleware:
    """Uses the database outside any view, as session middleware does, when it is gone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raise OUTAGES[1]


def test_database_outage_outside_a_view_is_the_503_too(settings, production):
    story = ArticleFactory()
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.LostConnectionMiddleware"]
    assert_outage_page(Client(raise_request_exception=False).get(story.get_absolute_url()))


def test_csrf_failure_is_a_styled_page_telling_the_reader_what_to_do(production):
    story = ArticleFactory()
    response = Client(enforce_csrf_checks=True).post(post_url(story), review_data(story))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Form expired" in html and "reload the page" in html
    assert "css/site.css" in html
