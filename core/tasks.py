"""Background work: Django's task API (the django-tasks backport of Django 6.0's
``django.tasks``), so nothing slow or remote runs inside an editor's or reader's request.

The rules every task here follows:

* **Enqueued after commit** (``enqueue_on_commit``): a save that rolls back enqueues
  nothing, and a worker never looks for a row that is not committed yet.
* **Retried with backoff** (``@retried``, under ``@task``): a try that raises is tried
  again ``RETRY_DELAYS`` later (30 s, 1, 2, 4 and 8 minutes: six tries over about a
  quarter of an hour), then stops for good with its error kept on the task's result. A
  remote side that is down gets time to come back; a task's own bug stops after the same
  tries instead of running forever. An earlier try that failed is recorded as failed with
  ``WillRetry``, so the task list tells "retried" from "failed for good".
* **Idempotent**: running a task twice has the effect of running it once (each says how
  in its docstring), because a retry or a second worker may run it again. A side effect
  that cannot be repeated (an email) is done under ``claimed()``.
* **Planned for a time** with ``enqueue_at`` (``run_after``), never with a cron of our own:
  the task checks when it runs that the time it was planned for still holds.

The backend is the database (django-tasks-db) unless ``TASKS_BACKEND`` says otherwise;
workers are ``manage.py db_worker`` processes (docs/deploy.md).
"""

import contextlib
import functools
import logging
from datetime import UTC, timedelta

from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus, task_backends

logger = logging.getLogger("newsroom.tasks")

RETRY_DELAYS = (30, 60, 120, 240, 480)  # seconds before tries 2 to 6
MAX_TRIES = len(RETRY_DELAYS) + 1


class WillRetry(Exception):
    """This try failed and the next one is planned: the error is its ``__cause__``."""


def enqueue_on_commit(task, *args, **kwargs):
    """Enqueue ``task`` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: task.enqueue(*args, **kwargs))


def enqueue_at(when, task, *args, **kwargs):
    """Enqueue ``task`` to run at ``when`` (an aware datetime), after commit."""
    transaction.on_commit(lambda: task.using(run_after=when).enqueue(*args, **kwargs))


def retried(function):
    """Try ``function`` again later when it raises, up to ``MAX_TRIES`` in all.

    Goes under ``@task``; the task takes a keyword ``attempt`` (1 on the first try) that
    callers leave out.
    """

    @functools.wraps(function)
    def attempt_once(*args, attempt=1, **kwargs):
        try:
            return function(*args, **kwargs)
        except Exception as error:
            if attempt >= MAX_TRIES:
                logger.error("task %s failed for good after %d tries", function.__name__, attempt)
                raise
            delay = RETRY_DELAYS[attempt - 1]
            # The Task that wraps this function, by the name it is registered under.
            task = import_string(f"{function.__module__}.{function.__qualname__}")
            task.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
                *args, attempt=attempt + 1, **kwargs
            )
            logger.warning(
                "task %s failed (try %d of %d), trying again in %d s",
                function.__name__, attempt, MAX_TRIES, delay,
            )  # fmt: skip
            raise WillRetry(f"try {attempt} of {MAX_TRIES} failed; next in {delay} s") from error

    return attempt_once


@contextlib.contextmanager
def claimed(row, field):
    """Yield whether this copy of a task may do the once-only work of ``row`` (a queryset
    of one row): it may if it stamps ``field``, a nullable datetime, from empty to now.

    The stamp is a conditional UPDATE, so of two copies running at once one wins on any
    database (the UPDATE locks the row and checks the condition again), and a later copy
    finds the stamp. If the block raises, the stamp is taken back so the next try does the
    work; a worker killed inside the block leaves it stamped, so the work is not done again
    (at most once: a lost email is better than the same one sent over and over).
    """
    won = row.filter(**{field: None}).update(**{field: timezone.now()}) == 1
    try:
        yield won
    except BaseException:
        if won:
            row.update(**{field: None})
        raise


def is_waiting(task, *args):
    """Whether a copy of ``task`` with these arguments already waits in the queue, so that
    planning again (``manage.py plan_tasks``, hourly from cron) adds none. Known for the
    database backend; on RQ this says no and a second copy runs (tasks are idempotent)."""
    if type(task.get_backend()).__module__.startswith("django_tasks_rq"):
        return False
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        status=TaskResultStatus.READY,
        task_path=task.module_path,
        args_kwargs={"args": list(args), "kwargs": {}},
    ).exists()


def oldest_waiting_seconds():
    """How long the longest-waiting task that is due has waited for a worker, in seconds
    (0 when none waits). A growing age means the workers are gone or cannot keep up."""
    backend = task_backends["default"]
    if type(backend).__module__.startswith("django_tasks_rq"):
        waiting_since = _rq_waiting_since(backend)
    else:
        waiting_since = _database_waiting_since(backend)
    if waiting_since is None:
        return 0
    return max(0, round((timezone.now() - waiting_since).total_seconds()))


def _database_waiting_since(backend):
    from django_tasks_db.models import DBTaskResult, get_date_max

    due = DBTaskResult.objects.ready().filter(backend_name=backend.alias)
    # A task without a time waits since it was enqueued; a planned one since its time.
    moments = [
        due.filter(run_after=get_date_max()).aggregate(moment=Min("enqueued_at"))["moment"],
        due.exclude(run_after=get_date_max()).aggregate(moment=Min("run_after"))["moment"],
    ]
    return min((moment for moment in moments if moment is not None), default=None)


def _rq_waiting_since(backend):
    import django_rq  # Installed with the "rq" extra only.

    # RQ's scheduler moves a planned job into the queue when its time comes, so the
    # queue's head is the longest-waiting job that is due.
    queue = django_rq.get_queue(next(iter(backend.queues)))
    head = queue.get_job_ids(0, 0)
    job = queue.fetch_job(head[0]) if head else None
    if job is None or job.enqueued_at is None:
        return None
    moment = job.enqueued_at
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)
