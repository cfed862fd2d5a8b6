"""``manage.py import_wordpress``: posts, statuses, terms, reviews and re-runs (issue 20)."""

import io
from datetime import UTC, datetime

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import Client
from django_tasks_db.models import DBTaskResult

from articles.models import Article, Byline, Section
from articles.search import search_stories
from comments.models import Comment, ModerationDecision
from tests.newsroom.test_page_cache import cache_status
from wordpress.models import ImportedStory, OldAddress

from .wxr import category, comment, export, item

pytestmark = pytest.mark.django_db


def run(tmp_path, xml, *args):
    path = tmp_path / "export.xml"
    path.write_text(xml)
    out = io.StringIO()
    call_command("import_wordpress", str(path), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def story(wp_id):
    return ImportedStory.objects.select_related("article").get(wp_id=wp_id).article


@pytest.mark.parametrize("scheme", ["http", "https"])
@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2"])
def test_every_export_version_and_namespace_is_read(tmp_path, scheme, version):
    run(tmp_path, export(item(1, title="Bridge opens"), scheme=scheme, version=version))
    assert story(1).headline == "Bridge opens"


def test_a_post_becomes_a_published_story_with_byline_section_tags_and_lead(tmp_path):
    xml = export(item(
        7, title="Budget &amp; <em>taxes</em>", date="2013-01-11 20:22:19",
        content="First line\nsecond line\n\nSecond paragraph.", excerpt="The short version.",
        categories=[("economy", "Economy"), ("budget", "Budget")], tags=[("tax", "Tax")],
    ))  # fmt: skip
    run(tmp_path, xml)
    article = story(7)
    assert article.headline == "Budget & taxes"
    assert article.body == "<p>First line<br>\nsecond line</p>\n<p>Second paragraph.</p>"
    assert article.lead == "The short version."
    assert article.published_at == datetime(2013, 1, 11, 20, 22, 19, tzinfo=UTC)
    assert article.is_published and article.language == "en"
    assert article.section.slug == "economy" and article.section.name == "Economy"
    assert sorted(article.tags.names()) == ["Budget", "Tax"]
    byline = Byline.objects.get(article=article)
    assert (byline.contributor.name, byline.contributor.slug) == ("Jane Doe", "jdoe")
    assert byline.role == Byline.Role.REPORTER


def test_language_from_option_else_from_channel(tmp_path):
    run(tmp_path, export(item(1), language="ru-RU"))
    assert story(1).language == "ru"
    run(tmp_path, export(item(2), language="fr"), "--language", "az")
    assert story(2).language == "az"
    run(tmp_path, export(item(3, slug="%d0%bc%d0%be%d1%81%d1%82"), language="ru"))
    assert story(3).slug == "most"  # мост, as WordPress encodes it.


def test_titles_with_markup_and_without_text(tmp_path):
    xml = export(
        item(1, title="<b>Bold</b> move"),
        item(2, title="", content="<p>Floods reached the old town on Monday night, and more.</p>"),
    )
    report = run(tmp_path, xml)
    assert story(1).headline == "Bold move"
    assert story(2).headline == "Floods reached the old town on Monday night,…"
    assert "post #2: no title; headline made from its text" in report


def test_block_comments_more_and_nextpage(tmp_path):
    content = ("<!-- wp:paragraph -->\n<p>Teaser text.</p>\n<!-- /wp:paragraph -->\n"
               "<!--more-->\n<!-- wp:paragraph --><p>Rest.</p><!-- /wp:paragraph -->"
               "<!--nextpage--><p>Page two.</p>")  # fmt: skip
    run(tmp_path, export(item(1, content=content)))
    article = story(1)
    assert "wp:" not in article.body and "more" not in article.body
    assert "<p>Teaser text.</p>" in article.body and "<hr>" in article.body
    assert article.lead == "Teaser text."


def test_lead_falls_back_to_the_first_sentences(tmp_path):
    run(tmp_path, export(item(1, content="<p>One. Two! " + "Three words here. " * 40 + "</p>")))
    lead = story(1).lead
    assert lead.startswith("One. Two! Three words here.") and len(lead) <= 300


def test_shortcodes_are_converted_or_removed_with_a_note(tmp_path):
    content = (
        '[caption id="attachment_5" width="300"]<img src="https://x.example/a.jpg" alt="A"> '
        "The harbour[/caption]\n\n[embed]https://www.youtube.com/watch?v=abc[/embed]\n\n"
        '[audio mp3="https://old.example.com/a.mp3"][/audio]\n\n[gallery ids="1,2"]\n\n'
        '[contact-form id="3"]\n\nSee [sic] here.\n\n<script>alert(1)</script>'
    )
    report = run(tmp_path, export(item(1, content=content)))
    body = story(1).body
    assert "[" not in body.replace("[sic]", "") and "script" not in body
    assert '<a href="https://www.youtube.com/watch?v=abc"' in body
    assert '<a href="https://old.example.com/a.mp3"' in body
    assert "<figcaption>The harbour</figcaption>" in body
    assert "[sic]" in body
    assert "post #1: [embed] converted to a link" in report
    assert "post #1: [gallery] removed" in report
    assert "post #1: [contact-form] removed" in report
    assert "post #1: picture not found locally, dropped: https://x.example/a.jpg" in report


@time_machine.travel(datetime(2030, 1, 1, 12, tzinfo=UTC), tick=False)
def test_statuses(tmp_path, client):
    xml = export(
        item(1, status="future", date="2030-06-01 09:00:00", slug="later"),
        item(2, status="draft", slug="draft"),
        item(3, status="pending", slug="pending"),
        item(4, status="private", slug="private"),
        item(5, password="secret", slug="locked", comments=[comment(50)]),
        item(6, status="trash", slug="binned"),
    )
    report = run(tmp_path, xml)
    assert story(1).is_scheduled and not story(1).is_published
    assert story(2).status == story(4).status == Article.Status.DRAFT
    assert story(3).status == Article.Status.REVIEW
    assert story(5).status == Article.Status.DRAFT
    assert "post #5: password-protected: imported as a draft" in report
    assert not ImportedStory.objects.filter(wp_id=6).exists()
    locked = Comment.objects.get(article=story(5))
    assert locked.status == Comment.Status.PENDING  # Approved in WordPress, but hidden.
    for slug in ["later", "draft", "pending", "private", "locked"]:
        assert client.get(f"/{slug}/", follow=True).status_code == 404
    assert client.get(story(5).get_absolute_url()).status_code == 404
    with time_machine.travel(datetime(2030, 6, 1, 9, 0, 1, tzinfo=UTC)):
        assert client.get("/later/")["Location"] == story(1).get_absolute_url()


def test_pages_need_a_section_map_and_other_types_are_counted(tmp_path, client):
    xml = export(
        item(1, post_type="page", slug="about"),
        item(2, post_type="nav_menu_item"),
        item(3, post_type="oembed_cache"),
    )
    report = run(tmp_path, xml)
    assert not ImportedStory.objects.exists()
    assert "pages #1: no “page” entry in --section-map" in report
    assert "nav_menu_item items skipped (not a post or page): 1" in report
    mapping = tmp_path / "map.json"
    mapping.write_text('{"page": "about-us"}')
    run(tmp_path, xml, "--section-map", str(mapping))
    assert story(1).section.slug == "about-us"
    assert client.get("/?page_id=1")["Location"] == story(1).get_absolute_url()
    assert client.get("/about/")["Location"] == story(1).get_absolute_url()


def test_categories_map_to_top_level_sections(tmp_path):
    tree = category("world", "World") + category("europe", "Europe", "world") + (
        category("france", "France", "europe"))  # fmt: skip
    xml = export(
        item(1, categories=[("france", "France"), ("politics", "Politics")]),
        item(2, categories=[("europe", "Europe")]),
        item(3, categories=[("sport", "Sport")]),
        item(4, categories=[("feed", "Feed")]),
        categories=tree,
    )
    mapping = tmp_path / "map.json"
    mapping.write_text('{"sport": "sports"}')
    run(tmp_path, xml, "--section-map", str(mapping))
    assert story(1).section.slug == story(2).section.slug == "world"
    assert sorted(story(1).tags.names()) == ["Politics"]
    assert story(3).section.slug == "sports"
    assert story(4).section.slug == "feed-2"  # "feed" is another page's address.
    assert not Section.objects.filter(slug__in=["europe", "france"]).exists()


def test_comment_states_threads_and_pingbacks(tmp_path):
    comments = [
        comment(10, date="2020-01-02 10:00:00"),
        comment(11, parent=10, approved="0", date="2020-01-02 11:00:00"),
        comment(12, parent=11, date="2020-01-02 12:00:00", email=""),
        comment(13, approved="spam"),
        comment(14, approved="trash"),
        comment(15, kind="pingback"),
        comment(16, kind="trackback"),
    ]
    report = run(tmp_path, export(item(1, comments=comments)))
    reviews = {r.body: r for r in Comment.objects.all()}
    assert len(reviews) == 1  # All bodies are the same text: look by status instead.
    by_status = {r.status: r for r in Comment.objects.filter(parent=None)}
    top = Comment.objects.get(status="approved", parent=None)
    replies = list(top.replies.order_by("created_at"))
    assert [r.status for r in replies] == ["pending", "approved"]
    assert replies[1].email == ""
    assert {"spam", "rejected"} <= set(by_status)
    assert Comment.objects.count() == 5
    assert "pingbacks skipped: 1" in report and "trackbacks skipped: 1" in report
    assert ModerationDecision.objects.filter(reason="imported from WordPress").count() == 5
    assert mail.outbox == [] and not DBTaskResult.objects.exists()  # Nobody is told.


def test_search_index_and_page_caches_follow_the_import(tmp_path, settings):
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    home = "/en/"
    assert cache_status(Client().get(home)) == "miss"
    assert cache_status(Client().get(home)) == "hit"
    run(tmp_path, export(item(1, title="Lighthouse keeper retires")))
    after = Client().get(home)
    assert cache_status(after) == "miss"
    assert "Lighthouse keeper retires" in after.content.decode()
    assert list(search_stories("lighthouse", "en")) == [story(1)]


def test_running_again_changes_nothing(tmp_path):
    xml = export(item(1, comments=[comment(10), comment(11, parent=10)]), item(2))
    run(tmp_path, xml)
    before = (Article.objects.count(), Comment.objects.count(), OldAddress.objects.count(),
              Byline.objects.count(), story(1).version)  # fmt: skip
    report = run(tmp_path, xml)
    after = (Article.objects.count(), Comment.objects.count(), OldAddress.objects.count(),
             Byline.objects.count(), story(1).version)  # fmt: skip
    assert before == after
    assert "stories unchanged: 2" in report and "reviews unchanged: 2" in report


def test_a_newer_export_updates_what_changed_but_not_what_editors_edited(tmp_path):
    run(tmp_path, export(item(1, title="Old"), item(2, title="Old too")))
    edited = story(2)
    edited.headline = "Edited in Newsroom"
    edited.save()
    report = run(tmp_path, export(item(1, title="New"), item(2, title="New too"),
                                  item(3, comments=[comment(30)])))  # fmt: skip
    assert story(1).headline == "New" and story(2).headline == "Edited in Newsroom"
    assert "post #2: changed in WordPress but edited in Newsroom" in report
    assert ImportedStory.objects.count() == 3 and Comment.objects.count() == 1


def test_dry_run_writes_nothing(tmp_path):
    report = run(tmp_path, export(item(1, comments=[comment(10)])), "--dry-run")
    assert "dry run: nothing was written" in report and "stories imported: 1" in report
    assert not Article.objects.exists() and not Comment.objects.exists()
    assert not Section.objects.exists() and not OldAddress.objects.exists()


def test_not_an_export_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="not a WordPress export"):
        run(tmp_path, "<html><body>nope</body></html>")
    with pytest.raises(CommandError, match="not a WordPress export"):
        run(tmp_path, "<rss><channel><item>")
    bomb = '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">]><rss>&a;</rss>'
    with pytest.raises(CommandError, match="not a WordPress export"):
        run(tmp_path, bomb)
