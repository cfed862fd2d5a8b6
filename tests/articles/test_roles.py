"""Roles: what journalists, editors and moderators may do to stories, enforced on the server."""

import importlib
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.services import article_transition
from tests.factories import ArticleFactory, SectionFactory, StaffFactory
from tests.helpers import ADD_URL, change_url, local_time, logged_in, story_form_data

pytestmark = pytest.mark.django_db


def post_change(client, story, **changes):
    return client.post(change_url(story), story_form_data(story, **changes))


def refused(response):
    """403, or the form shown again with an error: never a redirect after saving."""
    if response.status_code == 403:
        return True
    form = response.context and response.context.get("adminform")
    return response.status_code == 200 and bool(form and form.form.errors)


def act_create(client, user, other):
    section = SectionFactory()
    response = client.post(ADD_URL, story_form_data(section=section, headline="Fresh story"))
    return response, Article.objects.filter(headline="Fresh story").exists()


def act_edit_own_draft(client, user, other):
    story = ArticleFactory(draft=True, created_by=user)
    response = post_change(client, story, headline="Rewritten")
    return response, Article.objects.get(pk=story.pk).headline == "Rewritten"


def act_edit_others_draft(client, user, other):
    story = ArticleFactory(draft=True, created_by=other)
    response = post_change(client, story, headline="Rewritten")
    return response, Article.objects.get(pk=story.pk).headline == "Rewritten"


def act_submit(client, user, other):
    story = ArticleFactory(draft=True, created_by=user)
    response = post_change(client, story, _workflow="submit")
    return response, Article.objects.get(pk=story.pk).status == Article.Status.REVIEW


def act_publish(client, user, other):
    story = ArticleFactory(draft=True, created_by=user)
    response = post_change(client, story, _workflow="publish")
    return response, Article.objects.get(pk=story.pk).is_published


def act_schedule(client, user, other):
    story = ArticleFactory(draft=True, created_by=user)
    when_input = local_time(timezone.now() + timedelta(days=2))
    response = post_change(client, story, _workflow="schedule", published_at=when_input)
    return response, Article.objects.get(pk=story.pk).is_scheduled


def act_return(client, user, other):
    story = ArticleFactory(status=Article.Status.REVIEW, published_at=None, created_by=other)
    response = post_change(client, story, _workflow="return", workflow_note="Check the figures")
    return response, Article.objects.get(pk=story.pk).status == Article.Status.DRAFT


def act_unpublish(client, user, other):
    story = ArticleFactory(created_by=user)
    response = post_change(client, story, _workflow="unpublish")
    return response, Article.objects.get(pk=story.pk).status == Article.Status.UNPUBLISHED


def act_delete_published(client, user, other):
    story = ArticleFactory(created_by=user)
    response = client.post(
        reverse("admin:articles_article_delete", args=[story.pk]), {"post": "yes"}
    )
    return response, not Article.objects.filter(pk=story.pk).exists()


ACTIONS = {
    "create": act_create,
    "edit own draft": act_edit_own_draft,
    "edit other's draft": act_edit_others_draft,
    "submit": act_submit,
    "publish": act_publish,
    "schedule": act_schedule,
    "return to author": act_return,
    "unpublish": act_unpublish,
    "delete published": act_delete_published,
}
ALLOWED = {
    "journalist": {"create", "edit own draft", "submit"},
    "editor": set(ACTIONS),
    "moderator": set(),
}
# "moderate" (journalists have no access to comment moderation) is tested by the comments
# app, which owns the comment models and grants their permissions to these roles.


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ALLOWED)
def test_role_matrix(request, role, action, other_journalist):
    """Each role may do exactly its allowed actions; every other attempt is refused by the
    server (403 or a form error) and changes nothing."""
    user = request.getfixturevalue(role)
    response, happened = ACTIONS[action](logged_in(user), user, other_journalist)
    if action in ALLOWED[role]:
        assert happened, response.status_code
        assert response.status_code == 302
    else:
        assert not happened
        assert refused(response), response.status_code


