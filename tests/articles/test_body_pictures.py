"""Pictures in a story's body and the library behind them: one entry per picture, alt
text required to publish, rendered for readers like the lead image, captions and credits
in the story's language, and never-saved stories' uploads cleaned away."""

import importlib
import io
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Image
from articles.services import article_transition
from tests.factories import ArticleFactory, ContributorFactory, ImageFactory, jpeg_bytes
from tests.helpers import ADD_URL, change_url, logged_in, story_form_data, upload_image

from .test_views import STORY_PAGE_BUDGET, warm_site_chrome

pytestmark = pytest.mark.django_db

UPLOAD_URL = reverse(settings.CK_EDITOR_5_UPLOAD_FILE_VIEW_NAME)


def clean():
    out = io.StringIO()
    call_command("clean_unused_images", stdout=out)
    return out.getvalue()


def in_body(*images, caption=""):
    figures = "".join(
        f'<figure class="image"><img src="{image.file.url}" alt="typed in the editor">'
        f"{f'<figcaption>{caption}</figcaption>' if caption else ''}</figure>"
        for image in images
    )
    return f"<p>Before the pictures.</p>{figures}<p>After them.</p>"


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


class TestOneEntryPerPicture:
    def test_the_same_picture_uploaded_twice_is_one_library_entry(self, editor_client):
        picture = jpeg_bytes(size=(120, 80))
        first = editor_client.post(UPLOAD_URL, {"upload": SimpleUploadedFile("a.jpg", picture)})
        again = editor_client.post(
            UPLOAD_URL, {"upload": SimpleUploadedFile("baku-skyline.jpg", picture)}
        )
        assert first.status_code == again.status_code == 200
        assert first.json() == again.json()
        assert Image.objects.count() == 1
        other = jpeg_bytes(size=(120, 80), color=(200, 10, 10))
        editor_client.post(UPLOAD_URL, {"upload": SimpleUploadedFile("b.jpg", other)})
        assert Image.objects.count() == 2

    def test_the_library_form_points_at_the_entry_it_has(self, editor_client):
        picture = jpeg_bytes(size=(120, 80))
        assert upload_image(editor_client, "one.jpg", picture).status_code == 302
        refused = upload_image(editor_client, "two.jpg", picture)
        assert refused.status_code == 200
        existing = Image.objects.get()
        assert "in the library already" in refused.content.decode()
        link = reverse("admin:articles_image_change", args=[existing.pk])
        assert link in refused.content.decode()
        assert Image.objects.count() == 1

    def test_saving_an_entry_again_keeps_its_file(self, editor_client):
        image = ImageFactory()
        assert image.content_hash
        image.title = "Renamed"
        image.save()
        assert Image.objects.get().content_hash == image.content_hash

    def test_a_copy_from_before_hashing_can_still_be_edited(self):
        oldest = ImageFactory()
        copy = ImageFactory()
        Image.objects.filter(pk=copy.pk).update(file=oldest.file.name, content_hash="")
        copy.refresh_from_db()
        copy.alt_text = "Edited"
        copy.save()
        assert Image.objects.get(pk=copy.pk).content_hash == ""


class TestPublishingNeedsAltText:
    def test_a_body_picture_without_alt_text_blocks_publishing_by_name(self, editor):
        image = ImageFactory(title="Baku skyline at dusk", alt_text="")
        story = ArticleFactory(draft=True, body=in_body(image))
        with pytest.raises(ValidationError) as refused:
            article_transition(article=story, user=editor, action="publish")
        assert "Baku skyline at dusk" in str(refused.value)
        assert Article.objects.get().status == Article.Status.DRAFT

    def test_the_alt_text_must_be_in_the_storys_language(self, editor):
        image = ImageFactory(title="Shusha", alt_text="A square", alt_text_ru="")
        story = ArticleFactory(draft=True, language="ru", body=in_body(image))
        with pytest.raises(ValidationError, match="Shusha"):
            article_transition(article=story, user=editor, action="publish")
        Image.objects.filter(pk=image.pk).update(alt_text_ru="Площадь")
        assert article_transition(article=story, user=editor, action="publish").is_published

    def test_the_change_form_names_the_picture_beside_the_body(self, editor_client):
        image = ImageFactory(title="Flooded road", alt_text="")
        story = ArticleFactory(draft=True, body=in_body(image))
        data = story_form_data(story, _workflow="publish", body=story.body)
        url = reverse("admin:articles_article_change", args=[story.pk])
        response = editor_client.post(url, data)
        assert response.status_code == 200
        errors = response.context["adminform"].form.errors
        assert "Flooded road" in " ".join(errors["body"])


