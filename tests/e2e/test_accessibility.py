"""axe-core on every kind of reader page in every language: no serious or critical
violation of the WCAG 2.0/2.1/2.2 A and AA rules.

axe-core comes bundled inside axe-playwright-python, so the check runs offline.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from articles.models import Article

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
LANGUAGES = [code for code, _name in settings.LANGUAGES]
PAGES = ["home", "section", "story", "news_line", "tag", "author", "not_found"]


def page_url(name, story):
    """The address of a page of this kind in the story's language: the seed story's
    translation, its section, first tag and first author."""
    with translation.override(story.language):
        return {
            "home": lambda: reverse("articles:home"),
            "news_line": lambda: reverse("articles:news_line"),
            "section": lambda: story.section.get_absolute_url(),
            "story": lambda: story.get_absolute_url(),
            "tag": lambda: reverse("articles:tag", args=[story.tags.order_by("pk")[0].slug]),
            "author": lambda: story.bylines.order_by("position")[0].contributor.get_absolute_url(),
            "not_found": lambda: f"/{story.language}/no/such/page/",
        }[name]()


def serious_violations(page):
    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    return [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]


def describe(violations):
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}\n"
        + "\n".join(f"    {node['target']}: {node['failureSummary']}" for node in v["nodes"])
        for v in violations
    )


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_reader_page_has_no_serious_accessibility_violations(
    page, seed_story, screenshot, language, name
):
    story = Article.objects.published().get(
        translation_group=seed_story.translation_group, language=language
    )
    response = page.goto(page_url(name, story))
    assert response.status == (404 if name == "not_found" else 200)
    screenshot(page, name)
    violations = serious_violations(page)
    assert not violations, describe(violations)
