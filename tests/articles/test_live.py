"""Live coverage (issue 21): posting updates from the story's admin page, the reader's live
page, its polling endpoint and feed, the structured data, and what each costs."""

import json
import re
from datetime import timedelta

import pytest
import reversion
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.live import UPDATES_PER_PAGE, live_coverage_start, live_update_post
from articles.models import Article, LiveUpdate, LiveUpdateChange
from articles.services import article_revert
from tests.factories import ArticleFactory, BylineFactory, ContributorFactory, ImageFactory
from tests.helpers import logged_in, run_tasks, staff_in_role
from tests.newsroom.test_page_cache import cache_status

pytestmark = pytest.mark.django_db
HOST = "http://testserver"
# The story page's 8 (tests/articles/test_views.py) and a page of updates with its key
# events (one query each).
LIVE_PAGE_BUDGET = 10
# The story, then the newest updates with their authors and pictures.
ENDPOINT_BUDGET = 2
# The story's admin page with its live panel (recent updates, their record, newest pictures),
# the story's readership charts (insights), its body pictures (the desk), and its suggested
# related stories with the editor's exclusions (two).
ADMIN_PAGE_BUDGET = 27


@pytest.fixture
def journalist():
    return staff_in_role("jana", "Journalists")


@pytest.fixture
def editor():
    return staff_in_role("edith", "Editors")


@pytest.fixture
def story(journalist):
    """A journalist's published story, live since an hour ago."""
    return ArticleFactory(
        headline="Earthquake in Shamakhi",
        created_by=journalist,
        live_from=timezone.now() - timedelta(hours=1),
    )


def post_url(story):
    return reverse("admin:articles_article_live_post", args=[story.pk])


def endpoint(story):
    return reverse(
        "articles:live_updates", kwargs={"section": story.section.slug, "slug": story.slug}
    )


def feed(story):
    return reverse(
        "articles:story_feed", kwargs={"section": story.section.slug, "slug": story.slug}
    )


def json_ld(page):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return [json.loads(block) for block in blocks]


def post(user, story, body, **fields):
    return live_update_post(article=story, user=user, body=body, **fields)


