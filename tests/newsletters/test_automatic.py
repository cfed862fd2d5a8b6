"""Newsletters that send themselves: daily or weekly at their time on the site's clock,
one issue per slot however often the task runs, none when there is no new story, and the
chain of slots planned again by a save, by the previous slot and by ``plan_tasks``."""

from datetime import datetime, time, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from newsletters.automatic import automatic_plan, send_automatic_issue
from newsletters.models import Issue, Newsletter
from tests.factories import ArticleFactory
from tests.helpers import logged_in

from .conftest import subscribed

pytestmark = pytest.mark.django_db
BAKU = ZoneInfo("Asia/Baku")
TASK = "newsletters.automatic.send_automatic_issue"


def waiting():
    return DBTaskResult.objects.filter(task_path=TASK, status="READY")


@pytest.fixture
def daily(briefing):
    briefing.cadence = Newsletter.Cadence.DAILY
    briefing.send_time = time(7, 30)
    briefing.save()
    subscribed(briefing, "ana@example.com")
    return briefing


def test_a_daily_slot_is_the_send_time_today_or_tomorrow_on_the_site_clock(settings, daily):
    settings.TIME_ZONE = "Asia/Baku"
    before = datetime(2026, 12, 3, 6, 0, tzinfo=BAKU)
    assert daily.slot_after(before) == datetime(2026, 12, 3, 7, 30, tzinfo=BAKU)
    at = datetime(2026, 12, 3, 7, 30, tzinfo=BAKU)
    assert daily.slot_after(at) == datetime(2026, 12, 4, 7, 30, tzinfo=BAKU)
    assert daily.is_slot(at) and not daily.is_slot(at + timedelta(minutes=1))


def test_a_weekly_slot_falls_on_its_weekday(settings, briefing):
    settings.TIME_ZONE = "Asia/Baku"
    briefing.cadence = Newsletter.Cadence.WEEKLY
    briefing.weekday = Newsletter.Weekday.MONDAY
    briefing.send_time = time(9)
    thursday = datetime(2026, 12, 3, 12, 0, tzinfo=BAKU)
    assert briefing.slot_after(thursday) == datetime(2026, 12, 7, 9, 0, tzinfo=BAKU)
    monday_late = datetime(2026, 12, 7, 10, 0, tzinfo=BAKU)
    assert briefing.slot_after(monday_late) == datetime(2026, 12, 14, 9, 0, tzinfo=BAKU)
    briefing.cadence = Newsletter.Cadence.NONE
    assert briefing.slot_after(thursday) is None


def test_saving_a_newsletter_in_the_admin_plans_its_next_issue(
    editor, briefing, django_capture_on_commit_callbacks
):
    url = reverse("admin:newsletters_newsletter_change", args=[briefing.pk])
    data = {
        "name": briefing.name, "slug": briefing.slug, "language": "en", "tagline": "",
        "is_active": "on", "position": 0, "cadence": "daily", "send_time": "07:30:00",
        "weekday": 0,
    }  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in(editor).post(url, data)
    assert response.status_code == 302
    planned = waiting().get()
    slot = Newsletter.objects.get().slot_after(timezone.now())
    assert planned.run_after == slot
    assert planned.args_kwargs["args"] == [briefing.pk, slot.isoformat()]


def test_the_slot_sends_its_issue_once_and_plans_the_next(daily, sent):
    story = ArticleFactory(headline="Rain at last")
    slot = daily.slot_after(timezone.now())
    with sent:
        automatic_plan(daily)
    with time_machine.travel(slot + timedelta(seconds=5), tick=False):
        with sent:
            pass  # The worker runs what is due: the slot's task, then the issue's batches.
        with sent:
            send_automatic_issue.enqueue(daily.pk, slot.isoformat())  # A second copy.
    issue = Issue.objects.get()
    assert issue.period == slot and issue.status == Issue.Status.SENT
    assert list(issue.stories.all()) == [story]
    assert [message.to for message in mail.outbox] == [["ana@example.com"]]
    assert "Rain at last" in mail.outbox[0].body
    assert waiting().get().run_after == daily.slot_after(slot)  # One chain goes on.


def test_no_issue_when_nothing_was_published_since_the_last_one(daily, sent):
    ArticleFactory(published_at=timezone.now() - timedelta(hours=3))
    earlier = Issue.objects.create(
        newsletter=daily, subject="By hand", status=Issue.Status.SENT,
        send_at=timezone.now() - timedelta(hours=2), sent_at=timezone.now(),
    )  # fmt: skip
    slot = daily.slot_after(timezone.now())
    with time_machine.travel(slot + timedelta(seconds=5), tick=False), sent:
        send_automatic_issue.enqueue(daily.pk, slot.isoformat())
    assert list(Issue.objects.all()) == [earlier]
    assert mail.outbox == []
    assert waiting().get().run_after == daily.slot_after(slot)  # Tomorrow may have news.


def test_a_slot_the_schedule_no_longer_has_sends_nothing(daily, sent):
    ArticleFactory()
    slot = daily.slot_after(timezone.now())
    daily.send_time = time(18)
    daily.save()
    with time_machine.travel(slot + timedelta(seconds=5), tick=False), sent:
        send_automatic_issue.enqueue(daily.pk, slot.isoformat())
    assert not Issue.objects.exists()
    assert not waiting().exists()  # The save in the admin plans the new time.


def test_plan_tasks_plans_the_automatic_newsletters_again_once(
    daily, django_capture_on_commit_callbacks
):
    out = StringIO()
    for _hour in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("plan_tasks", stdout=out)
    assert "Planned the next issue of 1 automatic newsletter(s)." in out.getvalue()
    assert waiting().get().run_after == daily.slot_after(timezone.now())
