"""Old addresses of a published story answer 301 to the current one."""

import pytest
from django.urls import reverse
from django.utils import translation

from articles.models import Article
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