class TestPosting:
    def test_the_box_posts_without_leaving_the_page(self, story, journalist):
        page = logged_in(journalist).get(reverse("admin:articles_article_change", args=[story.pk]))
        assert "data-live-post" in page.content.decode()
        answer = logged_in(journalist).post(
            post_url(story),
            {"live-body": "<p>A 5.1 tremor <script>x()</script>at 09:12.</p>",
             "live-is_key_event": "on"},
            HTTP_ACCEPT="application/json",
        )  # fmt: skip
        assert answer.status_code == 200
        update = LiveUpdate.objects.get()
        assert answer.json()["id"] == update.pk
        assert "A 5.1 tremor" in answer.json()["row"]
        assert update.body == "<p>A 5.1 tremor at 09:12.</p>"  # sanitised with nh3
        assert update.is_key_event and update.author == journalist
        assert LiveUpdateChange.objects.get().action == "posted"

    def test_without_javascript_the_box_comes_back_to_the_story(self, story, editor):
        answer = logged_in(editor).post(post_url(story), {"live-body": "<p>Aftershock.</p>"})
        assert answer.status_code == 302
        assert answer["Location"].endswith(f"/{story.pk}/change/#live-panel")

    def test_an_empty_update_is_refused_and_keeps_what_was_typed(self, story, editor):
        answer = logged_in(editor).post(
            post_url(story), {"live-body": "<p> </p>", "live-title": "Schools closed"}
        )
        assert answer.status_code == 400
        assert "Write the update before posting it." in answer.content.decode()
        assert 'value="Schools closed"' in answer.content.decode()
        assert not LiveUpdate.objects.exists()

    def test_a_picture_without_alt_text_is_refused_with_the_reason(self, story, editor):
        picture = ImageFactory(alt_text="")
        answer = logged_in(editor).post(
            post_url(story), {"live-body": "<p>Rubble.</p>", "live-image": picture.pk},
            HTTP_ACCEPT="application/json",
        )  # fmt: skip
        assert answer.status_code == 400
        assert "no alt text" in json.dumps(answer.json())
        assert not LiveUpdate.objects.exists()

    def test_a_journalist_cannot_post_to_a_story_they_may_not_edit(self, editor, journalist):
        """A crafted POST on an editor's story is refused; so is a moderator's."""
        theirs = ArticleFactory(created_by=editor, live_from=timezone.now())
        moderator = staff_in_role("mona", "Moderators")
        for user in (journalist, moderator):
            answer = logged_in(user).post(post_url(theirs), {"live-body": "<p>Fake.</p>"})
            assert answer.status_code == 403
        assert not LiveUpdate.objects.exists()

    def test_a_bylined_journalist_posts_on_a_published_story(self, editor, journalist):
        theirs = ArticleFactory(created_by=editor, live_from=timezone.now())
        BylineFactory(article=theirs, contributor=ContributorFactory(user=journalist))
        answer = logged_in(journalist).post(post_url(theirs), {"live-body": "<p>Here.</p>"})
        assert answer.status_code == 302
        assert theirs.live_updates.count() == 1

    def test_two_journalists_posting_at_once_both_land(self, story, journalist, editor):
        """Both had the page open at the same story version; neither post touches the
        story's version, so the story form saved afterwards is not refused as stale."""
        other = staff_in_role("omar", "Journalists")
        BylineFactory(article=story, contributor=ContributorFactory(user=other))
        version = story.version
        first, second = logged_in(journalist), logged_in(other)
        assert first.post(post_url(story), {"live-body": "<p>One.</p>"}).status_code == 302
        assert second.post(post_url(story), {"live-body": "<p>Two.</p>"}).status_code == 302
        assert sorted(story.live_updates.values_list("body", flat=True)) == [
            "<p>One.</p>", "<p>Two.</p>",
        ]  # fmt: skip
        assert Article.objects.get(pk=story.pk).version == version

    def test_posting_needs_coverage_going_on(self, editor):
        story = ArticleFactory(created_by=editor)
        answer = logged_in(editor).post(post_url(story), {"live-body": "<p>Early.</p>"})
        assert answer.status_code == 400
        assert "start it first" in answer.content.decode()

    def test_edit_is_marked_and_each_change_recorded(self, story, journalist, client):
        update = post(journalist, story, "<p>Two dead.</p>")
        edit = reverse("admin:articles_article_live_edit", args=[story.pk, update.pk])
        author = logged_in(journalist)
        assert author.get(edit).status_code == 200
        assert author.post(edit, {"live-body": "<p>Three dead.</p>"}).status_code == 302
        page = client.get(story.get_absolute_url()).content.decode()
        assert "Three dead." in page and "Updated at" in page
        delete = reverse("admin:articles_article_live_delete", args=[story.pk, update.pk])
        assert author.post(delete).status_code == 302
        record = LiveUpdateChange.objects.order_by("pk")
        assert [(c.action, c.body) for c in record] == [
            ("posted", "<p>Two dead.</p>"), ("edited", "<p>Three dead.</p>"),
            ("deleted", "<p>Three dead.</p>"),
        ]  # fmt: skip

    def test_a_journalist_may_not_change_a_colleagues_update(self, story, journalist, editor):
        update = post(editor, story, "<p>Editor's.</p>")
        delete = reverse("admin:articles_article_live_delete", args=[story.pk, update.pk])
        assert logged_in(journalist).post(delete).status_code == 403
        assert LiveUpdate.objects.filter(pk=update.pk).exists()

    def test_coverage_starts_and_ends_from_the_panel(self, journalist):
        story = ArticleFactory(created_by=journalist, draft=True)
        author = logged_in(journalist)
        author.post(reverse("admin:articles_article_live_start", args=[story.pk]))
        story.refresh_from_db()
        assert story.is_live_now
        author.post(reverse("admin:articles_article_live_end", args=[story.pk]))
        story.refresh_from_db()
        assert story.live_has_ended and not story.is_live_now


