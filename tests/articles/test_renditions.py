"""Renditions leave the editor's request (issue 15): a picture is saved at once and a
worker (``articles.images.make_renditions``, run here by a real database worker) writes
its renditions; until then pages offer only files that exist, never the original."""

import importlib
import re
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.templatetags.static import static
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from articles.images import (
    PLACEHOLDER,
    card_rendition,
    make_renditions,
    rendition,
    rendition_plan,
    renditions_record,
    srcset,
)
from articles.models import Article, Image
from tests.factories import ArticleFactory, ImageFactory, SectionFactory, jpeg_bytes
from tests.helpers import admin_save, closed_port, logged_in, run_tasks, upload_image

pytestmark = pytest.mark.django_db

MAKE_RENDITIONS = "articles.images.make_renditions"


def rendition_files():
    """Every file in the renditions folder of the media storage (which the whole test run
    shares: tests compare it with what was there before)."""
    found, folders = set(), ["renditions"]
    while folders:
        folder = folders.pop()
        if default_storage.exists(folder):
            subfolders, files = default_storage.listdir(folder)
            found |= {f"{folder}/{name}" for name in files}
            folders += [f"{folder}/{name}" for name in subfolders]
    return found


def planned_files(image):
    image.refresh_from_db()
    return {rendition(image, width=w, ratio=r, fmt=f).name for w, r, f in rendition_plan(image)}


class PictureAddresses(HTMLParser):
    """The addresses in every ``<img src/srcset>`` and ``<source srcset>`` of a page."""

    def __init__(self, page):
        super().__init__()
        self.urls = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "img":
            self.urls.append(attrs["src"])
        if tag in ("img", "source") and attrs.get("srcset"):
            self.urls += [entry.split()[0] for entry in attrs["srcset"].split(",")]


def media_urls(page):
    """Every media address a page names: pictures, og:image, structured data, enclosures."""
    return set(re.findall(r"(/media/[^\"'\s,<>]+)", page))


def assert_all_exist(client, urls):
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        b"".join(response.streaming_content)  # Closes the served file.


@pytest.fixture
def picture():
    """A 1600×900 photo, as an editor uploads it."""
    return jpeg_bytes((1600, 900), color=(200, 120, 40))


def test_saving_a_new_picture_and_a_story_with_it_makes_no_rendition_a_worker_does(
    editor, picture, django_capture_on_commit_callbacks
):
    story = ArticleFactory(section=SectionFactory(slug="economics"))
    client = logged_in(editor)
    before = rendition_files()
    with django_capture_on_commit_callbacks(execute=True):
        assert upload_image(client, "harbour.jpg", picture).status_code == 302
        image = Image.objects.get()
        admin_save(client, story, lead_image=image.pk)
    assert Article.objects.get(pk=story.pk).lead_image == image
    assert rendition_files() == before  # Both answers came before any rendition was made.
    queued = DBTaskResult.objects.filter(task_path=MAKE_RENDITIONS)
    assert [task.args_kwargs["args"] for task in queued] == [[image.pk, image.file.name]]

    run_tasks()

    assert len(planned_files(image)) == 10
    assert rendition_files() - before == planned_files(image)


