"""Old addresses of a published story answer 301 to the current one."""

import pytest
from django.urls import reverse
from django.utils import translation

from articles.models import Article, ArticleRedirect, SectionRedirect
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


def address(section, slug, language="en"):
    with translation.override(language):
        return reverse("articles:story", kwargs={"section": section, "slug": slug})


def test_every_old_address_redirects_to_the_current_one(client):
    story = ArticleFactory(section=SectionFactory(slug="economics"), slug="bridge-opens")
    story.slug = "bridge-opens-in-may"
    story.save()
    story.section = SectionFactory(slug="society")
    story.save()
    current = address("society", "bridge-opens-in-may")
    for old in [address("economics", "bridge-opens"), address("economics", "bridge-opens-in-may")]:
        response = client.get(old)
        assert response.status_code == 301 and response["Location"] == current, old
    assert client.get(current).status_code == 200


def test_no_redirect_for_unpublished_or_never_published_addresses(client):
    story = ArticleFactory(section=SectionFactory(slug="economics"), slug="old-name")
    story.slug = "new-name"
    story.save()
    draft = ArticleFactory(draft=True, section=story.section, slug="draft-name")
    draft.slug = "draft-renamed"
    draft.save()
    assert client.get(address("economics", "draft-name")).status_code == 404
    Article.objects.filter(pk=story.pk).update(status=Article.Status.UNPUBLISHED)
    assert client.get(address("economics", "old-name")).status_code == 404


def test_an_address_taken_by_a_new_story_shows_the_new_story(client):
    old = ArticleFactory(section=SectionFactory(slug="economics"), slug="budget")
    old.slug = "budget-2025"
    old.save()
    new = ArticleFactory(section=old.section, slug="budget", headline="Budget 2026")
    response = client.get(address("economics", "budget"))
    assert response.status_code == 200 and response.context["article"] == new


def test_redirect_only_within_the_language(client):
    story = ArticleFactory(section=SectionFactory(slug="economics"), slug="bridge")
    story.slug = "bridge-2"
    story.save()
    assert client.get(address("economics", "bridge", "ru")).status_code == 404


class TestRenamedSection:
    @pytest.fixture
    def renamed(self):
        """Economics, with a story in Russian, renamed to "economy" by an editor."""
        section = SectionFactory(slug="economics")
        story = ArticleFactory(section=section, slug="bridge-opens", language="ru")
        # Saved without remembering its address, as if published before redirects existed.
        ArticleRedirect.objects.all().delete()
        section.slug = "economy"
        section.save()
        return section, story

    def test_the_section_page_its_feeds_and_its_stories_redirect(self, client, renamed):
        with translation.override("ru"):
            pages = {
                reverse(name, kwargs={"section": "economics"}): reverse(
                    name, kwargs={"section": "economy"}
                )
                for name in [
                    "articles:section",
                    "articles:section_feed",
                    "articles:section_feed_atom",
                ]
            }
        pages["/ru/economics/?page=2"] = "/ru/economy/?page=2"
        pages[address("economics", "bridge-opens", "ru")] = address(
            "economy", "bridge-opens", "ru"
        )
        for old, new in pages.items():
            response = client.get(old)
            assert (response.status_code, response["Location"]) == (301, new), old
        assert client.get(address("economy", "bridge-opens", "ru")).status_code == 200

    def test_renaming_back_leaves_no_loop_and_a_new_section_takes_an_old_slug(
        self, client, renamed
    ):
        section, _story = renamed
        section.slug = "economics"
        section.save()
        assert client.get("/en/economics/").status_code == 200
        assert client.get("/en/economy/")["Location"] == "/en/economics/"
        SectionFactory(slug="economy")
        assert client.get("/en/economy/").status_code == 200
        assert list(SectionRedirect.objects.values_list("old_slug", flat=True)) == []

    def test_unknown_addresses_still_end_in_404(self, client, renamed):
        response = client.get("/en/economics/no-such-story/", follow=True)
        assert response.status_code == 404
        assert response.redirect_chain == [("/en/economy/no-such-story/", 301)]
        assert client.get("/en/no-such-section/").status_code == 404
