"""Property-based tests (Hypothesis): no input to a reader page or form makes the site 500.

Each test draws ~50 inputs (text in any script, control characters, huge numbers, path
separators, percent-encodings) and asserts only the class of answer: anything but a
server error. The database is shared by all examples of one test (rolled back at its end).
"""

import itertools
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.factories import ArticleFactory, CommentFactory, ContributorFactory
from tests.helpers import aged_token

pytestmark = pytest.mark.django_db
addresses = itertools.count()
FAST = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Text from any Unicode category, surrogates excluded (they cannot be sent as UTF-8).
any_text = st.text(st.characters(blacklist_categories=["Cs"]), max_size=300)
page_values = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    any_text,
    st.sampled_from(["last", "0", "1.5", "1e9", "-1", "", "%00", "NaN", "١٢"]),
)


def no_server_error(response):
    assert response.status_code < 500, response.status_code


@pytest.fixture
def story(db):
    story = ArticleFactory(tags=["economy"])
    CommentFactory.create_batch(3, article=story)
    ContributorFactory(slug="reporter-x")
    return story


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


@FAST
@given(page=page_values)
@example(page="184467440737095518")  # Once overflowed the reviews' OFFSET: a 500.
@example(page="²")  # A digit by str.isdigit() that int() refuses.
def test_pagination_parameters_never_cause_a_500(client, story, page):
    for url in [
        reverse("articles:news_line"),
        story.section.get_absolute_url(),
        reverse("articles:tag", kwargs={"tag": "economy"}),
    ]:
        no_server_error(client.get(url, {"page": page}))
    no_server_error(client.get(story.get_absolute_url(), {"reviews": page}))


@FAST
@given(segment=any_text.filter(lambda s: s.strip()))
def test_slugs_in_addresses_never_cause_a_500(client, story, segment):
    encoded = quote(segment, safe="")
    for path in [
        f"/en/{encoded}/",
        f"/en/{story.section.slug}/{encoded}/",
        f"/en/tags/{encoded}/",
        f"/en/authors/{encoded}/",
        f"/ru/{encoded}/feed/",
        f"/az/{encoded}/{encoded}/",
    ]:
        no_server_error(client.get(path))


@FAST
@given(
    name=any_text,
    email=st.one_of(st.emails().map(str), any_text),
    body=any_text,
    website=st.one_of(st.just(""), any_text),
    parent=st.one_of(st.just(""), any_text, st.integers().map(str)),
    token=st.one_of(st.just(None), any_text),
)
# Found by this test: "²".isdigit() is True, but it is no number for the database.
@example(name="", email="", body="", website="", parent="²", token=None)
def test_review_form_never_causes_a_500(client, story, name, email, body, website, parent, token):
    with translation.override(story.language):
        url = reverse("comments:post", kwargs={"article_id": story.pk})
    data = {
        "author_name": name,
        "email": email,
        "body": body,
        "website": website,
        "parent": parent,
        "token": aged_token(story) if token is None else token,
    }
    # A fresh address each time, so the rate limit does not end the pipeline early.
    response = client.post(
        url, data, REMOTE_ADDR=f"10.8.{next(addresses) % 250}.{next(addresses) % 250}"
    )
    no_server_error(response)


@FAST
@given(params=st.dictionaries(any_text, any_text, max_size=4))
def test_arbitrary_query_strings_on_reader_pages_never_cause_a_500(client, story, params):
    for url in [reverse("articles:home"), story.get_absolute_url(), reverse("healthz")]:
        no_server_error(client.get(url, params))
