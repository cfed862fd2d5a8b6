"""The emails to moderators (comments/tasks.py): sent by a real database worker after
commit, once each, retried while the mail server fails; the digest planned slot after slot
without a cron."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from comments.models import ModerationDigest, Report
from comments.services import report_create
from comments.tasks import digest_plan, email_illegal_content_alert, email_review_digest
from core.tasks import MAX_TRIES, RETRY_DELAYS
from tests.factories import CommentFactory
from tests.helpers import closed_port, run_tasks

pytestmark = pytest.mark.django_db

ALERT = "comments.tasks.email_illegal_content_alert"
DIGEST = "comments.tasks.email_review_digest"


@pytest.fixture
def mail_server_down(settings):
    """Real SMTP against a port on loopback where nothing listens: the connection is
    refused, as when the outlet's mail server is down."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port()


def waiting(task_path):
    return DBTaskResult.objects.filter(task_path=task_path, status="READY")


def illegal_report(review):
    return Report.objects.create(comment=review, reason="illegal", reporter_hash="r1")


def test_a_rolled_back_report_enqueues_no_alert(moderator, django_capture_on_commit_callbacks):
    review = CommentFactory()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        report_create(comment=review, reason="illegal", reporter_hash="r1")
        raise RuntimeError("the request failed after the report")
    assert not DBTaskResult.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        report_create(comment=review, reason="illegal", reporter_hash="r2")
    assert waiting(ALERT).count() == 1  # The same report, committed, enqueues its alert.
    run_tasks()
    assert len(mail.outbox) == 1


def test_running_the_alert_twice_sends_it_once(moderator):
    report = illegal_report(CommentFactory())
    assert email_illegal_content_alert.call(report.pk) == "sent"
    assert email_illegal_content_alert.call(report.pk) == "already sent"
    email_illegal_content_alert.enqueue(report.pk)  # A duplicate that a worker runs.
    run_tasks()
    assert len(mail.outbox) == 1
    assert Report.objects.get().alert_sent_at is not None


def test_an_alert_the_mail_server_refuses_is_retried_then_fails_for_good(
    moderator, mail_server_down
):
    report = illegal_report(CommentFactory())
    with time_machine.travel(timezone.now(), tick=False) as clock:
        email_illegal_content_alert.enqueue(report.pk)
        run_tasks()
        for delay in RETRY_DELAYS:
            clock.shift(timedelta(seconds=delay))
            run_tasks()
        clock.shift(timedelta(hours=1))
        run_tasks()
    tries = DBTaskResult.objects.filter(task_path=ALERT).order_by("enqueued_at")
    assert [result.status for result in tries] == ["FAILED"] * MAX_TRIES
    assert [result.exception_class_path.rsplit(".")[-1] for result in tries] == [
        *["WillRetry"] * (MAX_TRIES - 1),
        "ConnectionRefusedError",
    ]
    assert Report.objects.get().alert_sent_at is None  # Not recorded as sent.
    assert mail.outbox == []


def test_an_alert_that_failed_is_sent_by_the_retry(moderator, mail_server_down, settings):
    """The failed try gave its claim back, so the next try sends (once)."""
    report = illegal_report(CommentFactory())
    with time_machine.travel(timezone.now(), tick=False) as clock:
        email_illegal_content_alert.enqueue(report.pk)
        run_tasks()
        assert Report.objects.get().alert_sent_at is None
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # Back up.
        clock.shift(timedelta(seconds=RETRY_DELAYS[0]))
        run_tasks()
    statuses = DBTaskResult.objects.order_by("enqueued_at").values_list("status", flat=True)
    assert list(statuses) == ["FAILED", "SUCCESSFUL"]
    assert len(mail.outbox) == 1
    assert Report.objects.get().alert_sent_at is not None


