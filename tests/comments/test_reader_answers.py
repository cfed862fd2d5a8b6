"""What a reader is told after sending a review, and where (issue 18): in the reviews
block, where they are, announced as a status; never 2,500 px up the page."""

import pytest
from django.core.cache import caches

from comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory
from tests.helpers import post_review

pytestmark = pytest.mark.django_db
AWAITING = "Thank you — your review will appear once a moderator has read it."


def sent_box(page):
    """The reviews block's status box, and what lies before the reviews block."""
    start = page.index('id="review-sent"')
    return page[start : page.index("</div>", start)], page[: page.index('id="reviews"')]


def test_the_confirmation_is_in_the_reviews_block_and_the_redirect_lands_on_it(client, story):
    response = post_review(client, story, body="Held for a first look.")
    assert response["Location"] == f"{story.get_absolute_url()}#review-sent"
    page = client.get(response["Location"]).content.decode()
    box, above = sent_box(page)
    assert 'role="status"' in box and AWAITING in box
    assert AWAITING not in above


def test_a_trusted_reader_on_an_open_story_is_told_it_is_published(client, open_story):
    CommentFactory.create_batch(2, email="nigar@example.com")
    response = post_review(client, open_story)
    box, _above = sent_box(client.get(response["Location"]).content.decode())
    assert "Thank you — your review is now published." in box


def test_a_refused_review_keeps_its_text_and_says_why(client, story):
    post_review(client, story, ip="198.51.100.77")
    response = post_review(client, story, ip="198.51.100.77", body="My second, kept text.")
    assert response.status_code == 429
    page = response.content.decode()
    assert "My second, kept text." in page and "too quickly" in page
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("language", ["en", "ru", "az"])
def test_a_privacy_link_beside_the_email_field(client, language, settings):
    story = ArticleFactory(language=language)
    page = client.get(story.get_absolute_url()).content.decode()
    email_help = page[page.index('id="id_email_helptext"') :]
    email_help = email_help[: email_help.index("</span>")]
    assert f'href="/{language}/privacy/"' in email_help
    settings.PRIVACY_URL = "/%(language)s/about/#privacy"
    caches["default"].clear()  # A new setting comes with a restart and a new RELEASE.
    page = client.get(story.get_absolute_url()).content.decode()
    assert f'href="/{language}/about/#privacy"' in page
