"""Inputs that answered 500 (issue 14, item 6), one test per hole; none may.

Readers: control characters in what the newsroom types (feeds and sitemaps are XML), CSP
reports (tests/security/test_csp.py). Staff: a PNG hiding megabytes of text, a blocked term
or tag that differs only in case or control characters from one already there, the date
drill-down with a year Python cannot hold, an id that is no id in an autocomplete field.
Debug or media serving: a thousand ``q`` on the search page, a ``/media/`` path too long for
the file system. The suite runs with DEBUG off, as production does.
"""

import importlib
import io
import re

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.signals import pre_save
from django.test import Client
from django.urls import reverse
from PIL import Image as PILImage
from PIL import PngImagePlugin
from taggit.models import Tag

from articles.models import Article, Image, Section
from articles.text import clean_body
from comments.models import BlockedTerm
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    SectionFactory,
    SuperuserFactory,
)
from tests.helpers import (
    ADD_URL,
    change_url,
    feed_and_sitemap_urls,
    logged_in,
    parse_xml,
    story_form_data,
)

pytestmark = pytest.mark.django_db
WORD_BREAK = "\x0b"  # What Word pastes for a line break (Shift+Enter).
# The controls XML 1.0 refuses; tab, line feed and carriage return are allowed.
XML_REFUSES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


@pytest.fixture
def admin_client():
    client = logged_in(SuperuserFactory())
    client.raise_request_exception = False
    return client


@pytest.fixture
def reader():
    return Client(raise_request_exception=False)


# Control characters ------------------------------------------------------------------------
def plain_text_fields(model):
    for field in model._meta.concrete_fields:
        rich = field.get_internal_type() == "TextField" and "CKEditor" in type(field).__name__
        if field.get_internal_type() in {"CharField", "TextField"} and not rich:
            yield field.attname, field.get_internal_type() == "TextField"


def test_every_text_field_of_the_newsrooms_models_drops_control_characters_on_save():
    walked = set()
    for label in ["taggit", "articles", "comments", "newsroom"]:
        for model in apps.get_app_config(label).get_models():
            for attname, multiline in plain_text_fields(model):
                instance = model()
                setattr(instance, attname, f"Baku{WORD_BREAK}talks\x00\x1b[31m\x85end\t.")
                pre_save.send(sender=model, instance=instance, raw=False, using="default")
                expected = "Baku\ntalks[31m\nend\t." if multiline else "Baku talks[31m end ."
                assert getattr(instance, attname) == expected, (model, attname)
                walked.add(f"{model._meta.label}.{attname}")
    assert {
        "articles.Article.headline", "articles.Article.kicker", "articles.Article.lead",
        "articles.Article.seo_title", "articles.Article.seo_description",
        "articles.Section.name", "articles.Section.description", "articles.Contributor.name",
        "articles.Contributor.bio", "articles.Image.alt_text", "articles.Image.caption",
        "articles.Image.credit", "articles.Correction.text", "articles.RelatedLink.title",
        "taggit.Tag.name", "comments.BlockedTerm.term", "newsroom.SocialLink.name",
    } <= walked  # fmt: skip


def test_feeds_and_sitemaps_stay_well_formed_xml_with_a_control_character_in_a_name(reader):
    section = SectionFactory(name=f"Eco{WORD_BREAK}nomy", description=f"Money{WORD_BREAK}.")
    story = ArticleFactory(
        section=section,
        headline=f"Harvest{WORD_BREAK}beats forecasts",
        kicker="Farming\x01",
        lead=f"More grain{WORD_BREAK}than expected.",
        tags=[f"grain{WORD_BREAK}prices"],
    )
    BylineFactory(article=story, contributor=ContributorFactory(name=f"Nigar{WORD_BREAK}Aliyeva"))
    for url in feed_and_sitemap_urls(story):
        response = reader.get(url)
        assert response.status_code == 200, url
        parse_xml(response)
    news = parse_xml(reader.get(reverse("news_sitemap")))
    assert "Harvest beats forecasts" in news.xpath("string(//*[local-name()='title'])")


