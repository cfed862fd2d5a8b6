"""The translation status board: missing languages, out-of-date translations, "checked"."""

from datetime import timedelta

import pytest
import reversion
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.models import Article
from articles.services import article_translate
from insights.models import TranslationCheck
from tests.factories import ArticleFactory, SectionFactory
from tests.helpers import staff_in_role

pytestmark = pytest.mark.django_db
BOARD = reverse("insights:translations")
STALE = 'class="stale">out of date'


def saved(story, **changes):
    """Save ``story`` as the admin does: one stored revision."""
    for name, value in changes.items():
        setattr(story, name, value)
    with reversion.create_revision():
        story.save()
    return story


@pytest.fixture
def editor():
    return staff_in_role("edith", "Editors")


@pytest.fixture
def pair(editor):
    source = saved(ArticleFactory(headline="Flood waters recede in the valley"))
    russian = article_translate(article=source, language="ru", user=editor)
    russian = saved(russian, headline="Паводковые воды отступают в долине")
    return source, russian


def board(client, editor, query=""):
    client.force_login(editor)
    response = client.get(BOARD + query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_board_shows_existing_and_missing_languages(client, editor, pair):
    html = board(client, editor)
    assert "Russian: Паводковые воды" in html
    assert "Translate into Azerbaijani" in html
    assert reverse("admin:articles_article_translate", args=[pair[0].pk, "az"]) in html
    assert STALE not in html


def test_a_source_edited_after_its_translation_shows_it_out_of_date_with_the_words(
    client, editor, pair
):
    source, _russian = pair
    saved(source, headline="Flood waters rise again in the valley")
    html = board(client, editor)
    assert STALE in html
    assert "<del>recede</del>" in html and "<ins>rise again</ins>" in html


def test_marking_it_checked_clears_it_until_the_source_changes_again(client, editor, pair):
    source, russian = pair
    saved(source, lead="New figures from the ministry.")
    latest = Version.objects.get_for_object(source).first()
    client.force_login(editor)
    response = client.post(
        reverse("insights:translation_checked", args=[russian.pk]),
        {"source_version": latest.pk, "back": BOARD},
    )
    assert response.status_code == 302
    assert TranslationCheck.objects.get(translation=russian).source_version == latest
    assert STALE not in board(client, editor)
    saved(source, body="<p>The river keeps falling.</p>")
    assert STALE in board(client, editor)


def test_a_revision_of_another_story_is_refused(client, editor, pair):
    _source, russian = pair
    other = saved(ArticleFactory())
    version = Version.objects.get_for_object(other).first()
    client.force_login(editor)
    client.post(
        reverse("insights:translation_checked", args=[russian.pk]), {"source_version": version.pk}
    )
    assert not TranslationCheck.objects.exists()


def test_a_journalist_reads_the_board_but_may_not_mark_checked(client, pair):
    journalist = staff_in_role("jana", "Journalists")
    source, russian = pair
    saved(source, headline="Changed")
    assert "Mark checked" not in board(client, journalist)
    response = client.post(reverse("insights:translation_checked", args=[russian.pk]), {})
    assert response.status_code == 403


def test_the_filters_by_section_language_and_age(client, editor, pair):
    source, _russian = pair
    sport = SectionFactory(name="Sport")
    old = saved(ArticleFactory(headline="Old match report", section=sport))
    Article.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=60))
    assert "Old match report" not in board(client, editor, f"?section={source.section_id}")
    assert "Old match report" in board(client, editor, f"?section={sport.pk}")
    assert "Old match report" not in board(client, editor, "?age=30")
    # Russian exists and is current for the flood story: only the match lacks it.
    html = board(client, editor, "?language=ru")
    assert "Old match report" in html and "Flood waters" not in html


def test_the_boards_query_count_does_not_grow_with_the_groups(client, editor, pair):
    client.force_login(editor)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(BOARD).status_code == 200
        return len(queries)

    few = count()
    for _ in range(12):
        source = saved(ArticleFactory())
        saved(article_translate(article=source, language="az", user=editor), lead="Tərcümə")
        saved(source, headline="Changed after")
    assert count() == few