def test_until_the_worker_runs_pages_name_only_files_that_exist_and_never_the_original(
    client, picture, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        image = ImageFactory(file=ContentFile(picture, name="harbour.jpg"), renditions=False)
    story = ArticleFactory(section=SectionFactory(slug="economics"), lead_image=image)
    pages = [story.get_absolute_url(), "/en/", "/en/economics/", "/en/feed/"]

    before = {url: client.get(url).content.decode() for url in pages}
    for url, page in before.items():
        assert image.file.url not in page, url
        assert media_urls(page) == set(), url  # No og:image, JSON-LD image or enclosure yet.
    story_page = before[story.get_absolute_url()]
    assert PictureAddresses(story_page).urls == [static(PLACEHOLDER)]
    assert finders.find(PLACEHOLDER)
    assert 'width="800" height="450"' in story_page  # The crop's shape: no layout shift.
    assert '"image"' not in story_page and 'property="og:image"' not in story_page

    run_tasks()

    story_page = client.get(story.get_absolute_url()).content.decode()
    addresses = PictureAddresses(story_page).urls
    webp, _files = srcset(Image.objects.get(), fmt="webp")
    assert f'srcset="{webp}"' in story_page
    assert set(re.findall(r" (\d+)w", story_page)) == {
        "480",
        "800",
        "1200",
        "1600",
    }
    assert image.file.url not in story_page
    assert_all_exist(client, set(addresses) | media_urls(story_page))
    feed = client.get("/en/feed/").content.decode()
    assert "<enclosure" in feed and image.file.url not in feed
    assert_all_exist(client, media_urls(feed))


def test_a_pending_picture_costs_the_story_page_no_query_more(
    client, django_capture_on_commit_callbacks
):
    """The record of what exists is a column of the image row the page reads anyway."""
    with django_capture_on_commit_callbacks(execute=True):
        story = ArticleFactory(lead_image=ImageFactory(renditions=False))

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(story.get_absolute_url()).status_code == 200
        return len(captured)

    queries()  # The site chrome, cached for every page after.
    pending = queries()
    run_tasks()
    assert queries() == pending


def test_running_the_task_again_writes_nothing_new(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        image = ImageFactory(renditions=False)
    run_tasks()
    written = {name: default_storage.get_modified_time(name) for name in rendition_files()}
    assert written

    make_renditions.enqueue(image.pk, image.file.name)
    run_tasks()

    assert {name: default_storage.get_modified_time(name) for name in rendition_files()} == written
    results = DBTaskResult.objects.filter(task_path=MAKE_RENDITIONS).order_by("enqueued_at")
    # The factory's picture is 64 px wide: one width in two formats, and two cards.
    assert [task.return_value for task in results] == ["4 written", "0 written"]


def test_a_task_for_a_picture_replaced_since_does_nothing(
    editor, picture, django_capture_on_commit_callbacks
):
    client = logged_in(editor)
    before = rendition_files()
    with django_capture_on_commit_callbacks(execute=True):
        upload_image(client, "first.jpg", jpeg_bytes((900, 600)))
        image = Image.objects.get()
        first = image.file.name
        response = upload_image(client, "second.jpg", picture, image=image)
        assert response.status_code == 302
    image.refresh_from_db()
    assert image.file.name != first

    run_tasks()

    results = {task.args_kwargs["args"][1]: task.return_value
               for task in DBTaskResult.objects.filter(task_path=MAKE_RENDITIONS)}  # fmt: skip
    assert results == {first: "replaced", image.file.name: "10 written"}
    assert rendition_files() - before == planned_files(image)  # None of the first picture's.


def test_a_new_focal_point_keeps_the_old_crops_on_pages_until_the_new_ones_are_made(
    client, picture, django_capture_on_commit_callbacks
):
    image = ImageFactory(file=ContentFile(picture, name="harbour.jpg"))
    story = ArticleFactory(lead_image=image)
    old = PictureAddresses(client.get(story.get_absolute_url()).content.decode()).urls
    with django_capture_on_commit_callbacks(execute=True):
        image.focal_x, image.focal_y = 0.1, 0.9
        image.save()

    still = PictureAddresses(client.get(story.get_absolute_url()).content.decode()).urls
    assert still == old
    assert_all_exist(client, still)

    run_tasks()

    new = PictureAddresses(client.get(story.get_absolute_url()).content.decode()).urls
    assert len(new) == len(old) and not set(new) & set(old)
    assert_all_exist(client, new)


def test_pages_fall_back_to_the_nearest_size_that_was_made():
    """Renditions made under an earlier plan (here: only the 480 px pair) serve every size
    asked for until a worker makes the rest; a crop never made is no crop at all."""
    image = ImageFactory(file=ContentFile(jpeg_bytes((1600, 900)), name="old.jpg"))
    record = renditions_record(image)
    record["made"] = [[480, "16:9", "webp"], [480, "16:9", "jpeg"]]
    Image.objects.filter(pk=image.pk).update(renditions=record)
    image.refresh_from_db()

    assert rendition(image, width=1600, fmt="webp").width == 480
    assert card_rendition(image, "16:9").width == 480
    assert card_rendition(image, "4:3") is None
    text, files = srcset(image)
    assert [f.width for f in files] == [480] and text.endswith(" 480w")


def test_the_image_admin_shows_a_placeholder_until_the_renditions_exist(
    editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        image = ImageFactory(renditions=False)
    client = logged_in(editor)
    changelist = reverse("admin:articles_image_changelist")
    assert static(PLACEHOLDER) in client.get(changelist).content.decode()
    run_tasks()
    page = client.get(changelist).content.decode()
    assert static(PLACEHOLDER) not in page
    image.refresh_from_db()
    assert rendition(image, width=480, fmt="webp").url in page


def test_no_cache_keeps_a_page_with_a_placeholder(
    client, settings, django_capture_on_commit_callbacks
):
    """The worker's content-version bump reaches neither an edge cache nor the web
    process's own cache where it is local memory (as in `make run`)."""
    settings.PAGE_CACHE_SECONDS = 300
    with django_capture_on_commit_callbacks(execute=True):
        story = ArticleFactory(lead_image=ImageFactory(renditions=False))
    for _request in range(2):
        response = client.get(story.get_absolute_url())
        assert response.headers.get("X-Page-Cache") is None  # Not from the cache, not stored.
        assert {"no-store", "private"} <= set(re.split(r",\s*", response["Cache-Control"]))
        assert static(PLACEHOLDER) in response.content.decode()

    run_tasks()

    client.get(story.get_absolute_url())
    cached = client.get(story.get_absolute_url())
    assert cached.headers["X-Page-Cache"] == "hit"
    assert '<source type="image/webp"' in cached.content.decode()
    assert static(PLACEHOLDER) not in cached.content.decode()


def test_pages_cached_with_the_previous_crops_show_the_new_ones_once_they_are_made(
    client, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 300
    image = ImageFactory()
    story = ArticleFactory(lead_image=image)
    with django_capture_on_commit_callbacks(execute=True):
        image.focal_x = 0.1
        image.save()
    client.get(story.get_absolute_url())
    cached = client.get(story.get_absolute_url())
    assert cached.headers["X-Page-Cache"] == "hit"
    previous = PictureAddresses(cached.content.decode()).urls

    run_tasks()

    fresh = client.get(story.get_absolute_url())
    assert fresh.headers["X-Page-Cache"] == "miss"
    assert not set(PictureAddresses(fresh.content.decode()).urls) & set(previous)


def test_the_edge_cache_is_purged_of_the_stories_leading_with_the_picture(
    settings, django_capture_on_commit_callbacks
):
    settings.CDN_PURGE_URL = f"http://127.0.0.1:{closed_port()}/purge?url={{url}}"
    story = ArticleFactory(section=SectionFactory(slug="economics"), slug="harvest")
    draft = ArticleFactory(draft=True)
    with django_capture_on_commit_callbacks(execute=True):
        image = ImageFactory(renditions=False)
        Article.objects.filter(pk__in=[story.pk, draft.pk]).update(lead_image=image)

    # A worker runs outside any transaction, so what it enqueues on commit goes at once.
    with django_capture_on_commit_callbacks(execute=True):
        run_tasks()

    purges = DBTaskResult.objects.filter(task_path="core.cdn.purge_paths")
    purged = {path for task in purges for path in task.args_kwargs["args"][0]}
    assert {"/en/economics/harvest/", "/en/", "/en/economics/"} <= purged
    assert draft.get_absolute_url() not in purged


def test_pictures_saved_before_renditions_moved_to_workers_are_recorded_as_made():
    """Until now every save wrote its renditions inline: the migration records them, so
    the library's pictures keep showing without a worker checking every file again."""
    image = ImageFactory()  # Its files exist, as they did for every picture saved inline.
    Image.objects.filter(pk=image.pk).update(renditions={})
    migration = importlib.import_module("articles.migrations.0012_image_renditions")
    state = MigrationExecutor(connection).loader.project_state(
        ("articles", "0012_image_renditions")
    )
    migration.record_inline_renditions(state.apps, None)
    image.refresh_from_db()
    assert image.renditions == renditions_record(image)
    assert srcset(image)[1]