def test_a_story_saved_through_the_admin_keeps_no_control_character(admin_client):
    Tag.objects.create(name="economy")
    story = ArticleFactory()
    data = story_form_data(
        story,
        headline=f"Harvest{WORD_BREAK}beats forecasts",
        tags=f"economy\x01, grain{WORD_BREAK}",
    )
    assert admin_client.post(change_url(story), data).status_code == 302
    story.refresh_from_db()
    assert story.headline == "Harvest beats forecasts"
    # The tag typed with a control character is the one already there, not a second one.
    assert sorted(story.tags.names()) == ["economy", "grain"]
    assert Tag.objects.count() == 2


def test_a_control_character_in_the_body_cannot_join_a_javascript_address():
    body = clean_body('<p>a\x0bb</p><a href="jav&#x01;ascript:alert(1)">x</a>')
    assert not XML_REFUSES.search(body)
    assert "javascript" not in body.replace("\n", "")
    assert "<p>a\nb</p>" in body


def test_the_migration_cleans_text_stored_before(django_assert_max_num_queries):
    migration = importlib.import_module("newsroom.migrations.0003_strip_control_characters")
    story = ArticleFactory()
    Tag.objects.create(name="economy")
    Tag.objects.create(name="grain")
    # QuerySet.update() sends no signal: the text as it was stored before the fix.
    Article.objects.filter(pk=story.pk).update(
        headline=f"Harvest{WORD_BREAK}beats", body='<a href="jav\x01ascript:alert(1)">x</a>'
    )
    Tag.objects.filter(name="grain").update(name=f"gr{WORD_BREAK}ain")
    Tag.objects.create(name="spare")
    Tag.objects.filter(name="spare").update(name="economy\x01")  # Would be a duplicate.
    migration.strip_stored_text(apps, None)
    story.refresh_from_db()
    assert story.headline == "Harvest beats"
    assert "javascript" not in story.body
    assert sorted(Tag.objects.values_list("name", flat=True)) == [
        "economy", "economy\x01", "gr ain"
    ]  # fmt: skip