class TestReaders:
    def test_the_page_shows_updates_newest_first_with_key_events(self, client, story, editor):
        post(editor, story, "<p>First tremor.</p>", is_key_event=True, title="Quake hits")
        post(editor, story, "<p>Roads closed.</p>")
        page = client.get(story.get_absolute_url()).content.decode()
        assert page.index("Roads closed.") < page.index("First tremor.")
        first = LiveUpdate.objects.get(is_key_event=True)
        assert f'href="#update-{first.pk}"' in page  # the key events list links to it
        assert f'id="update-{first.pk}"' in page
        assert f'data-live-poll="{endpoint(story)}"' in page
        assert "live-new-labels" in page

    def test_older_updates_are_paged_and_a_shared_link_opens_at_its_update(
        self, client, story, editor
    ):
        updates = [post(editor, story, f"<p>Update {n}.</p>") for n in range(25)]
        page = client.get(story.get_absolute_url()).content.decode()
        assert "Update 24." in page and "Update 4." not in page
        assert f"?update={updates[4].pk}#update-{updates[4].pk}" in page  # "Older updates"
        older = client.get(story.get_absolute_url(), {"update": updates[4].pk})
        text = older.content.decode()
        assert "Update 4." in text and "Update 0." in text and "Update 5." not in text
        assert "data-live-poll" not in text  # an older page has nothing new to show

    def test_updates_are_visible_only_while_the_story_is_published(self, client, story, editor):
        post(editor, story, "<p>Visible.</p>")
        assert client.get(endpoint(story)).status_code == 200
        Article.objects.filter(pk=story.pk).update(status=Article.Status.UNPUBLISHED)
        for address in (story.get_absolute_url(), endpoint(story), feed(story)):
            assert client.get(address).status_code == 404

    def test_the_endpoint_is_for_shared_caches_for_a_few_seconds(self, client, story, editor):
        update = post(editor, story, "<p>Cacheable.</p>")
        answer = client.get(endpoint(story))
        directives = {d.strip() for d in answer["Cache-Control"].split(",")}
        assert {"public", "s-maxage=5"} <= directives
        assert answer.json()["ended"] is False
        assert [u["id"] for u in answer.json()["updates"]] == [update.pk]
        assert "Cacheable." in answer.json()["updates"][0]["html"]

    def test_a_change_drops_the_cached_live_page_and_endpoint_and_purges_the_edge(
        self, story, editor, fake_cdn, django_capture_on_commit_callbacks, settings
    ):
        settings.PAGE_CACHE_SECONDS = 300
        cache.clear()
        addresses = [story.get_absolute_url(), endpoint(story)]
        for address in addresses:
            Client().get(address)
            assert cache_status(Client().get(address)) == "hit"
        with django_capture_on_commit_callbacks(execute=True):
            post(editor, story, "<p>Purge.</p>")
        for address in addresses:
            answer = Client().get(address)
            assert cache_status(answer) == "miss"
            assert "Purge." in answer.content.decode()
        run_tasks()
        purged = {address.removeprefix("https://news.example") for address in fake_cdn}
        assert {story.get_absolute_url(), endpoint(story), feed(story)} <= purged

    def test_a_deleted_update_disappears_everywhere(self, client, story, editor):
        kept = post(editor, story, "<p>Kept update.</p>")
        gone = post(editor, story, "<p>Mistaken update.</p>", is_key_event=True)
        logged_in(editor).post(
            reverse("admin:articles_article_live_delete", args=[story.pk, gone.pk])
        )
        page = client.get(story.get_absolute_url()).content.decode()
        data, _crumbs = json_ld(page)
        polled = client.get(endpoint(story)).json()
        rss = client.get(feed(story)).content.decode()
        assert "Mistaken" not in page and "Mistaken" not in rss
        assert [u["id"] for u in polled["updates"]] == [kept.pk]
        assert [u["url"] for u in data["liveBlogUpdate"]] == [HOST + kept.get_absolute_url()]
        assert "Kept update." in rss

    def test_ended_coverage_says_so_and_stops_polling(self, client, story, editor):
        Article.objects.filter(pk=story.pk).update(live_until=timezone.now())
        page = client.get(story.get_absolute_url()).content.decode()
        assert "Live coverage ended on" in page
        assert "data-live-poll" not in page and "live-updates.js" not in page
        assert client.get(endpoint(story)).json()["ended"] is True

    def test_the_feed_lists_the_updates(self, client, story, editor):
        update = post(editor, story, "<p>In the feed.</p>", title="Feed item")
        page = client.get(story.get_absolute_url()).content.decode()
        discovery = f'title="Earthquake in Shamakhi (RSS)" href="{feed(story)}"'
        assert discovery in page
        rss = client.get(feed(story)).content.decode()
        assert "<title>Feed item</title>" in rss
        atom = client.get(feed(story) + "atom/").content.decode()
        assert "<title>Feed item</title>" in atom
        assert f"{HOST}{story.get_absolute_url()}?update={update.pk}#update-{update.pk}" in rss


class TestStructuredData:
    def test_live_blog_posting_has_every_property(self, client, story, editor):
        first = post(editor, story, "<p>The first tremor.</p>", title="Tremor felt in Baku")
        second = post(editor, story, "<p>Schools are closed today in the district.</p>")
        page = client.get(story.get_absolute_url()).content.decode()
        story.refresh_from_db()
        data, _crumbs = json_ld(page)
        assert data["@type"] == "LiveBlogPosting"
        assert data["headline"] == "Earthquake in Shamakhi"
        assert data["coverageStartTime"] == story.live_from.isoformat()
        assert "coverageEndTime" not in data
        assert data["dateModified"] == story.updated_at.isoformat()
        assert story.updated_at >= second.created_at  # moved on with the update
        newest, oldest = data["liveBlogUpdate"]
        assert newest == {
            "@type": "BlogPosting",
            "headline": "Schools are closed today in the district.",
            "datePublished": second.created_at.isoformat(),
            "dateModified": second.created_at.isoformat(),
            "url": HOST + second.get_absolute_url(),
            "articleBody": "Schools are closed today in the district.",
        }
        assert oldest["headline"] == "Tremor felt in Baku"
        assert oldest["url"] == HOST + first.get_absolute_url()
        assert first.get_absolute_url().endswith(f"?update={first.pk}#update-{first.pk}")

    def test_ended_coverage_has_its_end_time(self, client, story):
        ended = timezone.now()
        Article.objects.filter(pk=story.pk).update(live_until=ended)
        data, _crumbs = json_ld(client.get(story.get_absolute_url()).content.decode())
        assert data["coverageEndTime"] == ended.isoformat()


