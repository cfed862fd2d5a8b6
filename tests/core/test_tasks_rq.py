"""The same tasks on the RQ backend (``TASKS_BACKEND=rq``), against the real Redis on
127.0.0.1:6379 (database 11, emptied before and after): retries with backoff, failure for
good after the last try, and a purge that succeeds on its third try, run by RQ's own worker
and scheduler (``rqworker --with-scheduler``), in this process."""

from datetime import timedelta

import django_rq
import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone
from django_tasks import TaskResultStatus, task_backends
from django_tasks_rq import Job
from rq import SimpleWorker

from core.cdn import purge_paths
from core.tasks import MAX_TRIES, RETRY_DELAYS, oldest_waiting_seconds
from tests.conftest import FakeCdn
from tests.core import probe_tasks

pytestmark = pytest.mark.django_db
REDIS = "redis://127.0.0.1:6379/11"


@pytest.fixture
def rq(settings):
    settings.RQ_QUEUES = {"default": {"URL": REDIS}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    queue = django_rq.get_queue("default", job_class=Job)
    queue.connection.flushdb()
    assert type(task_backends["default"]).__name__ == "RQBackend"
    yield queue
    queue.connection.flushdb()


def work(queue):
    """What `manage.py rqworker --burst --with-scheduler` does: move the planned jobs that
    are due into the queue, then run every queued job."""
    worker = SimpleWorker([queue], connection=queue.connection, job_class=Job)
    worker.work(burst=True, with_scheduler=True)


def test_a_task_runs_through_redis(rq):
    result = probe_tasks.note.enqueue("via redis")
    assert oldest_waiting_seconds() >= 0
    work(rq)
    assert cache.get("probe:notes") == ["via redis"]
    assert task_backends["default"].get_result(result.id).status == TaskResultStatus.SUCCESSFUL
    assert oldest_waiting_seconds() == 0


def test_a_task_that_keeps_failing_stops_after_its_tries(rq):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        probe_tasks.broken.enqueue("bug")
        work(rq)
        for delay in RETRY_DELAYS:
            clock.shift(timedelta(seconds=delay + 1))
            work(rq)
        clock.shift(timedelta(hours=1))
        work(rq)
    assert cache.get("probe:broken-tries") == MAX_TRIES
    assert rq.failed_job_registry.count == MAX_TRIES
    assert not rq.scheduled_job_registry.get_job_ids()


def test_a_purge_the_cdn_refuses_twice_is_retried_and_succeeds(rq, fake_cdn):
    FakeCdn.failures_left = 2
    with time_machine.travel(timezone.now(), tick=False) as clock:
        purge_paths.enqueue(["/en/"])
        work(rq)
        clock.shift(timedelta(seconds=RETRY_DELAYS[0] + 1))
        work(rq)
        assert fake_cdn == []
        clock.shift(timedelta(seconds=RETRY_DELAYS[1] + 1))
        work(rq)
    assert fake_cdn == ["https://news.example/en/"]
    assert rq.failed_job_registry.count == 2
    assert rq.finished_job_registry.count == 1