class TestOnTheStoryPage:
    def test_body_pictures_are_picture_elements_from_renditions(self, client):
        image = ImageFactory(alt_text="Cranes over new blocks")
        story = ArticleFactory(body=in_body(image))
        page = client.get(story.get_absolute_url()).content.decode()
        body = page[page.index('class="story__body"') :]
        assert '<source type="image/webp"' in body
        assert re.search(r'<img[^>]+loading="lazy"', body)
        assert re.search(r'<img[^>]+width="\d+" height="\d+"', body)
        assert 'alt="Cranes over new blocks"' in body
        assert "typed in the editor" not in body
        assert image.file.url not in page
        assert "Building work in the town centre." in body
        assert "Newsroom photo desk" in body

    def test_a_picture_still_being_rendered_is_a_placeholder_not_the_original(self, client):
        image = ImageFactory(renditions=False)
        story = ArticleFactory(body=in_body(image))
        page = client.get(story.get_absolute_url()).content.decode()
        assert image.file.url not in page
        assert "picture-pending" in page

    def test_a_russian_story_shows_the_russian_caption_and_credit(self, client):
        image = ImageFactory(caption_ru="Стройка в центре", credit_ru="Фотослужба")
        story = ArticleFactory(language="ru", lead_image=image, body=in_body(image))
        page = client.get(story.get_absolute_url()).content.decode()
        assert page.count("Стройка в центре") == 2  # lead and body
        assert page.count("Фотослужба") == 2
        assert "Building work in the town centre." not in page

    def test_without_a_russian_caption_the_original_is_marked_with_its_language(self, client):
        image = ImageFactory(caption_ru="")
        story = ArticleFactory(language="ru", body=in_body(image))
        page = client.get(story.get_absolute_url()).content.decode()
        assert '<span lang="en">Building work in the town centre.</span>' in page

    def test_the_writers_own_caption_wins(self, client):
        image = ImageFactory()
        story = ArticleFactory(body=in_body(image, caption="Seen from the <em>new</em> bridge"))
        page = client.get(story.get_absolute_url()).content.decode()
        assert "Seen from the <em>new</em> bridge" in page
        assert "Building work in the town centre." not in page

    def test_pictures_from_elsewhere_stay_as_written(self, client):
        story = ArticleFactory(body='<p><img src="https://example.org/a.png" alt="A"></p>')
        page = client.get(story.get_absolute_url()).content.decode()
        assert 'src="https://example.org/a.png"' in page

    @pytest.mark.parametrize("pictures", [1, 6])
    def test_story_page_budget_with_body_pictures(
        self, client, django_assert_max_num_queries, pictures
    ):
        """One query for every body picture together (none without any): fixed whatever
        their number."""
        story = ArticleFactory(body=in_body(*ImageFactory.create_batch(pictures)))
        warm_site_chrome(client)
        with django_assert_max_num_queries(STORY_PAGE_BUDGET + 1):
            assert client.get(story.get_absolute_url()).status_code == 200

    def test_saving_records_the_body_pictures(self):
        first, second = ImageFactory.create_batch(2)
        story = ArticleFactory(body=in_body(first))
        assert list(story.body_images.all()) == [first]
        story.body = in_body(second)
        story.save()
        assert list(story.body_images.all()) == [second]


class TestCleanUnusedImages:
    def upload_from_new_story(self, client, key="new-0123456789abcdef", color=(10, 20, 30)):
        picture = SimpleUploadedFile("p.jpg", jpeg_bytes(size=(80, 60), color=color))
        answer = client.post(UPLOAD_URL, {"upload": picture, "story_key": key}).json()
        return Image.objects.get(pk=answer["id"])

    def age(self, *images):
        Image.objects.filter(pk__in=[i.pk for i in images]).update(
            created_at=timezone.now() - timedelta(days=2)
        )

    def test_removes_a_never_saved_storys_unused_uploads_after_a_day(self, editor_client):
        old = self.upload_from_new_story(editor_client)
        recent = self.upload_from_new_story(editor_client, color=(90, 20, 30))
        library = ImageFactory()
        self.age(old, library)
        assert "Deleted 1 unused picture" in clean()
        assert set(Image.objects.all()) == {recent, library}
        assert not old.file.storage.exists(old.file.name)

    def test_keeps_what_anything_uses(self, editor_client):
        lead = self.upload_from_new_story(editor_client)
        body = self.upload_from_new_story(editor_client, color=(90, 20, 30))
        photo = self.upload_from_new_story(editor_client, color=(10, 90, 30))
        ArticleFactory(lead_image=lead, body=in_body(body))
        ContributorFactory(photo=photo)
        self.age(lead, body, photo)
        clean()
        assert Image.objects.count() == 3

    def test_saving_the_new_story_keeps_its_uploads(self, editor_client):
        key = "new-00000000000000aa"
        image = self.upload_from_new_story(editor_client, key=key)
        section = ArticleFactory().section
        data = story_form_data(section=section, headline="A new story", _autosave_key=key)
        assert editor_client.post(ADD_URL, data).status_code == 302
        assert Image.objects.get(pk=image.pk).uploaded_for == ""

    def test_a_fresh_autosave_keeps_its_pictures(self, editor_client, editor):
        from articles.models import StoryAutosave

        image = self.upload_from_new_story(editor_client)
        StoryAutosave.objects.store(
            user_id=editor.pk, client_key="new-0123456789abcdef", article_id=None,
            data={"fields": {"body": in_body(image)}, "labels": {}},
        )  # fmt: skip
        self.age(image)
        clean()
        assert Image.objects.filter(pk=image.pk).exists()