class TestQueryBudgets:
    """The live page and its endpoint cost the same for one update as for a thousand:
    no query per update, author or picture (an N+1 on ``select_related``)."""

    def grow(self, story, editor, count):
        picture = ImageFactory()
        LiveUpdate.objects.bulk_create(
            LiveUpdate(article=story, author=editor, body=f"<p>Update {n}.</p>",
                       image=picture if n % 3 == 0 else None, is_key_event=n % 10 == 0)
            for n in range(count)
        )  # fmt: skip

    @pytest.mark.parametrize("count", [1, 1000])
    def test_live_page(self, client, django_assert_max_num_queries, story, editor, count):
        self.grow(story, editor, count)
        client.get(reverse("articles:news_line"))  # the site chrome, cached for every page
        with django_assert_max_num_queries(LIVE_PAGE_BUDGET):
            response = client.get(story.get_absolute_url())
        assert len(response.context["live_updates"]) == min(count, UPDATES_PER_PAGE)

    @pytest.mark.parametrize("count", [1, 1000])
    def test_endpoint(self, client, django_assert_max_num_queries, story, editor, count):
        self.grow(story, editor, count)
        with django_assert_max_num_queries(ENDPOINT_BUDGET):
            response = client.get(endpoint(story))
        assert len(response.json()["updates"]) == min(count, 20)

    @pytest.mark.parametrize("count", [1, 1000])
    def test_admin_panel(self, django_assert_max_num_queries, story, editor, count):
        """The story's admin page with its live panel: a fixed cost whatever the count."""
        self.grow(story, editor, count)
        admin = logged_in(editor)
        change = reverse("admin:articles_article_change", args=[story.pk])
        admin.get(change)
        with django_assert_max_num_queries(ADMIN_PAGE_BUDGET):
            assert admin.get(change).status_code == 200


class TestPageCache:
    """With the page cache on (newsroom/page_cache.py): the endpoint is answered from it
    until an update changes, and shared caches keep it and the live page seconds only."""

    @pytest.fixture(autouse=True)
    def _page_cache_on(self, settings):
        settings.PAGE_CACHE_SECONDS = 300

    def shared_seconds(self, response):
        return int(re.search(r"s-maxage=(\d+)", response["Cache-Control"])[1])

    def test_the_endpoint_is_rendered_once_per_update(self, client, story, editor):
        post(editor, story, "<p>First.</p>")
        assert client.get(endpoint(story))["X-Page-Cache"] == "miss"
        again = client.get(endpoint(story))
        assert again["X-Page-Cache"] == "hit"
        assert self.shared_seconds(again) == 5
        post(editor, story, "<p>Second.</p>")
        fresh = client.get(endpoint(story))
        assert fresh["X-Page-Cache"] == "miss"
        assert len(fresh.json()["updates"]) == 2

    def test_a_live_page_is_kept_seconds_a_story_page_minutes(self, client, story):
        Article.objects.filter(pk=story.pk).update(comments_mode=Article.CommentsMode.CLOSED)
        other = ArticleFactory(comments_mode=Article.CommentsMode.CLOSED)
        assert self.shared_seconds(client.get(story.get_absolute_url())) == 5
        assert self.shared_seconds(client.get(other.get_absolute_url())) > 200
        # A new query string misses the page cache and is answered from the page kept
        # for every reader, which keeps the live page's own seconds.
        again = client.get(story.get_absolute_url(), {"utm_source": "newsletter"})
        assert again["X-Page-Cache"] == "miss" and self.shared_seconds(again) == 5


def test_a_revert_keeps_the_coverage_and_its_updates(editor):
    """The story's text goes back to a revision from before the coverage; the live window
    (moved by the panel, never by the story form) and the updates stay as they are."""
    story = ArticleFactory(created_by=editor, headline="First headline")
    with reversion.create_revision():
        story.save()
    live_coverage_start(article=story, user=editor)
    post(editor, story, "<p>Stays.</p>")
    version = Version.objects.get_for_object(story).last()
    reverted = article_revert(article=story, version=version, user=editor)
    assert reverted.is_live_now
    assert reverted.live_updates.count() == 1
