"""The image library: safe uploads, renditions around the focal point, alt text rules."""

import io
import mimetypes
import struct
import tracemalloc
import zlib

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage

from articles.images import reencode, rendition, rendition_plan
from articles.models import Article, Image
from articles.services import article_transition
from tests.factories import (
    ArticleFactory,
    ImageFactory,
    SectionFactory,
    StaffFactory,
    jpeg_bytes,
)
from tests.helpers import run_tasks
from tests.helpers import upload_image as upload

pytestmark = pytest.mark.django_db


def encode(fmt, size=(40, 30), mode="RGB", **save):
    buffer = io.BytesIO()
    PILImage.new(mode, size, (200, 30, 30) if mode == "RGB" else 1).save(buffer, fmt, **save)
    return buffer.getvalue()


def png_claiming(width, height):
    """A tiny PNG whose header claims ``width``×``height``: a decompression bomb's shape."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def editor(client):
    user = StaffFactory(username="photo-editor")
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="articles"))
    client.force_login(user)
    return client


class TestUploads:
    @pytest.mark.parametrize(
        ("name", "fmt", "extension"),
        [
            ("a.jpg", "JPEG", "jpg"),
            ("b.png", "PNG", "png"),
            ("c.webp", "WEBP", "webp"),
            ("d.gif", "GIF", "gif"),
        ],
    )
    def test_accepted_formats(self, editor, name, fmt, extension):
        response = upload(editor, name, encode(fmt))
        assert response.status_code == 302
        image = Image.objects.get()
        assert image.file.name.endswith(f".{extension}")
        assert (image.width, image.height) == (40, 30)
        assert image.uploaded_by.username == "photo-editor"

    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            (
                "logo.svg",
                b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>',
                "not a picture we accept",
            ),
            ("notes.jpg", b"Just some text pretending to be a photo.\n" * 20, "not a picture"),
            (
                "polyglot.png",
                encode("PNG") + b"<html><script>alert(1)</script></html>",
                "hides web page code",
            ),
            ("huge.png", encode("PNG", size=(8000, 7500), mode="1"), "60 megapixels"),
            ("bomb.png", png_claiming(100_000, 100_000), "megapixels"),
            ("tiff.tif", encode("TIFF"), "TIFF files are not accepted"),
        ],
    )
    def test_refused_with_a_message(self, editor, name, content, message):
        response = upload(editor, name, content)
        assert response.status_code == 200
        errors = str(response.context["adminform"].form.errors["file"])
        assert message in errors
        assert not Image.objects.exists()

    def test_too_big_file_is_refused(self, editor, settings):
        content = encode("JPEG", size=(50, 50)) + b"\0" * (21 * 1024 * 1024)
        response = upload(editor, "big.jpg", content)
        assert "at most 20 MB" in str(response.context["adminform"].form.errors["file"])

    def test_a_48_megapixel_picture_is_refused_from_its_header_saying_both_sizes(self, editor):
        """Over the limit (40 megapixels, what an upload's request makes well inside
        gunicorn's timeout), refused before any pixel is decoded, with what to do."""
        message = "This picture is 48 megapixels; the limit is 40. Please resize it."
        response = upload(editor, "camera.png", png_claiming(8000, 6000), "image/png")
        assert message in str(response.context["adminform"].form.errors["file"])
        url = reverse(settings.CK_EDITOR_5_UPLOAD_FILE_VIEW_NAME)
        picture = SimpleUploadedFile("camera.png", png_claiming(8000, 6000), "image/png")
        refused = editor.post(url, {"upload": picture})
        assert refused.status_code == 400
        assert refused.json()["error"]["message"] == message
        assert not Image.objects.exists()

    def test_the_form_states_the_limits(self, editor, settings):
        settings.IMAGE_MAX_MEGAPIXELS = 30
        page = editor.get(reverse("admin:articles_image_add")).content.decode()
        assert "JPEG, PNG, WebP or GIF, up to 20 MB and 30 megapixels." in page

    def test_png_is_written_with_the_quick_encoder_settings(self):
        """PNG's ``optimize`` took 74 s for 40 megapixels, far past gunicorn's timeout (22 s
        for 8 megapixels, 2 s without it): the stored file is what the default level writes,
        not the optimised encoding. Checked by the bytes, not by a clock."""
        grain = PILImage.effect_noise((200, 100), 60).convert("RGB")
        quick, optimised = io.BytesIO(), io.BytesIO()
        grain.save(quick, "PNG")
        grain.save(optimised, "PNG", optimize=True)
        assert quick.getvalue() != optimised.getvalue()
        assert reencode(grain, "PNG") == quick.getvalue()

    def test_decompression_bomb_is_refused_before_decoding_in_little_memory(self, editor):
        tracemalloc.start()
        upload(editor, "bomb.png", png_claiming(60_000, 60_000))
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert not Image.objects.exists()
        assert peak < 50 * 1024 * 1024

    def test_exif_gps_is_stripped_and_orientation_applied(self, editor):
        exif = PILImage.Exif()
        exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display.
        exif[0x8825] = {1: "N", 2: (40.0, 22.0, 0.0), 3: "E", 4: (49.0, 52.0, 0.0)}  # GPS
        upload(editor, "phone.jpg", encode("JPEG", size=(40, 30), exif=exif.tobytes()))
        image = Image.objects.get()
        with default_storage.open(image.file.name) as stored:
            picture = PILImage.open(stored)
            assert picture.size == (30, 40)
            assert not picture.getexif()
            assert b"GPS" not in stored.read()

    def test_trailing_bytes_are_dropped_by_reencoding(self, editor):
        upload(editor, "tail.jpg", encode("JPEG") + b"TRAILING-PAYLOAD")
        with default_storage.open(Image.objects.get().file.name) as stored:
            assert b"TRAILING-PAYLOAD" not in stored.read()

    def test_ckeditor_uploads_join_the_library_through_the_same_checks(self, editor):
        url = reverse(settings.CK_EDITOR_5_UPLOAD_FILE_VIEW_NAME)
        ok = editor.post(url, {"upload": SimpleUploadedFile("x.png", encode("PNG"))})
        assert ok.status_code == 200
        image = Image.objects.get()
        assert ok.json()["url"] == image.file.url
        bad = editor.post(url, {"upload": SimpleUploadedFile("x.jpg", b"<svg onload=alert(1)>")})
        assert bad.status_code == 400
        assert "not a picture" in bad.json()["error"]["message"]
        assert Image.objects.count() == 1

    @pytest.mark.parametrize("name", ["....", ".png", "!!!.png", "..png"])
    def test_a_picture_named_only_dots_keeps_its_type(self, editor, client, name):
        """The stored name ends in the detected format's extension after a real stem, so
        the picture is served as image/png, not application/octet-stream."""
        assert upload(editor, name, encode("PNG"), "image/png").status_code == 302
        url = reverse(settings.CK_EDITOR_5_UPLOAD_FILE_VIEW_NAME)
        # Another picture: the same one again would be the library's entry.
        another = encode("PNG", size=(41, 30))
        response = editor.post(url, {"upload": SimpleUploadedFile(name, another)})
        assert response.status_code == 200
        for image in Image.objects.all():
            assert mimetypes.guess_type(image.file.name)[0] == "image/png", image.file.name
            served = client.get(image.file.url)
            assert served.status_code == 200
            assert served["Content-Type"] == "image/png"
        assert Image.objects.count() == 2

    def test_ckeditor_upload_is_for_staff_only(self, client):
        url = reverse(settings.CK_EDITOR_5_UPLOAD_FILE_VIEW_NAME)
        response = client.post(url, {"upload": SimpleUploadedFile("x.png", encode("PNG"))})
        assert response.status_code == 403
        assert not Image.objects.exists()

    def test_uploaded_files_are_served_with_nosniff(self, client):
        image = ImageFactory()
        response = client.get(image.file.url)
        assert response.status_code == 200
        assert response["X-Content-Type-Options"] == "nosniff"


def red_dot_picture(width, height, focal):
    """A grey picture with a red square at the focal point."""
    picture = PILImage.new("RGB", (width, height), (128, 128, 128))
    fx, fy = round(focal[0] * width), round(focal[1] * height)
    picture.paste((255, 0, 0), (fx - 12, fy - 12, fx + 12, fy + 12))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return buffer.getvalue()


class TestRenditions:
    @pytest.mark.parametrize("focal", [(0.9, 0.2), (0.1, 0.85), (0.5, 0.5)])
    @pytest.mark.parametrize("ratio", ["16:9", "4:3", "1:1"])
    def test_crops_keep_the_focal_point_in_the_frame(
        self, focal, ratio, django_capture_on_commit_callbacks
    ):
        image = Image(focal_x=focal[0], focal_y=focal[1], alt_text="Dot")
        image.file.save("dot.png", ContentFile(red_dot_picture(1600, 500, focal)), save=False)
        with django_capture_on_commit_callbacks(execute=True):
            image.save()
        run_tasks()
        image.refresh_from_db()
        width = min(w for w, r, _fmt in rendition_plan(image) if r == ratio)
        crop = rendition(image, width=width, ratio=ratio)
        with default_storage.open(crop.url.removeprefix("/media/")) as stored:
            picture = PILImage.open(stored).convert("RGB")
            assert picture.size == (crop.width, crop.height)
            reds = [
                (x, y)
                for x in range(picture.width)
                for y in range(0, picture.height, 2)
                if picture.getpixel((x, y))[0] > 200 and picture.getpixel((x, y))[1] < 80
            ]
        assert reds, f"focal point {focal} cut out of the {ratio} crop"

    def test_every_planned_rendition_is_written_by_a_worker(
        self, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            image = ImageFactory(
                file=ContentFile(jpeg_bytes((1000, 600)), name="wide.jpg"), renditions=False
            )
        run_tasks()
        image.refresh_from_db()
        assert len(rendition_plan(image)) == 8  # 480, 800, 1000 × WebP and JPEG, two cards
        for width, ratio, fmt in rendition_plan(image):
            made = rendition(image, width=width, ratio=ratio, fmt=fmt)
            # The JPEG is decoded at a smaller scale where that covers the crop; the crop
            # comes out at its full size all the same.
            with default_storage.open(made.name) as stored:
                assert PILImage.open(stored).size == (made.width, made.height)

    def test_reader_pages_offer_webp_srcset(self, client):
        section = SectionFactory(slug="economics")
        story = ArticleFactory(section=section, lead_image=ImageFactory())
        for url in [story.get_absolute_url(), "/en/", "/en/economics/"]:
            page = client.get(url).content.decode()
            assert '<source type="image/webp" srcset="' in page, url
            assert ".webp 64w" in page and 'sizes="' in page and 'decoding="async"' in page

    def test_no_rendition_is_generated_by_a_reader_request(self, client):
        story = ArticleFactory(lead_image=ImageFactory())
        lead = rendition(story.lead_image, width=480, fmt="webp")
        path = lead.url.removeprefix("/media/")
        default_storage.delete(path)  # If the page made renditions, this would come back.
        _dirs, before = default_storage.listdir(path.rsplit("/", 1)[0])
        assert client.get(story.get_absolute_url()).status_code == 200
        _dirs, after = default_storage.listdir(path.rsplit("/", 1)[0])
        assert after == before and not default_storage.exists(path)


class TestAltText:
    def test_publishing_with_a_lead_image_without_alt_text_is_refused(self, editor):
        story = ArticleFactory(draft=True, lead_image=ImageFactory(alt_text=""))
        data = {
            "_workflow": "publish", "opened_version": story.version,
            "language": "en", "headline": story.headline, "slug": story.slug, "lead": "",
            "body": story.body, "section": story.section.pk, "tags": "", "status": "draft",
            "published_at": "2026-01-01T10:00",
            "comments_mode": "premoderated", "lead_image": story.lead_image.pk,
            "bylines-TOTAL_FORMS": 0, "bylines-INITIAL_FORMS": 0,
            "related_links-TOTAL_FORMS": 0, "related_links-INITIAL_FORMS": 0,
            "corrections-TOTAL_FORMS": 0, "corrections-INITIAL_FORMS": 0,
        }  # fmt: skip
        response = editor.post(reverse("admin:articles_article_change", args=[story.pk]), data)
        assert response.status_code == 200
        assert "no alt text" in str(response.context["adminform"].form.errors["lead_image"])
        story.refresh_from_db()
        assert story.status == Article.Status.DRAFT

    def test_the_publish_step_itself_refuses_without_alt_text(self):
        story = ArticleFactory(draft=True, lead_image=ImageFactory(alt_text=""))
        editor = StaffFactory(is_superuser=True)
        with pytest.raises(ValidationError, match="no alt text"):
            article_transition(article=story, user=editor, action="publish")
        story.refresh_from_db()
        assert story.status == Article.Status.DRAFT

    def test_alt_text_must_exist_in_the_story_language(self):
        image = ImageFactory(alt_text="Bridge", alt_text_ru="")
        story = ArticleFactory.build(language="ru", lead_image=image, section=SectionFactory())
        with pytest.raises(Exception, match="no alt text"):
            story.full_clean()
        image.alt_text_ru = "Мост"
        story.full_clean()

    def test_reader_page_uses_the_alt_text_of_its_language(self, client):
        image = ImageFactory(alt_text="Bridge", alt_text_ru="Мост через реку")
        story = ArticleFactory(language="ru", lead_image=image)
        assert 'alt="Мост через реку"' in client.get(story.get_absolute_url()).content.decode()