# Pictures -----------------------------------------------------------------------------------
def png_with_text(megabytes=8):
    """An 8 KB PNG whose compressed text chunk unpacks to ``megabytes`` of text."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "a" * (megabytes * 1024 * 1024), zip=True)
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 8)).save(buffer, "PNG", pnginfo=info)
    assert len(buffer.getvalue()) < 16 * 1024
    return buffer.getvalue()


def test_a_png_hiding_megabytes_of_text_is_a_form_error_in_the_image_admin(admin_client):
    response = admin_client.post(
        reverse("admin:articles_image_add"),
        {
            "file": SimpleUploadedFile("text.png", png_with_text(), "image/png"),
            "focal_x": "0.5",
            "focal_y": "0.5",
            "title": "Text",
        },
    )
    assert response.status_code == 200
    assert "hidden text" in str(response.context["adminform"].form.errors["file"])
    assert not Image.objects.exists()


def test_a_png_hiding_megabytes_of_text_is_a_json_error_in_the_ckeditor_upload(admin_client):
    response = admin_client.post(
        reverse(settings.CK_EDITOR_5_UPLOAD_FILE_VIEW_NAME),
        {"upload": SimpleUploadedFile("text.png", png_with_text(), "image/png")},
    )
    assert response.status_code == 400
    assert "hidden text" in response.json()["error"]["message"]
    assert not Image.objects.exists()


# Names that are already taken ----------------------------------------------------------------
@pytest.mark.parametrize("typed", ["SPAM", "Spam\x0b", "spam\x01"])
def test_a_blocked_term_differing_only_in_case_or_controls_is_a_form_error(admin_client, typed):
    BlockedTerm.objects.create(term="spam")
    response = admin_client.post(
        reverse("admin:comments_blockedterm_add"),
        {"term": typed, "language": "", "action": "hold", "created_at_0": "2026-01-05",
         "created_at_1": "10:00:00"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "already exists" in str(response.context["adminform"].form.errors)
    assert BlockedTerm.objects.count() == 1


def test_a_tag_differing_only_in_control_characters_is_a_form_error(admin_client):
    Tag.objects.create(name="economy", slug="economy")
    response = admin_client.post(
        reverse("admin:taggit_tag_add"),
        {"name": "economy\x01", "slug": "economy-2",
         "taggit-taggeditem-content_type-object_id-TOTAL_FORMS": "0",
         "taggit-taggeditem-content_type-object_id-INITIAL_FORMS": "0"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "already exists" in str(response.context["adminform"].form.errors["name"])
    assert Tag.objects.count() == 1


# The admin's query strings and ids -----------------------------------------------------------
@pytest.mark.parametrize(
    "query",
    [
        "published_at__year=9999",
        "published_at__year=9999&published_at__month=12",
        "published_at__year=9999&published_at__month=12&published_at__day=31",
        "published_at__year=1&published_at__month=1&published_at__day=1",
        "published_at__year=99999999999999999999",
        "published_at__year=2026&published_at__month=2147483648",
        "published_at__year=2026&published_at__month=1&published_at__day=2147483648",
    ],
)
def test_the_date_drill_down_with_a_year_python_cannot_hold_is_a_bad_filter(admin_client, query):
    ArticleFactory()
    response = admin_client.get(f"{reverse('admin:articles_article_changelist')}?{query}")
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


def test_the_date_drill_down_still_drills_down(admin_client):
    story = ArticleFactory()
    year = story.published_at.year
    response = admin_client.get(
        f"{reverse('admin:articles_article_changelist')}?published_at__year={year}"
    )
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [story]


@pytest.mark.parametrize("value", ["abc", "1.5", "²", str(10**30)])
def test_an_autocomplete_value_that_is_no_id_is_a_form_error(admin_client, value):
    story = ArticleFactory()
    response = admin_client.post(change_url(story), {**story_form_data(story), "section": value})
    assert response.status_code == 200
    assert "section" in response.context["adminform"].form.errors
    response = admin_client.post(
        change_url(story), {**story_form_data(story), "lead_image": value}
    )
    assert response.status_code == 200
    assert "lead_image" in response.context["adminform"].form.errors


@pytest.mark.parametrize("value", ["abc", "²", str(10**30)])
def test_an_add_form_given_an_autocomplete_value_that_is_no_id_shows_it_empty(admin_client, value):
    SectionFactory()
    response = admin_client.get(f"{ADD_URL}?section={value}")
    assert response.status_code == 200
    assert "<option" not in str(response.context["adminform"].form["section"])


def test_an_autocomplete_value_that_is_an_id_is_still_shown(admin_client):
    section = Section.objects.get(pk=SectionFactory(name="Economy").pk)
    response = admin_client.get(f"{ADD_URL}?section={section.pk}")
    assert "Economy" in str(response.context["adminform"].form["section"])


# Search and media ----------------------------------------------------------------------------
@pytest.mark.parametrize("debug", [False, True], ids=["production", "debug"])
def test_a_thousand_search_words_are_a_400(reader, settings, debug):
    settings.DEBUG = debug
    query = "&".join(f"q=word{n}" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    response = reader.get(f"{reverse('articles:search')}?{query}")
    assert response.status_code == 400
    if not debug:
        assert "Bad request" in response.content.decode()


@pytest.mark.parametrize("debug", [False, True], ids=["production", "debug"])
def test_a_repeated_search_word_searches_for_the_last(reader, settings, debug):
    settings.DEBUG = debug
    ArticleFactory(headline="Harvest figures")
    response = reader.get(reverse("articles:search"), {"q": ["", "harvest"]})
    assert response.status_code == 200
    assert response.context["query"] == "harvest"


@pytest.mark.parametrize(
    "path", ["a" * 300 + ".jpg", "a" * 300 + "/picture.jpg", "/".join(["a" * 250] * 20)]
)
def test_a_media_path_too_long_for_the_file_system_is_a_404(reader, path):
    response = reader.get(f"/media/{path}")
    assert response.status_code == 404
    assert 'class="site-header"' in response.content.decode()


# Found by the fuzz test ---------------------------------------------------------------------
@pytest.mark.parametrize("typed", ["{", "!!, economy", f"\x7f{{{WORD_BREAK}"])
def test_a_tag_with_no_letter_or_digit_is_a_form_error(admin_client, reader, typed):
    """Its slug would be empty, and the story page and tag sitemap could not link it."""
    story = ArticleFactory()
    response = admin_client.post(change_url(story), story_form_data(story, tags=typed))
    assert response.status_code == 200
    assert "needs a letter or a digit" in str(response.context["adminform"].form.errors["tags"])
    assert not story.tags.exists()
    assert reader.get(story.get_absolute_url()).status_code == 200
