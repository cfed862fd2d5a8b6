"""Journey 1, a reader on the desktop site: from the home page through a section, a story
and its related video in Russian, to another language, a tag, an author and the News Line;
then the story's Russian translation, a search from the header, and the section's feed.

Each step is a paragraph that acts as the reader does (following visible links by their
names), checks where the reader landed, and leaves a screenshot in test-artifacts/.
"""

import re

from playwright.sync_api import expect

from articles.models import Article

from .browser import SEED_HEADLINE


def test_reader_journey_home_section_story_related_language_tag_author_news_line(
    page, seed_story, live_server, screenshot
):
    russian = Article.objects.published().get(
        translation_group=seed_story.translation_group, language="ru"
    )
    sections_nav = page.get_by_role("navigation", name="Sections")
    main = page.get_by_role("main")

    # The home page leads with a story and lists the sections.
    page.goto("/en/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(main.locator(".lead-story")).to_be_visible()
    screenshot(page, "home")

    # A section from the navigation.
    sections_nav.get_by_role("link", name="Economics").click()
    expect(page).to_have_url(f"{live_server.url}/en/economics/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Economics")
    expect(sections_nav.get_by_role("link", name="Economics")).to_have_attribute(
        "aria-current", "page"
    )
    screenshot(page, "section")

    # The seed story from the section front.
    main.get_by_role("link", name=SEED_HEADLINE).click()
    expect(page).to_have_url(live_server.url + seed_story.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(SEED_HEADLINE)
    expect(main.locator(".story__body")).to_contain_text("A centre for the next generation")
    screenshot(page, "story")

    # One of its tags, and back to the story from the tag's list.
    main.get_by_role("navigation", name="Tags").get_by_role("link", name="Fizuli").click()
    expect(page).to_have_url(f"{live_server.url}/en/tags/fizuli/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Fizuli")
    screenshot(page, "tag")
    main.get_by_role("link", name=SEED_HEADLINE).click()

    # Its reporter's page.
    main.get_by_role("link", name="Leyla Mammadova").click()
    expect(page).to_have_url(f"{live_server.url}/en/authors/leyla-mammadova/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Leyla Mammadova")
    expect(main.get_by_role("link", name=SEED_HEADLINE)).to_be_visible()
    screenshot(page, "author")
    page.go_back()

    # The related video: an episode of a Russian-language programme, marked as such.
    related = main.get_by_role("region", name="Related")
    expect(related).to_contain_text("Video · in Russian")
    related.get_by_role("link", name=re.compile("Çətin sual")).click()
    expect(page).to_have_url(re.compile(r"/ru/video/[\w-]+/$"))
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Çətin sual")
    screenshot(page, "related-video")

    # The language switcher: a story links to each language's home page.
    page.locator(".languages").get_by_role("link", name="English").click()
    expect(page).to_have_url(f"{live_server.url}/en/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    screenshot(page, "english-home")

    # The News Line: every story, newest first.
    sections_nav.get_by_role("link", name="News Line").click()
    expect(page).to_have_url(f"{live_server.url}/en/news-line/")
    expect(page.get_by_role("heading", level=1)).to_have_text("News Line")
    expect(main.get_by_role("link", name=SEED_HEADLINE)).to_be_visible()
    screenshot(page, "news-line")

    # Back to the story, and over to its Russian translation: the switcher links to it.
    main.get_by_role("link", name=SEED_HEADLINE).click()
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Русский").click()
    expect(page).to_have_url(live_server.url + russian.get_absolute_url())
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("heading", level=1)).to_have_text(russian.headline)
    screenshot(page, "russian-translation")
    # And back to English the same way: the switcher leads to the English story, not home.
    # On a Russian page the switcher is labelled in Russian: "Язык".
    page.get_by_role("navigation", name="Язык").get_by_role("link", name="English").click()
    expect(page).to_have_url(live_server.url + seed_story.get_absolute_url())

    # The header's search form, and a result opened from the list.
    search = page.get_by_role("search").first
    search.get_by_role("searchbox", name="Search stories").fill("Fizuli")
    search.get_by_role("button", name="Search").click()
    expect(page).to_have_url(f"{live_server.url}/en/search/?q=Fizuli")
    results = main.locator(".search-results")
    expect(results.locator(".search-result").first).to_be_visible()
    expect(results.locator("mark").first).to_have_text(re.compile("Fizuli", re.I))
    screenshot(page, "search-results")
    results.get_by_role("link", name=SEED_HEADLINE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SEED_HEADLINE)

    # Subscribe: the section page announces its feed in <head>, as feed readers look for it.
    main.locator(".kicker").get_by_role("link", name="Economics").click()
    expect(page).to_have_url(f"{live_server.url}/en/economics/")
    feed_link = page.locator('head link[rel="alternate"][type="application/rss+xml"]')
    expect(feed_link).to_have_count(1)
    feed = page.request.get(feed_link.get_attribute("href"))
    assert feed.ok
    assert "xml" in feed.headers["content-type"]
    assert "<rss" in feed.text()
    assert f"<title>{SEED_HEADLINE}</title>" in feed.text()
