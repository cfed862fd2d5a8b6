"""The writing screen: the story's text beside its settings, the editor wearing the story
page's styles in the admin's language, and a read-only story shown as readers see it."""

import json
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from articles.models import Article, Byline
from tests.factories import ArticleFactory, ContributorFactory
from tests.helpers import change_url, logged_in

pytestmark = pytest.mark.django_db


def columns(page):
    """The main column's and the sidebar's HTML."""
    main = page.index('class="desk__main"')
    side = page.index('class="desk__side"')
    assert main < side
    return page[main:side], page[side : page.index("</aside>", side)]


class TestLayout:
    def test_text_in_the_main_column_settings_in_the_sidebar(self, editor):
        story = ArticleFactory(draft=True)
        Byline.objects.create(article=story, contributor=ContributorFactory(), position=1)
        main, side = columns(logged_in(editor).get(change_url(story)).content.decode())
        for field in ["kicker", "headline", "lead", "body"]:
            assert f'id="id_{field}"' in main, field
        for field in ["section", "tags", "lead_image", "published_at", "breaking_until",
                      "comments_mode", "seo_title", "workflow_note"]:  # fmt: skip
            assert f'id="id_{field}' in side, field
            assert f'id="id_{field}' not in main, field
        assert 'id="bylines-group"' in side and 'id="related_links-group"' in main
        assert 'name="_workflow" value="publish"' in side and 'name="_save"' in side
        # The search-engine fields are folded away.
        seo = side[side.index("Search engines and sharing") - 200 :]
        assert seo.index("<details>") < seo.index('id="id_seo_title"')

    def test_the_add_form_has_the_same_columns(self, journalist):
        main, side = columns(
            logged_in(journalist).get(reverse("admin:articles_article_add")).content.decode()
        )
        assert 'id="id_headline"' in main and 'id="id_section"' in side
        assert 'name="_workflow"' not in side  # a story not saved yet has no steps

    def test_word_count_and_headline_length_are_asked_for(self, editor):
        page = logged_in(editor).get(change_url(ArticleFactory(draft=True))).content.decode()
        assert "data-desk-counts" in page
        assert "Words: {words} · about {minutes} min to read" in page
        assert "{count} of about {limit} characters search engines show" in page
        assert "js/story-desk.js" in page


class TestEditorLooksLikeThePage:
    def test_one_stylesheet_for_the_story_text_on_the_page_and_in_the_editor(self, client, editor):
        story = ArticleFactory()
        site_css = Path(finders.find("css/site.css")).read_text(encoding="utf-8")
        body_css = Path(finders.find("css/story-body.css")).read_text(encoding="utf-8")
        assert '@import url("story-body.css");' in site_css
        # Not a second copy: the body's rules live in story-body.css only.
        assert ".story__body" not in site_css.replace("story-body.css", "")
        assert ":is(.story__body, .ck-content.ck-editor__editable) h2" in body_css
        assert "css/site.css" in client.get(story.get_absolute_url()).content.decode()
        form = logged_in(editor).get(change_url(story)).content.decode()
        assert form.count("css/story-body.css") == 1  # the widget's and the admin's, merged

    @pytest.mark.parametrize("language", ["ru", "az"])
    def test_ckeditor_speaks_the_admins_language(self, editor, language):
        page = (
            logged_in(editor)
            .get(change_url(ArticleFactory(draft=True)), HTTP_ACCEPT_LANGUAGE=language)
            .content.decode()
        )
        assert f"django_ckeditor_5/dist/translations/{language}.js" in page
        config = re.search(
            r'<script id="id_body_script" type="application/json">(.*?)</script>', page
        )
        assert json.loads(config.group(1))["language"] == language
        assert finders.find(f"django_ckeditor_5/dist/translations/{language}.js")


class TestReadOnlyStory:
    @pytest.fixture
    def in_review(self, journalist):
        story = ArticleFactory(
            status=Article.Status.REVIEW, published_at=None, created_by=journalist, kicker=""
        )
        # As stored by an older version, or written around the form: sanitised on display.
        Article.objects.filter(pk=story.pk).update(
            body="<h2>Who built it</h2><ul><li>Engineers</li></ul><script>alert(1)</script>"
        )
        return story

    def test_body_is_shown_as_the_page_shows_it(self, journalist, in_review):
        response = logged_in(journalist).get(change_url(in_review))
        page = response.content.decode()
        assert response.status_code == 200 and 'id="id_body"' not in page  # not editable
        assert '<div class="story__body"><h2>Who built it</h2><ul><li>Engineers</li></ul>' in page
        assert "&lt;h2&gt;" not in page and "alert(1)" not in page

    def test_empty_fields_are_left_out(self, journalist, in_review):
        page = logged_in(journalist).get(change_url(in_review)).content.decode()
        assert "Note for the history" not in page
        assert "None" not in page.split('id="content-main"')[1]
        assert "field-kicker" not in page and "field-seo_title" not in page
        assert "field-headline" in page and "field-section" in page