class TestMediaPicker:
    url = reverse("admin:articles_image_picker")

    def test_searches_the_library_with_thumbnails(self, client, journalist):
        ImageFactory(title="Baku skyline", alt_text="Towers", alt_text_ru="Башни")
        ImageFactory(title="Fizuli square")
        client.force_login(journalist)
        found = client.get(self.url, {"q": "skyline", "language": "ru"}).json()["pictures"]
        assert [(p["title"], p["alt"]) for p in found] == [("Baku skyline", "Башни")]
        assert found[0]["thumbnail"].startswith("/media/renditions/")
        assert found[0]["thumbnail"].endswith(".webp")
        assert len(client.get(self.url).json()["pictures"]) == 2

    def test_a_picture_without_renditions_yet_shows_the_placeholder(self, client, journalist):
        ImageFactory(renditions=False)
        client.force_login(journalist)
        (picture,) = client.get(self.url).json()["pictures"]
        assert "picture-pending" in picture["thumbnail"]

    @pytest.mark.parametrize("pictures", [2, 30])
    def test_one_page_in_a_fixed_number_of_queries(
        self, client, journalist, django_assert_max_num_queries, pictures
    ):
        ImageFactory.create_batch(pictures)
        client.force_login(journalist)
        client.get(self.url)
        # The session, the user, its own and its groups' permissions, the pictures.
        with django_assert_max_num_queries(5):
            answer = client.get(self.url, {"q": "picture"}).json()
        assert len(answer["pictures"]) == min(pictures, 24)

    def test_the_desk_offers_the_picker_for_the_body_and_the_lead(self, client, journalist):
        client.force_login(journalist)
        page = client.get(ADD_URL).content.decode()
        assert 'data-picker-open="body"' in page
        assert 'data-picker-open="lead"' in page
        assert "data-media-picker" in page


class TestDeskBudgets:
    """The story list and the change form cost the same whatever the number of pictures in
    the stories' bodies (no query per picture or per row)."""

    def cost(self, client, address):
        client.get(address)  # the edit lock is claimed on the first opening
        with CaptureQueriesContext(connection) as queries:
            assert client.get(address).status_code == 200
        return len(queries)

    def test_the_change_form(self, editor):
        client = logged_in(editor)
        few = ArticleFactory(draft=True, body=in_body(ImageFactory()))
        many = ArticleFactory(draft=True, body=in_body(*ImageFactory.create_batch(6)))
        assert self.cost(client, change_url(few)) == self.cost(client, change_url(many))

    def test_the_read_only_story_shows_its_pictures_at_a_fixed_cost(self, journalist):
        client = logged_in(journalist)

        def in_review(pictures):
            story = ArticleFactory(draft=True, created_by=journalist,
                                   body=in_body(*ImageFactory.create_batch(pictures)))  # fmt: skip
            return article_transition(article=story, user=journalist, action="submit")

        few, many = in_review(1), in_review(6)
        assert self.cost(client, change_url(few)) == self.cost(client, change_url(many))
        page = client.get(change_url(many)).content.decode()
        assert page.count('<source type="image/webp"') == 6
        assert few.body_images.get().file.url not in client.get(change_url(few)).content.decode()

    def test_the_story_list(self, editor):
        client = logged_in(editor)
        stories = reverse("admin:articles_article_changelist")

        def cost(rows):
            for _ in range(rows):
                ArticleFactory(body=in_body(*ImageFactory.create_batch(2)))
            with CaptureQueriesContext(connection) as queries:
                assert client.get(stories).status_code == 200
            return len(queries)

        assert cost(1) == cost(10)


def test_the_migration_hashes_the_library_and_reads_the_bodies():
    """Run on the models as they are now: the oldest of identical pictures gets the hash,
    the later copy stays without one, and each story's body pictures are recorded."""
    from django.apps import apps

    migration = importlib.import_module(
        "articles.migrations.0013_image_hash_captions_body_pictures"
    )
    oldest, other = ImageFactory.create_batch(2)
    copy = ImageFactory()
    story = ArticleFactory(body=in_body(other))
    Image.objects.filter(pk=copy.pk).update(file=oldest.file.name)
    Image.objects.update(content_hash="")
    story.body_images.clear()
    migration.hash_pictures_and_read_bodies(apps, None)
    hashes = dict(Image.objects.values_list("pk", "content_hash"))
    assert hashes[oldest.pk] and hashes[other.pk] and hashes[oldest.pk] != hashes[other.pk]
    assert hashes[copy.pk] == ""
    assert list(story.body_images.all()) == [other]