def test_crafted_post_cannot_publish_a_journalists_draft(journalist):
    """Status and publication time are not the journalist's to set, whatever the POST says."""
    story = ArticleFactory(draft=True, created_by=journalist)
    when_input = local_time(timezone.now() - timedelta(hours=1))
    response = post_change(
        logged_in(journalist), story, status="published", published_at=when_input,
        breaking_until=when_input,
    )  # fmt: skip
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT
    assert story.published_at is None and story.breaking_until is None


def test_journalist_cannot_edit_own_story_once_submitted(journalist):
    story = ArticleFactory(status=Article.Status.REVIEW, published_at=None, created_by=journalist)
    assert post_change(logged_in(journalist), story, headline="Sneaky").status_code == 403


def test_journalist_can_delete_own_draft_but_not_anothers(journalist, other_journalist):
    client = logged_in(journalist)
    mine = ArticleFactory(draft=True, created_by=journalist)
    theirs = ArticleFactory(draft=True, created_by=other_journalist)
    for story, status in [(mine, 302), (theirs, 403)]:
        url = reverse("admin:articles_article_delete", args=[story.pk])
        assert client.post(url, {"post": "yes"}).status_code == status
    assert list(Article.objects.all()) == [theirs]


def test_publish_action_is_not_offered_to_journalists_nor_obeyed(journalist, editor):
    story = ArticleFactory(draft=True, created_by=journalist)
    changelist = reverse("admin:articles_article_changelist")
    client = logged_in(journalist)
    assert "publish_now" not in client.get(changelist).content.decode()
    client.post(changelist, {"action": "publish_now", "_selected_action": [story.pk]})
    assert Article.objects.get(pk=story.pk).status == Article.Status.DRAFT
    logged_in(editor).post(changelist, {"action": "publish_now", "_selected_action": [story.pk]})
    assert Article.objects.get(pk=story.pk).is_published


def test_workflow_rules_hold_outside_the_admin(journalist):
    """The model-level function refuses too, whatever calls it."""
    story = ArticleFactory(draft=True, created_by=journalist)
    with pytest.raises(PermissionDenied):
        article_transition(article=story, user=journalist, action="publish")
    assert Article.objects.get(pk=story.pk).status == Article.Status.DRAFT


def test_moderators_have_no_access_to_stories(moderator):
    client = logged_in(moderator)
    assert client.get(reverse("admin:articles_article_changelist")).status_code == 403
    assert client.get(change_url(ArticleFactory())).status_code == 403


class TestRolesMigration:
    def test_groups_exist_with_their_permissions(self):
        editors = Group.objects.get(name="Editors").permissions.values_list("codename", flat=True)
        journalists = Group.objects.get(name="Journalists").permissions.values_list(
            "codename", flat=True
        )
        assert {"publish_article", "return_article", "change_section", "change_sociallink"} <= set(
            editors
        )
        assert "add_article" in journalists and "publish_article" not in journalists
        # Moderators may look at the front page (issue 17), and at nothing else of stories.
        moderators = Group.objects.get(name="Moderators").permissions
        assert set(
            moderators.filter(content_type__app_label="articles").values_list(
                "codename", flat=True
            )
        ) == {"view_frontpageslot", "view_frontpagechange"}

    def test_running_it_again_changes_nothing(self):
        migration = importlib.import_module("newsroom.migrations.0002_roles")
        apps = MigrationExecutor(connection).loader.project_state(("newsroom", "0002_roles")).apps

        def snapshot():
            return {group.name: sorted(group.permissions.values_list("pk", flat=True))
                    for group in Group.objects.all()}  # fmt: skip

        before = snapshot()
        migration.create_roles(apps, None)
        migration.create_roles(apps, None)
        assert snapshot() == before
        assert Group.objects.count() == 3


def test_add_to_role_command_makes_a_staff_journalist():
    user = StaffFactory(username="newbie", is_staff=False)
    out = StringIO()
    call_command("add_to_role", "newbie", "journalist", stdout=out)
    user.refresh_from_db()
    assert user.is_staff and user.groups.filter(name="Journalists").exists()
    assert "Journalists" in out.getvalue()
