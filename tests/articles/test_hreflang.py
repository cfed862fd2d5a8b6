"""Language versions for readers and search engines: reciprocal absolute hreflang
alternates and the language switcher."""

import re
from uuid import uuid4

import pytest

from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db

HOST = "http://testserver"


def alternates(page):
    return dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)">', page))


@pytest.fixture
def translated():
    """One story in three languages."""
    group = uuid4()
    section = SectionFactory(slug="economics", name="Economics", name_ru="Экономика")
    return {
        language: ArticleFactory(language=language, translation_group=group, section=section)
        for language in ["en", "ru", "az"]
    }


class TestTranslations:
    def test_hreflang_alternates_are_reciprocal_and_absolute(self, client, translated):
        expected = {lang: HOST + story.get_absolute_url() for lang, story in translated.items()}
        for story in translated.values():
            links = alternates(client.get(story.get_absolute_url()).content.decode())
            assert links == {**expected, "x-default": expected["en"]}

    def test_unpublished_translation_is_dropped(self, client, translated):
        translated["az"].status = "draft"
        translated["az"].save()
        links = alternates(client.get(translated["ru"].get_absolute_url()).content.decode())
        assert set(links) == {"en", "ru", "x-default"}

    def test_language_switcher_goes_to_the_translation_or_that_languages_home(
        self, client, translated
    ):
        translated["az"].status = "draft"
        translated["az"].save()
        page = client.get(translated["en"].get_absolute_url()).content.decode()
        switcher = page[page.index('class="languages"') :]
        assert f'href="{translated["ru"].get_absolute_url()}" lang="ru"' in switcher
        assert 'href="/az/" lang="az"' in switcher

    def test_list_pages_have_alternates_in_every_language(self, client, translated):
        links = alternates(client.get("/ru/economics/").content.decode())
        assert links == {
            "en": f"{HOST}/en/economics/",
            "ru": f"{HOST}/ru/economics/",
            "az": f"{HOST}/az/economics/",
            "x-default": f"{HOST}/en/economics/",
        }

    def test_html_lang_is_the_page_language(self, client, translated):
        assert '<html lang="az"' in client.get("/az/").content.decode()
