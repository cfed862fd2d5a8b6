"""Property-based tests (Hypothesis): no input to a reader page, a form or an admin screen
makes the site 500, and nothing the newsroom types makes a feed or sitemap malformed.

Each test draws inputs (text in any script, control characters, huge numbers, path
separators, percent-encodings, repeated parameters) and asserts only the class of answer:
anything but a server error, and XML a real parser reads. The database is shared by all
examples of one test (rolled back at its end).
"""

import itertools
import json
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from taggit.models import Tag

from tests.factories import (
    ArticleFactory,
    BylineFactory,
    CommentFactory,
    ContributorFactory,
    ImageFactory,
    SuperuserFactory,
)
from tests.helpers import (
    aged_token,
    change_url,
    feed_and_sitemap_urls,
    logged_in,
    parse_xml,
    story_form_data,
)

pytestmark = pytest.mark.django_db
addresses = itertools.count()
FAST = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Fewer examples where each one saves rows and reads every feed and sitemap.
FEW = settings(FAST, max_examples=10)
# Text from any Unicode category, surrogates excluded (they cannot be sent as UTF-8).
any_text = st.text(st.characters(blacklist_categories=["Cs"]), max_size=300)
# Text with at least one control character (C0, C1) or noncharacter in it, as Word and
# copy-paste from PDFs put them into headlines.
controls = st.one_of(st.characters(categories=["Cc"]), st.sampled_from("\ufffe\uffff\x0b"))
short_text = st.text(st.characters(blacklist_categories=["Cs"]), max_size=25)
with_a_control = st.tuples(short_text, controls, short_text, controls).map("".join)
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), any_text),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(any_text, inner, max_size=4)
    ),
    max_leaves=12,
)
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


@FAST
@given(
    report=st.one_of(
        json_values,
        st.fixed_dictionaries(
            {},
            optional={
                "blocked-uri": st.one_of(any_text, st.just("http://[::1"), json_values),
                "effective-directive": json_values,
                "violated-directive": json_values,
            },
        ),
    ),
    wrapped=st.booleans(),
)
@example(report={"blocked-uri": "http://[::1"}, wrapped=True)
def test_csp_reports_never_cause_a_500(client, report, wrapped):
    body = json.dumps({"csp-report": report} if wrapped else report)
    response = client.post(
        reverse("csp_report"),
        body,
        content_type="application/csp-report",
        REMOTE_ADDR=f"10.9.{next(addresses) % 250}.{next(addresses) % 250}",
    )
    assert response.status_code in {204, 400}


@FAST
@given(
    values=st.lists(any_text, max_size=6),
    key=st.sampled_from(["q", "q[]", "q[0]", "page"]),
    many=st.sampled_from([0, 1001]),
    debug=st.booleans(),
)
def test_repeated_and_array_search_parameters_never_cause_a_500(
    client, story, settings, values, key, many, debug
):
    settings.DEBUG = debug
    query = "&".join([f"{quote(key)}={quote(value)}" for value in values] + ["q=a"] * many)
    no_server_error(client.get(f"{reverse('articles:search')}?{query}"))


@FAST
@given(
    name=st.one_of(any_text, st.integers(min_value=1, max_value=5000).map(lambda n: "a" * n)),
    depth=st.integers(min_value=1, max_value=40),
)
def test_long_and_odd_paths_never_cause_a_500(client, name, depth):
    segment = quote(name, safe="") or "x"
    for path in ["/media/" + "/".join([segment] * depth), f"/en/{segment}/{segment}.xml"]:
        no_server_error(client.get(path))


@pytest.fixture
def admin_client():
    client = logged_in(SuperuserFactory())
    client.raise_request_exception = False
    return client


@FEW
@given(value=st.one_of(any_text, st.integers().map(str)), year=st.integers().map(str))
@example(value="²", year="9999")
@example(value="2147483648", year="0")  # Found by this test: a month past a C int.
def test_admin_query_strings_and_ids_never_cause_a_500(admin_client, story, value, year):
    for url, params in [
        (reverse("admin:articles_article_changelist"), {"published_at__year": year}),
        (reverse("admin:articles_article_changelist"), {"published_at__year": "2026",
                                                        "published_at__month": value}),
        (reverse("admin:articles_article_add"), {"section": value, "lead_image": value}),
        (reverse("admin:autocomplete"), {"app_label": "articles", "model_name": "article",
                                         "field_name": "section", "term": value}),
    ]:  # fmt: skip
        no_server_error(admin_client.get(url, params))
    data = {**story_form_data(story), "section": value, "lead_image": value}
    no_server_error(admin_client.post(change_url(story), data))


def free_text_fields(instance):
    """The fields of ``instance`` an editor types into (no choices, addresses or slugs)."""
    for field in instance._meta.concrete_fields:
        if (
            field.get_internal_type() in {"CharField", "TextField"}
            and not field.choices
            and type(field).__name__ not in {"URLField", "EmailField"}
        ):
            yield field.attname


@pytest.fixture
def shown_everywhere(db):
    """A story in every feed and sitemap: its section, a tag, a byline, a lead picture."""
    story = ArticleFactory(tags=["economy"], lead_image=ImageFactory())
    BylineFactory(article=story, contributor=ContributorFactory())
    return story


@FEW
@given(text=with_a_control)
@example(text="Harvest\x0bbeats forecasts\x00")  # A NUL the admin's forms refuse.
@example(text="Harvest\x0bbeats forecasts\x01")  # One they let through.
@example(text="\x7f{\x7f")  # Found by this test: the tag "{" had an empty slug (a 500).
def test_control_characters_in_any_typed_field_leave_every_feed_and_sitemap_well_formed(
    admin_client, shown_everywhere, text
):
    story = shown_everywhere
    contributor = story.bylines.get().contributor
    # Through the ORM, every free-text field of everything the feeds and sitemaps show.
    for row in [
        story.section,
        contributor,
        Tag.objects.get(slug="economy"),
        story.lead_image,
        story,
    ]:
        row.refresh_from_db()
        for attname in free_text_fields(row):
            setattr(row, attname, text)
        if isinstance(row, Tag):
            # Tag names are unique, and the admin below makes tags from the same text.
            row.name = f"{text} #{next(addresses)}"
        row.save()
    # Through the admin, the story form's fields (tags included) and a contributor's.
    story.refresh_from_db()
    fields = ["headline", "kicker", "lead", "seo_title", "seo_description", "tags"]
    data = story_form_data(
        story, **dict.fromkeys(fields, text), body=f"<p>{text}</p>", lead_image=story.lead_image_id
    )
    no_server_error(admin_client.post(change_url(story), data))
    no_server_error(
        admin_client.post(
            reverse("admin:articles_contributor_change", args=[contributor.pk]),
            {"name": text, "slug": contributor.slug, "bio": text, "photo": "", "user": ""},
        )
    )
    story.refresh_from_db()
    for url in feed_and_sitemap_urls(story):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        parse_xml(response)
