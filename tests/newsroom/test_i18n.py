"""The UI speaks Russian and Azerbaijani: no English left on those pages but story content,
every message in the catalogs translated, and the committed .mo files match the .po files."""

import gettext
import re
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from articles.models import Article, StoryViewCount
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    CommentFactory,
    ContributorFactory,
    RelatedLinkFactory,
    SectionFactory,
    SocialLinkFactory,
)

LANGUAGES = ["ru", "az"]
LOCALE_DIR = Path(settings.BASE_DIR) / "locale"

# UI strings from the templates and forms, with what a reader must see instead.
UI = {
    "Skip to main content": {"ru": "Перейти к основному содержанию", "az": "Əsas məzmuna keç"},
    "Sections": {"ru": "Рубрики", "az": "Bölmələr"},
    "News Line": {"ru": "Лента новостей", "az": "Xəbər lenti"},
    "All the latest news": {"ru": "Все последние новости", "az": "Bütün son xəbərlər"},
    "Follow us on social networks": {
        "ru": "Мы в социальных сетях", "az": "Bizi sosial şəbəkələrdə izləyin",
    },
    "All rights reserved.": {"ru": "Все права защищены.", "az": "Bütün hüquqlar qorunur."},
    "Language": {"ru": "Язык", "az": "Dil"},
    "Lead story": {"ru": "Главный материал", "az": "Əsas xəbər"},
    "Most read": {"ru": "Самое читаемое", "az": "Ən çox oxunanlar"},
    "Last 24 hours": {"ru": "За 24 часа", "az": "Son 24 saat"},
    "Not enough readers yet to rank this period.": {
        "ru": "Пока мало читателей, чтобы составить рейтинг за этот период.",
        "az": "Bu dövr üçün reytinq qurmaq üçün hələ kifayət qədər oxucu yoxdur.",
    },
    "Top stories": {"ru": "Главные материалы", "az": "Əsas xəbərlər"},
    "Share": {"ru": "Поделиться", "az": "Paylaş"},
    "(opens in a new tab)": {"ru": "(откроется в новой вкладке)", "az": "(yeni tabda açılır)"},
    "Copy link": {"ru": "Скопировать ссылку", "az": "Keçidi kopyala"},
    "Related": {"ru": "По теме", "az": "Mövzuya dair"},
    "Tags": {"ru": "Теги", "az": "Teqlər"},
    "Published": {"ru": "Опубликовано", "az": "Dərc olunub"},
    "Reported by": {"ru": "Автор:", "az": "Müxbir:"},
    "Leave a review": {"ru": "Оставить отзыв", "az": "Rəy bildirin"},
    "Your review": {"ru": "Ваш отзыв", "az": "Rəyiniz"},
    "Name": {"ru": "Имя", "az": "Ad"},
    "Email": {"ru": "Эл. почта", "az": "E-poçt"},
    "Never shown to anyone but our moderators.": {
        "ru": "Её видят только наши модераторы.", "az": "Bunu yalnız moderatorlarımız görür.",
    },
    "Send review": {"ru": "Отправить отзыв", "az": "Rəyi göndər"},
    "Reply": {"ru": "Ответить", "az": "Cavab ver"},
    "Report": {"ru": "Пожаловаться", "az": "Şikayət et"},
    "1 review": {"ru": "1 отзыв", "az": "1 rəy"},
    "Older stories": {"ru": "Более ранние материалы", "az": "Daha köhnə xəbərlər"},
    "Corrections policy": {"ru": "Политика исправлений", "az": "Düzəliş siyasəti"},
    "Newer stories": {"ru": "Более новые материалы", "az": "Daha yeni xəbərlər"},
    "Page 1 of": {"ru": "Страница 1 из 2", "az": "Səhifə 1 / 2"},
    "Page 2 of": {"ru": "Страница 2 из 2", "az": "Səhifə 2 / 2"},
}  # fmt: skip

PAGES = {
    "home": [
        "Skip to main content", "Sections", "News Line", "All the latest news",
        "Follow us on social networks", "All rights reserved.", "Language", "Lead story",
        "Most read", "Last 24 hours", "Not enough readers yet to rank this period.",
        "Top stories",
    ],
    "story": [
        "Share", "(opens in a new tab)", "Copy link", "Related", "Tags", "Published",
        "Reported by", "Leave a review", "Your review", "Name", "Email",
        "Never shown to anyone but our moderators.", "Send review", "Reply", "Report",
        "1 review", "Follow us on social networks",
    ],
    "section": ["Older stories", "Page 1 of", "News Line", "Sections", "Corrections policy"],
    "section-page-2": ["Newer stories", "Page 2 of"],
    # The News Line page has no sidebar repeating it (so no "All the latest news" link).
    "news_line": ["News Line", "Skip to main content"],
}  # fmt: skip


