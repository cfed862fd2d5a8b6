"""Old WordPress addresses answer 301 to the new ones; pictures come from --media-dir
through the library's upload checks; the real exports import whole (issue 20)."""

import html
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image as PILImage

from articles.models import Article, Image
from tests.helpers import run_tasks
from wordpress.models import ImportedImage, ImportedStory

from .test_import import run, story
from .wxr import export, item

pytestmark = pytest.mark.django_db
SHARED = Path(__file__).resolve().parents[1] / "data" / "wordpress"


def jpeg(path, size=(60, 40)):
    path.parent.mkdir(parents=True, exist_ok=True)
    out = io.BytesIO()
    PILImage.new("RGB", size, "teal").save(out, "JPEG")
    path.write_bytes(out.getvalue())


def test_three_permalink_shapes_p_and_old_slugs_redirect(tmp_path, client):
    xml = export(
        item(1, slug="bridge", link="https://old.example.com/2013/01/11/bridge/",
             meta=[("_wp_old_slug", "bridge-draft")]),
        item(2, slug="dam", link="https://old.example.com/dam/"),
        item(3, slug="port", link="https://old.example.com/news/port/"),
        item(4, slug="dam-2", link="https://old.example.com/?p=4"),
    )  # fmt: skip
    run(tmp_path, xml)
    for path, wp_id in [
        ("/2013/01/11/bridge/", 1),
        ("/2013/01/11/bridge", 1),
        ("/2013/01/11/bridge-draft/", 1),
        ("/dam/", 2),
        ("/news/port/", 3),
        ("/?p=3", 3),
        ("/?p=4", 4),
    ]:
        response = client.get(path)
        assert response.status_code == 301, path
        assert response["Location"] == story(wp_id).get_absolute_url(), path
        page = client.get(response["Location"])
        assert story(wp_id).headline in page.content.decode()


def test_a_multilingual_sites_language_prefixed_addresses_redirect(tmp_path, client):
    xml = export(
        item(1, slug="kopru", link="https://old.example.com/az/2019/05/kopru/"),
        item(2, slug="most", link="https://old.example.com/ru/most/"),
    )  # fmt: skip
    run(tmp_path, xml)
    for path, wp_id in [("/az/2019/05/kopru/", 1), ("/ru/most/", 2)]:
        response = client.get(path)
        assert response.status_code == 301, path
        assert response["Location"] == story(wp_id).get_absolute_url(), path
    assert client.get("/ru/no-such-story/").status_code == 404


def test_only_addresses_the_site_does_not_answer_are_looked_up(tmp_path, client):
    run(tmp_path, export(item(1)))
    for path, looked_up in [("/ru/", False), (story(1).get_absolute_url(), False),
                            ("/healthz", False), ("/az/no-such/", True),
                            ("/no-such/", True), ("/?p=9", True)]:  # fmt: skip
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        asked = any("wordpress_oldaddress" in q["sql"] for q in queries.captured_queries)
        assert asked == looked_up, path


def test_links_between_posts_are_rewritten(tmp_path):
    xml = export(
        item(
            1,
            content='<p>See <a href="https://old.example.com/later/">this</a>, not '
            '<a href="https://elsewhere.example.org/later/">that</a>.</p>',
        ),
        item(2, slug="later", content='<p>Back to <a href="/?p=1">that</a>.</p>'),
    )
    run(tmp_path, xml)
    assert f'href="{story(2).get_absolute_url()}"' in story(1).body
    assert f'href="{story(1).get_absolute_url()}"' in story(2).body
    assert 'href="https://elsewhere.example.org/later/"' in story(1).body


def test_pictures_come_from_the_media_folder_through_the_upload_checks(
    tmp_path, client, django_capture_on_commit_callbacks
):
    media = tmp_path / "uploads"
    jpeg(media / "2020/01/harbour.jpg")
    (media / "2020/01").mkdir(parents=True, exist_ok=True)
    (media / "2020/01/fake.jpg").write_bytes(b"<html><script>alert(1)</script></html>")
    url = "https://old.example.com/wp-content/uploads/2020/01/"
    xml = export(
        item(9, post_type="attachment", status="inherit", title="Harbour",
             excerpt="The harbour at dawn", attachment_url=url + "harbour.jpg",
             meta=[("_wp_attachment_image_alt", "Boats in the harbour")]),
        item(10, post_type="attachment", status="inherit", attachment_url=url + "fake.jpg"),
        item(11, post_type="attachment", status="inherit", attachment_url=url + "gone.jpg"),
        item(1, meta=[("_thumbnail_id", "9")],
             content=f'<p>Look:</p><img src="{url}harbour-300x200.jpg"><img src="{url}gone.jpg">'
                     '\n\n<p>Text stays.</p>'),
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        report = run(tmp_path, xml, "--media-dir", str(media))
    image = ImportedImage.objects.get(wp_id=9).image
    assert (image.title, image.alt_text, image.caption) == (
        "Harbour", "Boats in the harbour", "The harbour at dawn")  # fmt: skip
    assert image.width == 60 and image.file.name.endswith(".jpg")
    assert not ImportedImage.objects.filter(wp_id__in=[10, 11]).exists()
    assert "pictures #10:" in report and "not a picture we accept" in report
    assert "pictures #11: not found in the media folder" in report
    article = story(1)
    assert article.lead_image == image
    assert f'<img src="{image.file.url}" alt="Boats in the harbour">' in article.body
    assert "gone.jpg" not in article.body and "Text stays." in article.body
    assert f"post #1: picture not found locally, dropped: {url}gone.jpg" in report
    run_tasks()  # The renditions, made by a worker as for any library picture.
    page = client.get(article.get_absolute_url()).content.decode()
    # Readers get the inline picture as the library's renditions, never the stored file.
    assert page.count("<picture") == 2 and image.file.url not in page
    run(tmp_path, xml, "--media-dir", str(media))
    assert Image.objects.count() == 1


def test_nothing_outside_the_media_folder_is_read(tmp_path):
    jpeg(tmp_path / "secret.jpg")
    (tmp_path / "uploads").mkdir()
    escape = "https://old.example.com/wp-content/uploads/../secret.jpg"
    xml = export(item(9, post_type="attachment", status="inherit", attachment_url=escape))
    run(tmp_path, xml, "--media-dir", str(tmp_path / "uploads"))
    assert not Image.objects.exists()


@pytest.mark.parametrize("name", ["64-block-test-data.xml", "theme-preview.xml"])
def test_the_real_exports_import_and_every_public_post_answers_at_its_old_path(name, client):
    call_command("import_wordpress", str(SHARED / name), stdout=io.StringIO(),
                 stderr=io.StringIO())  # fmt: skip
    imported = ImportedStory.objects.select_related("article__section")
    assert imported.count() == {"64-block-test-data.xml": 61, "theme-preview.xml": 7}[name]
    from wordpress.wxr import Channel, read_export

    for post in read_export(str(SHARED / name), Channel()):
        if post.post_type != "post" or post.status != "publish":
            continue
        article = imported.get(wp_id=post.wp_id).article
        assert article.status == Article.Status.PUBLISHED
        old = post.link.split("://", 1)[1].split("/", 1)[1]
        response = client.get("/" + old)
        assert response.status_code == 301, post.link
        page = client.get(response["Location"])
        assert page.status_code == 200
        assert html.escape(article.headline) in page.content.decode()
