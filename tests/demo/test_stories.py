"""`manage.py load_demo`, the demo newsroom of `make run` (demo/stories.py)."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.http import HttpRequest
from reversion.models import Version

from articles.models import Article, Image, RelatedLink, Section, TagLanguage
from newsroom.models import SocialLink

pytestmark = pytest.mark.django_db

SEED = "Restoring hope: Presidents inspect reconstruction efforts in Fizuli"


def snapshot():
    return {
        model.__name__: sorted(model.objects.values_list("pk", flat=True))
        for model in [Article, Image, RelatedLink, Section, SocialLink]
    } | {"published_at": list(Article.objects.order_by("pk").values_list("published_at"))}


def test_demo_newsroom_is_believable_and_idempotent(client):
    call_command("load_demo")
    first = snapshot()
    call_command("load_demo")
    assert snapshot() == first

    assert set(Section.objects.values_list("name", flat=True)) >= {
        "Politics", "Economics", "Society", "World", "Culture", "Sport", "Video",
    }  # fmt: skip
    published = Article.objects.published()
    assert published.count() >= 40
    assert {"en", "ru", "az"} <= set(published.values_list("language", flat=True))
    assert Article.objects.filter(status="draft").exists()
    assert Article.objects.filter(published_at__gt=published.first().published_at).exists()
    assert SocialLink.objects.exists()

    seed = Article.objects.get(headline=SEED)
    assert seed.section.name == "Economics"
    assert seed.tags.exists() and seed.bylines.exists() and seed.lead_image
    assert "Kurmangazy" in seed.body
    link = seed.related_links.order_by("position").first()
    assert link.kind == RelatedLink.Kind.VIDEO
    assert link.target_article.language == "ru"
    assert "Çətin sual" in link.target_article.headline

    home = client.get("/en/")
    assert home.status_code == 200 and SEED in home.content.decode()
    story = client.get(seed.get_absolute_url())
    assert story.status_code == 200
    assert "Сможет ли Москва сорвать уход Еревана под крыло Запада?" in story.content.decode()
    # Its picture shows with no worker run: load_demo, a command, makes renditions itself.
    assert '<source type="image/webp" srcset="/media/renditions/' in story.content.decode()

    # Its Russian translation shares the picture, with the Russian caption and credit,
    # and carries Russian tags.
    russian = Article.objects.get(translation_group=seed.translation_group, language="ru")
    assert russian.lead_image == seed.lead_image
    page = client.get(russian.get_absolute_url()).content.decode()
    assert "Новые жилые дома на окраине Физули" in page
    assert russian.lead_image.credit_ru in page and russian.lead_image.credit_ru
    assert seed.lead_image.caption not in page
    assert {"Физули", "Казахстан"} <= set(russian.tags.names())
    for name in russian.tags.names():
        assert f">{name}</a>" in page
    # Its tags are Russian, translating the English story's; a name written alike in
    # every language ("Baku Rapid Open") is every language's tag.
    assert set(TagLanguage.objects.filter(tag__in=russian.tags.all()).values_list(
        "language", flat=True)) == {"ru"}  # fmt: skip
    assert TagLanguage.objects.get(tag__name="Физули").original.name == "Fizuli"
    assert not TagLanguage.objects.filter(tag__name="Baku Rapid Open").exists()

    # Searchable as loaded: tags are added after each story is created, and still indexed.
    search = client.get("/en/search/", {"q": "Fizuli"})
    assert [s.headline for s in search.context["stories"]] == [SEED]
    # "Emergencies" is only a tag of the earthquake story, not a word of its text.
    search = client.get("/en/search/", {"q": "emergencies"})
    assert search.context["stories"][0].headline == (
        "Magnitude 4.6 earthquake felt in Shamakhi and Baku; no casualties reported"
    )
    assert "Füzulidə" in client.get("/az/search/", {"q": "Füzuli"}).content.decode()


def test_demo_creates_one_login_per_role_with_a_password_printed_once(client):
    first, second = StringIO(), StringIO()
    call_command("load_demo", stdout=first)
    call_command("load_demo", stdout=second)
    for username, group in [("journalist", "Journalists"), ("editor", "Editors"),
                            ("moderator", "Moderators")]:  # fmt: skip
        password = re.search(rf"log in as “{username}” with password: (\S+)", first.getvalue())
        assert password, first.getvalue()
        assert f"log in as “{username}”" in second.getvalue()
        assert "password:" not in second.getvalue()
        user = get_user_model().objects.get(username=username)
        assert user.is_staff and not user.is_superuser
        assert list(user.groups.values_list("name", flat=True)) == [group]
        assert client.login(request=HttpRequest(), username=username, password=password.group(1))
    drafts = Article.objects.filter(status="draft")
    assert drafts and all(story.created_by.username == "journalist" for story in drafts)
    # Each demo story starts with one revision to compare later edits against.
    assert Version.objects.get_for_object(Article.objects.get(headline=SEED)).count() == 1


def test_the_demo_has_a_live_story_in_each_language_behind_the_breaking_banner(client):
    """The Shamakhi earthquake coverage: a dozen updates, two of them key events, and the
    breaking banner of every language's home page leads to it."""
    call_command("load_demo")
    group = Article.objects.get(slug__startswith="magnitude-4-6").translation_group
    for language in ("en", "ru", "az"):
        story = Article.objects.get(language=language, translation_group=group)
        assert story.is_live_now and story.is_breaking
        assert story.live_updates.count() == 12
        assert story.live_updates.filter(is_key_event=True).count() == 2
        home = client.get(f"/{language}/").content.decode()
        assert f'class="banner__link" href="{story.get_absolute_url()}"' in home


def test_demo_pictures_alt_text_says_what_is_drawn(client):
    """The demo's pictures are drawn (a gradient, circles and a word), not photographs:
    their alt text says so, in each language, and names the word on the picture."""
    call_command("load_demo")
    story = Article.objects.get(headline=SEED)
    image = story.lead_image
    label = story.kicker or story.section.slug.title()
    assert image.alt_for("en").startswith(f"Illustration: the word “{label}” in white on a ")
    assert image.alt_for("ru").startswith(f"Иллюстрация: белая надпись «{label}»")
    assert f"«{label}» sözü" in image.alt_for("az")
    assert "crane" not in image.alt_text.lower()
    assert Image.objects.filter(alt_text__startswith="Illustration: ").count() == (
        Image.objects.count()
    )
    page = client.get(story.get_absolute_url()).content.decode()
    assert f'alt="{image.alt_for("en")}"' in page