@pytest.fixture
def newsroom_in(db):
    """A section front with two pages, a story open for reviews with one approved review,
    tags, a byline and a related link, in the given language."""

    def build(language):
        economics = SectionFactory(
            name="Economics", name_ru="Экономика", name_az="İqtisadiyyat", slug="economics"
        )
        SocialLinkFactory(name="Telegram")
        # The section front's lead, twenty on its first page and one on the second.
        stories = ArticleFactory.create_batch(
            22,
            language=language,
            section=economics,
            headline="Урожай Физули / Füzuli məhsulu",
            lead="Фермеры собрали больше зерна. Fermerlər daha çox taxıl yığıb.",
            body="<p>Фермеры собрали больше зерна. Fermerlər daha çox taxıl yığıb.</p>",
        )
        story = stories[0]
        story.comments_mode = Article.CommentsMode.OPEN
        story.save()
        story.tags.add("Füzuli")
        BylineFactory(article=story, contributor=ContributorFactory(name="Aysel Məmmədova"))
        RelatedLinkFactory(article=story, target_article=stories[1])
        CommentFactory(article=story, author_name="Nigar", body="Çox sağ olun.")
        # Read two days ago: "Most read" ranks the week and has a sentence for the day.
        StoryViewCount.objects.create(article=story, hour=timezone.now() - timedelta(days=2),
                                      views=3)  # fmt: skip
        with translation.override(language):
            return {
                "home": reverse("articles:home"),
                "story": story.get_absolute_url(),
                "section": reverse("articles:section", kwargs={"section": "economics"}),
                "section-page-2": reverse("articles:section", kwargs={"section": "economics"})
                + "?page=2",
                "news_line": reverse("articles:news_line"),
            }

    return build


@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_in_russian_and_azerbaijani_have_no_english_ui_left(client, newsroom_in, language):
    urls = newsroom_in(language)
    for page, checked in PAGES.items():
        response = client.get(urls[page])
        assert response.status_code == 200, page
        # JSON-LD keys ("datePublished") are vocabulary, not UI text.
        html = re.sub(r"<script.*?</script>", "", response.content.decode(), flags=re.S)
        for english in checked:
            assert UI[english][language] in html, (page, english)
            assert english not in html, (page, english)
        # Section names come in the page's language too.
        assert {"ru": "Экономика", "az": "İqtisadiyyat"}[language] in html
        assert ">Economics<" not in html


def entries(po_file, only):
    """The msgids msgattrib selects (``--untranslated`` or ``--only-fuzzy``), header aside."""
    result = subprocess.run(  # noqa: S603 (fixed arguments)
        ["msgattrib", only, "--no-wrap", str(po_file)],  # noqa: S607
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return [msgid for msgid in re.findall(r'^msgid "(.*)"$', result.stdout, re.M) if msgid]


PROBE = "Zqxj probe 7731: new in this copy only"


def test_makemessages_finds_nothing_untranslated(tmp_path):
    """Run makemessages on a copy of the project: every message the code and templates hold
    is in the catalogs, translated and not fuzzy. A probe template added to the copy shows
    the run really read the copy (its one message is the only one untranslated); the
    committed catalogs stay untouched."""
    assert shutil.which("xgettext"), "GNU gettext is needed: apt-get install gettext"
    project = Path(settings.BASE_DIR)
    copy = tmp_path / "project"
    shutil.copytree(
        project,
        copy,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "media", "staticfiles", "tests", "__pycache__", "*.sqlite3",
            "*.egg-info", ".pytest_cache", ".ruff_cache", "test-artifacts",
        ),
    )  # fmt: skip
    (copy / "templates" / "i18n_probe.html").write_text(
        f'{{% load i18n %}}{{% translate "{PROBE}" %}}\n'
    )
    before = {lang: (LOCALE_DIR / lang / "LC_MESSAGES" / "django.po").read_bytes()
              for lang in LANGUAGES}  # fmt: skip
    subprocess.run(  # noqa: S603 (fixed arguments)
        [sys.executable, "manage.py", "makemessages", "--no-obsolete",
         *[f"--locale={lang}" for lang in LANGUAGES]],
        cwd=copy, check=True, capture_output=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "newsroom.settings.test",
             "PYTHONPATH": str(copy)},
    )  # fmt: skip
    for lang in LANGUAGES:
        po_file = copy / "locale" / lang / "LC_MESSAGES" / "django.po"
        assert entries(po_file, "--untranslated") == [PROBE]
        assert entries(po_file, "--only-fuzzy") == []
        assert (LOCALE_DIR / lang / "LC_MESSAGES" / "django.po").read_bytes() == before[lang]


@pytest.mark.parametrize("language", LANGUAGES)
def test_committed_mo_files_match_the_po_files(tmp_path, language):
    """``make run`` needs no gettext because the .mo files are committed: they must say
    what the .po files say."""
    messages = LOCALE_DIR / language / "LC_MESSAGES"
    fresh = tmp_path / "django.mo"
    subprocess.run(  # noqa: S603 (fixed arguments)
        ["msgfmt", "--check", "-o", str(fresh), str(messages / "django.po")],  # noqa: S607
        check=True,
    )
    with (messages / "django.mo").open("rb") as committed, fresh.open("rb") as compiled:
        committed, compiled = gettext.GNUTranslations(committed), gettext.GNUTranslations(compiled)
    # _catalog holds every message, plural forms included, as GNUTranslations read it.
    assert committed._catalog == compiled._catalog
    assert len(committed._catalog) > 300


@pytest.mark.parametrize(
    ("language", "expected"),
    [("ru", ["1 отзыв", "2 отзыва", "5 отзывов", "21 отзыв"]),
     ("az", ["1 rəy", "2 rəy", "5 rəy", "21 rəy"])],
)  # fmt: skip
def test_counts_take_the_languages_plural_forms(language, expected):
    with translation.override(language):
        assert [
            translation.ngettext("%(counter)s review", "%(counter)s reviews", n) % {"counter": n}
            for n in [1, 2, 5, 21]
        ] == expected


def test_the_admin_speaks_the_editors_language(admin_client):
    story = ArticleFactory()
    page = admin_client.get(
        reverse("admin:articles_article_change", args=[story.pk]), HTTP_ACCEPT_LANGUAGE="az"
    ).content.decode()
    for azerbaijani in ["Rus dilinə tərcümə et", "Versiyaları müqayisə et", "Əsas şəkil"]:
        assert azerbaijani in page
    assert "Translate into" not in page
