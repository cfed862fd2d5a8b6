"""Tags have a language: a story carries its own language's tags (and those written alike
in every language); "Translate into …" carries them over as their translations and names
the ones still to translate; tag pages, feeds and sitemaps follow the language."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation
from taggit.models import Tag

from articles.models import Article, TagLanguage
from tests.factories import ArticleFactory
from tests.helpers import ADD_URL, logged_in, story_form_data

from .test_sitemaps import ORIGIN, fetch_xml, locations

pytestmark = pytest.mark.django_db


def tag(name, language=None, original=None):
    made = Tag.objects.create(name=name)
    if language:
        TagLanguage.objects.create(tag=made, language=language, original=original)
    return made


@pytest.fixture
def economy():
    """ "Economy" in English, translated into Russian only."""
    english = tag("Economy", "en")
    tag("Экономика", "ru", original=english)
    return english


def test_translate_carries_tags_over_as_their_translations(editor, economy):
    reconstruction = tag("Reconstruction", "en")
    story = ArticleFactory(tags=[economy, reconstruction, "Baku Rapid Open"])
    client = logged_in(editor)
    url = reverse("admin:articles_article_translate", args=[story.pk, "ru"])
    response = client.post(url)
    draft = Article.objects.get(translation_group=story.translation_group, language="ru")
    assert sorted(draft.tags.names()) == ["Baku Rapid Open", "Экономика"]
    said = " ".join(str(message) for message in get_messages(response.wsgi_request))
    assert "no translation into Russian yet" in said
    assert "Reconstruction" in said and "Economy" not in said.split("yet")[1]


def test_translations_of_one_original_translate_one_another(economy):
    russian = Tag.objects.get(name="Экономика")
    azerbaijani = tag("İqtisadiyyat", "az", original=economy)
    assert TagLanguage.objects.translations([russian], "az") == {russian.pk: azerbaijani}
    assert TagLanguage.objects.translations([azerbaijani], "en") == {azerbaijani.pk: economy}


class TestTheStoryForm:
    def test_a_new_tag_takes_the_storys_language(self, editor):
        section = ArticleFactory().section
        data = story_form_data(section=section, language="az", tags="Bərpa, Füzuli")
        assert logged_in(editor).post(ADD_URL, data).status_code == 302
        assert set(TagLanguage.objects.values_list("tag__name", "language")) == {
            ("Bərpa", "az"), ("Füzuli", "az"),
        }  # fmt: skip

    def test_another_languages_tag_is_refused_with_its_translation(self, editor, economy):
        section = ArticleFactory().section
        data = story_form_data(section=section, language="ru", tags="Economy")
        response = logged_in(editor).post(ADD_URL, data)
        assert response.status_code == 200
        (error,) = response.context["adminform"].form.errors["tags"]
        assert "“Экономика”" in error
        data["tags"] = "Экономика, Baku Rapid Open"
        assert logged_in(editor).post(ADD_URL, data).status_code == 302

    def test_without_a_translation_it_asks_for_one(self, editor):
        tag("Reconstruction", "en")
        section = ArticleFactory().section
        data = story_form_data(section=section, language="ru", tags="Reconstruction")
        response = logged_in(editor).post(ADD_URL, data)
        assert "write it in this story's language" in response.context[
            "adminform"].form.errors["tags"][0]  # fmt: skip


class TestReaderPages:
    def test_a_tag_page_in_another_language_leads_to_the_translation(self, client, economy):
        ArticleFactory(language="ru", tags=["Экономика"])
        russian = Tag.objects.get(name="Экономика")
        answer = client.get("/ru/tags/economy/")
        assert answer.status_code == 301
        with translation.override("ru"):
            assert answer["Location"] == reverse("articles:tag", kwargs={"tag": russian.slug})
        assert client.get(answer["Location"]).status_code == 200
        assert client.get("/az/tags/economy/").status_code == 404
        assert client.get("/en/tags/economy/").status_code == 200

    def test_a_tag_of_every_language_has_a_page_in_each(self, client):
        ArticleFactory(language="az", tags=["Baku Rapid Open"])
        assert client.get("/az/tags/baku-rapid-open/").status_code == 200

    def test_feeds_follow_the_language(self, client, economy):
        ArticleFactory(tags=[economy])
        assert client.get("/en/tags/economy/feed/").status_code == 200
        assert client.get("/ru/tags/economy/feed/").status_code == 404

    def test_sitemaps_list_a_tag_in_its_own_language_only(self, client, economy):
        # A story from before tags had languages, still carrying the English tag.
        ArticleFactory(language="ru", tags=[economy, "Экономика"])
        ArticleFactory(tags=[economy])
        with translation.override("ru"):
            russian = reverse(
                "articles:tag", kwargs={"tag": Tag.objects.get(name="Экономика").slug}
            )
        assert locations(fetch_xml(client, "/sitemap-tags-ru.xml")) == [f"{ORIGIN}{russian}"]
        assert locations(fetch_xml(client, "/sitemap-tags-en.xml")) == [
            f"{ORIGIN}/en/tags/economy/"
        ]