# The digest -------------------------------------------------------------------------------
def test_the_digest_hour_is_a_setting_on_the_sites_clock(settings):
    settings.TIME_ZONE, settings.MODERATION_DIGEST_HOUR = "Asia/Baku", 6  # UTC+4
    zone = timezone.get_default_timezone()
    before = datetime(2030, 3, 4, 5, 59, tzinfo=zone)
    assert ModerationDigest.slot_after(before) == datetime(2030, 3, 4, 6, tzinfo=zone)
    at = datetime(2030, 3, 4, 6, tzinfo=zone)
    assert ModerationDigest.slot_after(at) == datetime(2030, 3, 5, 6, tzinfo=zone)
    assert ModerationDigest.slot_after(at).isoformat() == "2030-03-05T06:00:00+04:00"


def test_the_digest_goes_out_at_its_hour_from_a_worker_and_plans_the_next(
    moderator, django_capture_on_commit_callbacks
):
    CommentFactory.create_batch(2, status="pending")
    slot = ModerationDigest.slot_after(timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        digest_plan(slot)
    run_tasks()
    assert mail.outbox == []  # Not before its time...
    with (
        time_machine.travel(slot + timedelta(seconds=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        run_tasks()
    assert [message.subject for message in mail.outbox] == ["2 reviews waiting for moderation"]
    assert ModerationDigest.objects.get(slot=slot).sent_at is not None
    following = waiting(DIGEST).get()  # ...and the chain goes on, a day later.
    assert following.run_after == slot + timedelta(days=1)
    assert following.args_kwargs["args"] == [(slot + timedelta(days=1)).isoformat()]


def test_a_digest_run_late_plans_the_next_slot_to_come_not_the_missed_ones(
    moderator, django_capture_on_commit_callbacks
):
    """Workers down for three days: one digest when they are back, then the usual hour."""
    CommentFactory(status="pending")
    slot = ModerationDigest.slot_after(timezone.now())
    ModerationDigest.objects.create(slot=slot)
    email_review_digest.using(run_after=slot).enqueue(slot.isoformat())
    back = slot + timedelta(days=3, hours=1)
    with time_machine.travel(back, tick=False), django_capture_on_commit_callbacks(execute=True):
        run_tasks()
    assert len(mail.outbox) == 1
    assert waiting(DIGEST).get().run_after == slot + timedelta(days=4)


def test_running_the_digest_of_a_slot_twice_sends_it_once(moderator):
    CommentFactory(status="pending")
    slot = ModerationDigest.slot_after(timezone.now())
    ModerationDigest.objects.create(slot=slot)
    with time_machine.travel(slot, tick=False):
        assert email_review_digest.call(slot.isoformat()) == "sent"
        assert email_review_digest.call(slot.isoformat()) == "already sent"
    assert len(mail.outbox) == 1


def test_two_digest_chains_collapse_into_one(moderator, django_capture_on_commit_callbacks):
    CommentFactory(status="pending")
    slot = ModerationDigest.slot_after(timezone.now())
    ModerationDigest.objects.create(slot=slot)
    for _copy in range(2):
        email_review_digest.using(run_after=slot).enqueue(slot.isoformat())
    for day in range(3):
        with (
            time_machine.travel(slot + timedelta(days=day, seconds=1), tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            run_tasks()
        assert len(mail.outbox) == day + 1  # One digest a day, not two.
        assert waiting(DIGEST).count() == 1  # One chain goes on.
    assert ModerationDigest.objects.count() == 4


def test_a_digest_the_mail_server_refuses_is_retried_and_the_chain_goes_on(
    moderator, mail_server_down, django_capture_on_commit_callbacks
):
    CommentFactory(status="pending")
    slot = ModerationDigest.slot_after(timezone.now())
    ModerationDigest.objects.create(slot=slot)
    email_review_digest.using(run_after=slot).enqueue(slot.isoformat())
    with (
        time_machine.travel(slot, tick=False) as clock,
        django_capture_on_commit_callbacks(execute=True),
    ):
        run_tasks()
        for delay in RETRY_DELAYS:
            clock.shift(timedelta(seconds=delay))
            run_tasks()
    tries = DBTaskResult.objects.filter(run_after__lt=slot + timedelta(hours=1))
    assert list(tries.values_list("status", flat=True)) == ["FAILED"] * MAX_TRIES
    assert ModerationDigest.objects.get(slot=slot).sent_at is None
    assert waiting(DIGEST).get().run_after == slot + timedelta(days=1)  # Planned once.
