"""Corrections are append-only once a story is published."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from articles.models import Article, Correction
from tests.factories import ArticleFactory, CorrectionFactory
from tests.helpers import change_url, logged_in, story_form_data

pytestmark = pytest.mark.django_db


def with_corrections(story, existing, *, delete=False, new=None):
    """The change form's corrections inline: the existing row (possibly altered) and a new one."""
    rows = [existing, *([new] if new else [])]
    data = {"corrections-TOTAL_FORMS": len(rows), "corrections-INITIAL_FORMS": 1}
    for index, row in enumerate(rows):
        created = timezone.localtime(row.get("created_at", timezone.now()))
        data.update({
            f"corrections-{index}-id": row.get("id", ""),
            f"corrections-{index}-article": story.pk,
            f"corrections-{index}-kind": row["kind"],
            f"corrections-{index}-text": row["text"],
            f"corrections-{index}-created_at": created.strftime("%Y-%m-%dT%H:%M:%S"),
        })  # fmt: skip
    if delete:
        data["corrections-0-DELETE"] = "on"
    return story_form_data(story, **data)


@pytest.fixture
def published():
    story = ArticleFactory()
    correction = CorrectionFactory(article=story, text="The date was wrong.")
    return Article.objects.get(pk=story.pk), correction


def test_existing_correction_cannot_be_edited_or_deleted_in_the_admin(editor, published):
    story, correction = published
    client = logged_in(editor)
    page = client.get(change_url(story)).content.decode()
    assert 'name="corrections-0-text"' not in page  # shown read-only
    assert 'name="corrections-0-DELETE"' not in page
    existing = {"id": correction.pk, "kind": "correction", "text": "Rewritten history."}
    client.post(change_url(story), with_corrections(story, existing))
    story.refresh_from_db()
    client.post(change_url(story), with_corrections(story, existing, delete=True))
    assert list(Correction.objects.values_list("text", flat=True)) == ["The date was wrong."]


def test_adding_a_correction_updates_the_story_and_shows_in_order(client, editor, published):
    story, correction = published
    later = timezone.now() + timedelta(hours=2)
    existing = {"id": correction.pk, "kind": "correction", "text": correction.text}
    new = {"kind": "update", "text": "Police have named the suspect.", "created_at": later}
    with time_machine.travel(later, tick=False):
        response = logged_in(editor).post(
            change_url(story), with_corrections(story, existing, new=new)
        )
        assert response.status_code == 302
        story.refresh_from_db()
        assert story.updated_at == later and story.was_updated
        page = client.get(story.get_absolute_url()).content.decode()
    assert "Updated" in page
    assert page.index("The date was wrong.") < page.index("Police have named the suspect.")


def test_the_model_refuses_to_change_or_delete_a_published_correction(published):
    _story, correction = published
    correction.text = "Quietly changed."
    with pytest.raises(PermissionDenied):
        correction.save()
    with pytest.raises(PermissionDenied):
        Correction.objects.get(pk=correction.pk).delete()
    assert Correction.objects.get(pk=correction.pk).text == "The date was wrong."


def test_corrections_on_a_draft_can_still_be_edited():
    correction = CorrectionFactory(article=ArticleFactory(draft=True))
    correction.text = "Fixed before publication."
    correction.save()
    correction.delete()
    assert not Correction.objects.exists()


def test_updated_time_moves_to_the_corrections_time_never_backwards():
    story = ArticleFactory(published_at=timezone.now() - timedelta(days=2))
    Article.objects.filter(pk=story.pk).update(updated_at=story.published_at)
    noted = story.published_at + timedelta(hours=1)
    CorrectionFactory(article=story, created_at=noted)
    assert Article.objects.get(pk=story.pk).updated_at == noted
    CorrectionFactory(article=story, created_at=story.published_at)
    assert Article.objects.get(pk=story.pk).updated_at == noted
