"""Merging tags in the admin: for editors, from tags chosen in the list."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from taggit.models import Tag

from tests.factories import ArticleFactory
from tests.helpers import logged_in

pytestmark = pytest.mark.django_db
MERGE = reverse("admin:taggit_tag_merge_tags")
CHANGELIST = reverse("admin:taggit_tag_changelist")


def test_an_editor_merges_two_spellings_into_one(editor):
    story = ArticleFactory()
    story.tags.add("Fizuli", "Fuzuli")
    client = logged_in(editor)
    chosen = list(Tag.objects.values_list("pk", flat=True))
    response = client.post(CHANGELIST, {"action": "render_tag_form", ACTION_CHECKBOX_NAME: chosen})
    assert response.status_code == 302 and response["Location"].endswith("merge-tags/")
    assert client.post(MERGE, {"new_tag_name": "Füzuli"}).status_code == 302
    assert list(story.tags.names()) == ["Füzuli"]


@pytest.mark.parametrize("role", ["journalist", "moderator"])
def test_only_editors_may_merge(role, request):
    user = request.getfixturevalue(role)
    client = logged_in(user)
    assert client.get(MERGE).status_code == 403
    assert client.post(MERGE, {"new_tag_name": "Planted"}).status_code == 403
    assert not Tag.objects.filter(name="Planted").exists()


def test_the_merge_action_is_not_offered_to_journalists(journalist):
    page = logged_in(journalist).get(CHANGELIST).content.decode()
    assert "render_tag_form" not in page


@pytest.mark.parametrize("kept", [None, "", "abc", "999999"])
def test_merging_without_a_valid_choice_says_so(editor, kept):
    """taggit trusts the ids it kept in the session; a missing or stale one was a 500."""
    client = logged_in(editor)
    if kept is not None:
        session = client.session
        session["selected_tag_ids"] = kept
        session.save()
    response = client.post(MERGE, {"new_tag_name": "Orphan"}, follow=True)
    assert response.status_code == 200
    assert "Choose the tags to merge in the list first." in response.content.decode()
    assert not Tag.objects.filter(name="Orphan").exists()
