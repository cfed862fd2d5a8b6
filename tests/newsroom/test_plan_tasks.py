"""``manage.py plan_tasks``: everything that must run at a time is planned again after the
queue was emptied, and running it again sends nothing twice."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.services import article_transition
from comments.models import ModerationDigest
from tests.factories import ArticleFactory, CommentFactory
from tests.helpers import run_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan_tasks(django_capture_on_commit_callbacks):
    """Run the command as at a server's start: its tasks are enqueued when it commits."""

    def run():
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("plan_tasks", stdout=out)
        return out.getvalue()

    return run


def waiting(task_path):
    return DBTaskResult.objects.filter(task_path=task_path, status="READY")


def test_an_emptied_queue_gets_the_go_live_purge_and_the_digest_back(
    settings, editor, plan_tasks, django_capture_on_commit_callbacks
):
    settings.CDN_PURGE_URL = "http://192.0.2.1:9/purge?url={url}"  # Never reached here.
    draft = ArticleFactory(draft=True)
    goes_live = timezone.now() + timedelta(hours=5)
    with django_capture_on_commit_callbacks(execute=True):
        article_transition(article=draft, user=editor, action="schedule", published_at=goes_live)
    plan_tasks()
    DBTaskResult.objects.all().delete()  # The queue is emptied (a restore, a flushed Redis).
    slot = ModerationDigest.slot_after(timezone.now())
    output = plan_tasks()
    assert output == (
        f"Planned 1 go-live purge(s) and the moderators' digest at {slot:%Y-%m-%d %H:%M %Z}.\n"
    )
    purge = waiting("articles.cdn.purge_story_at_go_live").get()
    assert purge.run_after == goes_live
    assert purge.args_kwargs["args"] == [draft.pk, goes_live.isoformat()]
    digest = waiting("comments.tasks.email_review_digest").get()
    assert digest.run_after == slot and digest.args_kwargs["args"] == [slot.isoformat()]


def test_without_a_cdn_no_purge_is_planned(plan_tasks):
    ArticleFactory(published_at=timezone.now() + timedelta(hours=1))
    assert plan_tasks().startswith("Planned no CDN purge and the moderators' digest at ")
    assert not waiting("articles.cdn.purge_story_at_go_live").exists()


def test_planning_twice_sends_the_digest_once(
    moderator, plan_tasks, django_capture_on_commit_callbacks
):
    CommentFactory(status="pending")
    plan_tasks()
    plan_tasks()
    slot = ModerationDigest.slot_after(timezone.now())
    assert waiting("comments.tasks.email_review_digest").count() == 2  # A copy waits...
    with (
        time_machine.travel(slot + timedelta(seconds=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        run_tasks()
    assert len(mail.outbox) == 1  # ...and sends nothing: the slot went once.
    assert waiting("comments.tasks.email_review_digest").count() == 1  # One chain goes on.


def test_a_digest_missed_while_the_queue_was_empty_goes_out_at_once(
    moderator, plan_tasks, django_capture_on_commit_callbacks
):
    CommentFactory(status="pending")
    missed = ModerationDigest.slot_after(timezone.now() - timedelta(days=1))
    ModerationDigest.objects.create(slot=missed)  # Planned, but its task was lost.
    plan_tasks()
    with django_capture_on_commit_callbacks(execute=True):
        run_tasks()
    assert len(mail.outbox) == 1
    assert ModerationDigest.objects.get(slot=missed).sent_at is not None
    plan_tasks()
    with django_capture_on_commit_callbacks(execute=True):
        run_tasks()
    assert len(mail.outbox) == 1  # Sent already: not again.


def test_planning_every_hour_keeps_one_go_live_purge_per_story(
    settings, editor, plan_tasks, django_capture_on_commit_callbacks
):
    """The cron safety net runs it hourly: a story scheduled a week ahead keeps one copy."""
    settings.CDN_PURGE_URL = "http://192.0.2.1:9/purge?url={url}"
    draft = ArticleFactory(draft=True)
    with django_capture_on_commit_callbacks(execute=True):
        article_transition(
            article=draft,
            user=editor,
            action="schedule",
            published_at=timezone.now() + timedelta(days=7),
        )
    for _hour in range(3):
        plan_tasks()
    assert waiting("articles.cdn.purge_story_at_go_live").count() == 1
