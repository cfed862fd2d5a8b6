"""Structured logs: one JSON object per line per event, no emails, addresses or review text."""

import json
import logging

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.module_loading import import_string

from comments.models import Comment
from core.log_filters import RequestPathOnly
from tests.factories import ArticleFactory, StaffFactory
from tests.helpers import post_url, review_data

pytestmark = pytest.mark.django_db
EMAIL = "leyla.private@example.org"
ADDRESS = "203.0.113.99"
BODY = "My neighbour on Nizami street saw the whole thing"
NAME = "Leyla Mammadova"


def configured_formatter():
    config = settings.LOGGING["formatters"][settings.LOGGING["handlers"]["console"]["formatter"]]
    options = {key: value for key, value in config.items() if key != "()"}
    return import_string(config["()"])(**options)


def lines(caplog):
    formatter = configured_formatter()
    return [formatter.format(record) for record in caplog.records]


def assert_private(lines, *secrets):
    for line in lines:
        assert "\n" not in line
        json.loads(line)
        for secret in secrets:
            assert secret not in line, line


def test_posting_a_review_logs_one_json_event_without_the_readers_data(client, caplog):
    story = ArticleFactory()
    data = review_data(story, email=EMAIL, body=BODY, author_name=NAME)
    with caplog.at_level(logging.DEBUG):
        response = client.post(post_url(story), data, REMOTE_ADDR=ADDRESS)
    assert response.status_code == 302
    logged = lines(caplog)
    events = [json.loads(line) for line in logged if "review_received" in line]
    review = Comment.objects.get()
    assert events == [
        {
            "time": events[0]["time"],
            "level": "INFO",
            "logger": "comments.reviews",
            "message": "review_received",
            "article": story.pk,
            "review": review.pk,
            "status": "pending",
        }
    ]
    assert_private(logged, EMAIL, ADDRESS, BODY, NAME, "Mammadova")


def test_a_refused_review_and_a_failed_login_log_nothing_private(client, caplog):
    story = ArticleFactory()
    StaffFactory(username="desk")
    with caplog.at_level(logging.DEBUG):
        client.post(post_url(story), review_data(story, email=EMAIL), REMOTE_ADDR=ADDRESS)
        client.post(post_url(story), review_data(story, email=EMAIL), REMOTE_ADDR=ADDRESS)  # 429
        client.post(
            reverse("admin:login"), {"username": "desk", "password": "wrong"}, REMOTE_ADDR=ADDRESS
        )
    assert caplog.records
    assert_private(lines(caplog), EMAIL, ADDRESS, BODY)


def test_request_in_a_log_line_is_the_path_without_the_query_string(client, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get(f"/en/no-such-page/?q={EMAIL}")
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert "request_path_only" in settings.LOGGING["handlers"]["console"]["filters"]
    RequestPathOnly().filter(record)
    line = configured_formatter().format(record)
    assert json.loads(line)["request"] == "/en/no-such-page/"
    assert EMAIL not in line
