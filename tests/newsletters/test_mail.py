"""What an issue looks like in a mailbox: both parts, the language, the outlet's address,
no tracking and no reader id in story links."""

import re

import pytest

from newsletters.mail import issue_message
from newsletters.models import Issue, Newsletter
from tests.factories import ArticleFactory

from .conftest import subscribed

pytestmark = pytest.mark.django_db


def test_an_issue_has_html_and_text_in_its_language_and_no_tracking(settings):
    settings.NEWSLETTER_POSTAL_ADDRESS = "5 Nizami Street, Baku"
    newsletter = Newsletter.objects.create(name="Səhər icmalı", slug="morning", language="az")
    reader = subscribed(newsletter, "ana@example.com")
    story = ArticleFactory(language="az", headline="Yağış yağdı")
    issue = Issue.objects.create(
        newsletter=newsletter, subject="Çərşənbə", intro="Sabahınız xeyir."
    )
    message = issue_message(issue, reader, [story])
    html = message.alternatives[0].content
    assert '<html lang="az" dir="ltr">' in html
    assert "5 Nizami Street, Baku" in html and "5 Nizami Street, Baku" in message.body
    assert "Yağış yağdı" in message.body and "Abunəlikdən çıx" in message.body
    assert "<img" not in html  # No tracking pixel.
    story_links = [link for link in re.findall(r'href="([^"]+)"', html) if story.slug in link]
    assert story_links and all("?" not in link for link in story_links)
    assert "ana@example.com" not in html  # The links are signed, the address is not shown.
