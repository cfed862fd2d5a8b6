import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article
from newsroom.models import SocialLink
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    ImageFactory,
    SectionFactory,
    SocialLinkFactory,
    StaffFactory,
)
from tests.helpers import logged_in

pytestmark = pytest.mark.django_db

MODELS = ["article", "section", "contributor", "image"]


@pytest.fixture
def editor_client(client):
    editor = StaffFactory(username="editor")
    editor.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["articles", "newsroom", "taggit"])
    )
    client.force_login(editor)
    return client


def admin_url(model, action="changelist", *args, app="articles"):
    return reverse(f"admin:{app}_{model}_{action}", args=args)


@pytest.mark.parametrize("model", MODELS)
def test_changelists_and_add_forms_render_for_an_editor(editor_client, model):
    ArticleFactory(lead_image=ImageFactory())
    ContributorFactory()
    assert editor_client.get(admin_url(model)).status_code == 200
    assert editor_client.get(admin_url(model, "add")).status_code == 200


def test_social_links_are_edited_in_the_admin(editor_client):
    link = SocialLinkFactory()
    assert editor_client.get(admin_url("sociallink", app="newsroom")).status_code == 200
    response = editor_client.get(admin_url("sociallink", "change", link.pk, app="newsroom"))
    assert response.status_code == 200
    assert SocialLink.objects.count() == 1


def test_story_change_form_has_editor_inlines_and_ckeditor(editor_client):
    story = ArticleFactory()
    page = editor_client.get(admin_url("article", "change", story.pk)).content.decode()
    assert "django_ckeditor_5" in page
    for inline in ["bylines", "related_links", "corrections"]:
        assert f'id="{inline}-group"' in page


def test_view_on_site_works_for_drafts(editor_client):
    draft = ArticleFactory(draft=True)
    page = editor_client.get(admin_url("article", "change", draft.pk)).content.decode()
    assert "View on site" in page
    content_type = ContentType.objects.get_for_model(Article)
    redirect = editor_client.get(reverse("admin:view_on_site", args=[content_type.pk, draft.pk]))
    assert redirect.status_code == 302
    preview = editor_client.get(redirect.url)
    assert preview.status_code == 200 and "This is a preview" in preview.content.decode()


def test_editor_creates_a_story_and_is_recorded_as_its_creator(editor_client):
    section = SectionFactory()
    data = {
        "language": "ru",
        "headline": "Новый мост через Куру",
        "slug": "",
        "kicker": "",
        "lead": "Мост откроют летом.",
        "body": "<p>Текст<script>alert(1)</script></p>",
        "section": section.pk,
        "tags": "Мосты, Транспорт",
        "status": "draft",
        "comments_mode": "premoderated",
        "bylines-TOTAL_FORMS": 0, "bylines-INITIAL_FORMS": 0,
        "related_links-TOTAL_FORMS": 0, "related_links-INITIAL_FORMS": 0,
        "corrections-TOTAL_FORMS": 0, "corrections-INITIAL_FORMS": 0,
    }  # fmt: skip
    response = editor_client.post(admin_url("article", "add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    story = Article.objects.get()
    assert story.slug == "novyi-most-cherez-kuru"
    assert story.created_by.username == "editor"
    assert "<script" not in story.body
    assert set(story.tags.names()) == {"Мосты", "Транспорт"}


def test_scheduled_story_shows_as_scheduled_in_the_changelist(editor_client):
    ArticleFactory(scheduled=True)
    assert "Scheduled" in editor_client.get(admin_url("article")).content.decode()


@pytest.mark.parametrize("model", MODELS)
def test_changelist_query_count_is_fixed(editor_client, django_assert_max_num_queries, model):
    """The changelist must not run a query per row (section, author, thumbnail...)."""

    def count(rows):
        for _ in range(rows):
            story = ArticleFactory(lead_image=ImageFactory(), created_by=StaffFactory())
            BylineFactory(article=story)
        with CaptureQueriesContext(connection) as queries:
            assert editor_client.get(admin_url(model)).status_code == 200
        return len(queries)

    few = count(1)
    many = count(15)
    assert many == few


def test_renaming_a_section_in_the_admin_keeps_its_old_address(editor_client):
    section = SectionFactory(slug="economics", name="Economics")
    data = {
        "name": "Economy",
        "name_ru": "",
        "name_az": "",
        "slug": "economy",
        "description": "",
        "position": 0,
        "is_active": "on",
        "old_slugs-TOTAL_FORMS": 0,
        "old_slugs-INITIAL_FORMS": 0,
    }
    response = editor_client.post(admin_url("section", "change", section.pk), data)
    assert response.status_code == 302
    page = editor_client.get(admin_url("section", "change", section.pk)).content.decode()
    assert "economics" in page  # Listed under the section's old addresses.
    assert editor_client.get("/en/economics/")["Location"] == "/en/economy/"


def test_editors_see_and_may_remove_a_sections_old_addresses():
    editors = Group.objects.get(name="Editors")
    granted = set(editors.permissions.values_list("codename", flat=True))
    assert {"view_sectionredirect", "delete_sectionredirect"} <= granted


class TestTagSuggestions:
    URL = "/admin/articles/article/tag-suggestions/"

    def test_existing_tags_starting_with_the_typed_word_most_used_first(self, journalist):
        ArticleFactory(tags=["Fizuli", "Economy"])
        ArticleFactory(tags=["Fizuli", "Fizika"])
        client = logged_in(journalist)
        assert client.get(self.URL, {"q": "fiz"}).json() == {"tags": ["Fizuli", "Fizika"]}
        assert client.get(self.URL, {"q": " "}).json() == {"tags": []}

    def test_the_story_form_asks_for_them(self, journalist):
        page = logged_in(journalist).get(admin_url("article", "add")).content.decode()
        assert f'data-tag-suggest-url="{self.URL}"' in page
        assert 'list="tag-suggestions"' in page and "js/tag-suggest.js" in page

    def test_only_for_those_who_work_on_stories(self, client, moderator):
        assert client.get(self.URL, {"q": "fiz"}).status_code == 302  # To the login page.
        assert logged_in(moderator).get(self.URL, {"q": "fiz"}).status_code == 403
