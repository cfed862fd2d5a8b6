"""The task engine (core/tasks.py) on the real database backend, with real workers."""

from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.tasks import MAX_TRIES, RETRY_DELAYS, enqueue_on_commit
from tests.core import probe_tasks
from tests.factories import StaffFactory, SuperuserFactory
from tests.helpers import logged_in, run_tasks

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_a_save_that_rolls_back_enqueues_nothing(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        enqueue_on_commit(probe_tasks.note, "never")
        raise RuntimeError("the editor's save failed")
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db
def test_a_task_is_enqueued_once_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as pending:
        enqueue_on_commit(probe_tasks.note, "after commit")
        assert not DBTaskResult.objects.exists()
    pending[0]()
    assert DBTaskResult.objects.get().status == TaskResultStatus.READY
    run_tasks()
    assert cache.get("probe:notes") == ["after commit"]


@pytest.mark.django_db
def test_a_task_that_keeps_failing_stops_after_its_tries_and_keeps_each_error():
    """Six tries over about a quarter of an hour, then failed for good (not forever)."""
    with time_machine.travel(timezone.now(), tick=False) as clock:
        probe_tasks.broken.enqueue("bug")
        run_tasks()
        for delay in RETRY_DELAYS:
            clock.shift(timedelta(seconds=delay - 1))
            run_tasks()  # Not due yet: nothing runs early.
            assert cache.get("probe:broken-tries") == RETRY_DELAYS.index(delay) + 1
            clock.shift(timedelta(seconds=1))
            run_tasks()
        clock.shift(timedelta(hours=1))
        run_tasks()
    assert cache.get("probe:broken-tries") == MAX_TRIES == 6
    assert sum(RETRY_DELAYS) == 930  # 15.5 minutes
    results = DBTaskResult.objects.order_by("enqueued_at")
    assert [result.status for result in results] == [TaskResultStatus.FAILED] * MAX_TRIES
    assert [r.exception_class_path.rsplit(".")[-1] for r in results] == [
        *["WillRetry"] * (MAX_TRIES - 1),
        "ZeroDivisionError",
    ]
    assert "ZeroDivisionError: bug" in results[0].traceback


@pytest.mark.django_db
def test_superusers_see_tasks_with_their_arguments_and_errors_and_nobody_else(request):
    probe_tasks.broken.enqueue("shown-argument")
    probe_tasks.note.enqueue("waiting")
    run_tasks()
    changelist = reverse("admin:django_tasks_database_dbtaskresult_changelist")
    page = logged_in(SuperuserFactory()).get(changelist).content.decode()
    assert "will retry" in page and "broken" in page and "note" in page
    failed = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).first()
    detail = reverse("admin:django_tasks_database_dbtaskresult_change", args=[failed.pk])
    page = logged_in(SuperuserFactory(username="root2")).get(detail).content.decode()
    assert "shown-argument" in page and "ZeroDivisionError" in page
    for role in ["editor", "moderator", "journalist"]:
        user = request.getfixturevalue(role)
        assert logged_in(user).get(changelist).status_code == 403
        assert logged_in(user).get(detail).status_code == 403
    assert logged_in(StaffFactory()).get(changelist).status_code == 403
