"""The "Page not found" page: the site's own page, in the reader's language."""

import pytest

from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db

# Sections, social links and newsletters (cached), the News Line; and the old WordPress
# address asked for once the site has no such page (wordpress.middleware).
NOT_FOUND_BUDGET = 6
# Django's own catalogues already translate the heading.
HEADINGS = {"en": "Page not found", "ru": "Страница не найдена", "az": "Səhifə tapılmadı"}


@pytest.mark.parametrize("language", ["en", "ru", "az"])
def test_unknown_address_gets_the_sites_not_found_page_in_its_language(
    client, django_assert_max_num_queries, language
):
    SectionFactory(name="Economics", slug="economics")
    ArticleFactory(language=language, headline="Harvest beats forecasts")
    with django_assert_max_num_queries(NOT_FOUND_BUDGET):
        response = client.get(f"/{language}/no/such/page/")
    assert response.status_code == 404
    assert [t.name for t in response.templates][:2] == ["404.html", "base.html"]
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    assert f"<h1>{HEADINGS[language]}</h1>" in html
    assert f'href="/{language}/economics/"' in html  # The section navigation.
    assert "Harvest beats forecasts" in html  # The News Line.


def test_not_found_page_switches_language_to_each_home_page(client):
    html = client.get("/en/no/such/page/").content.decode()
    for code in ["en", "ru", "az"]:
        assert f'href="/{code}/" lang="{code}"' in html
    assert 'href="/ru/no/such/page/"' not in html
