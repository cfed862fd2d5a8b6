"""The publication's own pages (issue 17): About, Contact, Privacy, Terms and the
corrections policy per language, written by editors, linked from every page's footer."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from articles.models import Page, PageKind, Section
from tests.articles.test_views import url, warm_site_chrome
from tests.factories import ArticleFactory
from tests.helpers import logged_in, staff_in_role

pytestmark = pytest.mark.django_db

PAGE_BUDGET = 2  # the page itself; the session's look-up costs nothing for a reader


def page(language="en", kind="privacy", **fields):
    return Page.objects.create(
        language=language, kind=kind, title=fields.pop("title", f"{kind} ({language})"), **fields
    )


@pytest.mark.parametrize("language", ["en", "ru", "az"])
def test_each_page_answers_at_its_address_in_its_own_language(client, language):
    for kind in PageKind.values:
        page(language, kind, body=f"<p>The {kind} text in {language}.</p>")
    for kind in PageKind.values:
        response = client.get(url("page", language, kind=kind))
        assert response.status_code == 200
        assert f"The {kind} text in {language}." in response.content.decode()
    assert Page.objects.get(language=language, kind="terms").get_absolute_url() == (
        f"/{language}/terms/"
    )


def test_a_page_not_written_in_a_language_is_not_found(client):
    page("en", "about")
    assert client.get(url("page", "ru", kind="about")).status_code == 404
    assert client.get("/en/imprint/").status_code == 404


def test_the_body_is_sanitised_like_a_story(client):
    written = page(body='<p onclick="steal()">Hi<script>alert(1)</script></p>'
                        '<a href="javascript:alert(1)">x</a>')  # fmt: skip
    written.refresh_from_db()
    assert "script" not in written.body and "onclick" not in written.body
    assert "javascript:" not in written.body
    assert "<p>Hi</p>" in written.body


@pytest.mark.parametrize("language", ["en", "ru", "az"])
def test_every_page_s_footer_links_to_the_pages_in_the_reader_s_language(client, language):
    story = ArticleFactory(language=language)
    page(language, "privacy")
    addresses = [
        url("home", language),
        url("news_line", language),
        story.get_absolute_url(),
        url("page", language, kind="privacy"),
        f"/{language}/no-such-section/",
    ]
    for address in addresses:
        html = client.get(address).content.decode()
        footer = html[html.index('class="site-footer"') :]
        for kind in PageKind.values:
            assert f'href="/{language}/{kind}/"' in footer, (address, kind)


def test_the_review_form_s_privacy_link_leads_to_the_privacy_page(client):
    story = ArticleFactory(language="ru")
    page("ru", "privacy", title="Конфиденциальность")
    html = client.get(story.get_absolute_url()).content.decode()
    help_text = html[html.index('id="id_email_helptext"') :]
    link = help_text.split('href="', 1)[1].split('"', 1)[0]
    assert link == "/ru/privacy/"
    assert "Конфиденциальность" in client.get(link).content.decode()


def test_no_section_can_take_a_page_s_address():
    with pytest.raises(ValidationError):
        Section(name="Privacy", slug="privacy").full_clean()


@pytest.mark.parametrize("paragraphs", [1, 40])
def test_query_budget(client, django_assert_max_num_queries, paragraphs):
    page(body="<p>A paragraph.</p>" * paragraphs)
    warm_site_chrome(client)
    with django_assert_max_num_queries(PAGE_BUDGET):
        assert client.get(url("page", kind="privacy")).status_code == 200


def test_a_change_shows_at_once(client):
    written = page(body="<p>Old text.</p>")
    assert "Old text." in client.get(url("page", kind="privacy")).content.decode()
    written.body = "<p>New text.</p>"
    written.save()
    assert "New text." in client.get(url("page", kind="privacy")).content.decode()


def test_editors_write_pages_and_journalists_may_not(client):
    editor = logged_in(staff_in_role("edith", "Editors"))
    response = editor.post(
        "/admin/articles/page/add/",
        {"language": "az", "kind": "about", "title": "Haqqımızda", "summary": "",
         "body": "<p>Biz kimik.</p>"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Page.objects.get(language="az", kind="about").title == "Haqqımızda"
    journalist = logged_in(staff_in_role("jana", "Journalists"))
    response = journalist.post(
        "/admin/articles/page/add/",
        {"language": "ru", "kind": "about", "title": "О нас", "body": ""},
    )
    assert response.status_code == 403
    assert not Page.objects.filter(language="ru").exists()


def test_the_demo_writes_every_page_in_three_languages_and_keeps_an_editor_s(client):
    page("ru", "terms", title="Правила, написанные редактором", body="<p>Наши правила.</p>")
    call_command("load_demo")
    assert Page.objects.count() == 3 * len(PageKind.values)
    kept = Page.objects.get(language="ru", kind="terms")
    assert kept.title == "Правила, написанные редактором"
    about = Page.objects.get(language="az", kind="about")
    assert about.title == "Haqqımızda" and "<h2>" in about.body
    about.title = "Bizim haqqımızda"
    about.save()
    before = list(Page.objects.order_by("pk").values_list("pk", "title", "body", "updated_at"))
    call_command("load_demo")
    assert list(Page.objects.order_by("pk").values_list("pk", "title", "body", "updated_at")) == (
        before
    )
    privacy = client.get(url("page", "en", kind="privacy")).content.decode()
    assert "email address" in privacy
