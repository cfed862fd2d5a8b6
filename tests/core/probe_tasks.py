"""Tasks for testing the task engine itself: each leaves a trace a test can count."""

from django.core.cache import cache
from django_tasks import task

from core.tasks import retried


@task()
def note(label, path=None):
    """Append ``label`` to the file at ``path`` (one line per run, so runs can be counted
    across worker processes), or to the cache list "probe:notes"."""
    if path is not None:
        with open(path, "a", encoding="utf-8") as trace:
            trace.write(f"{label}\n")
    else:
        cache.set("probe:notes", [*cache.get("probe:notes", []), label], timeout=None)


@task()
@retried
def broken(label):
    """A task with a bug: it raises on every try."""
    cache.set("probe:broken-tries", cache.get("probe:broken-tries", 0) + 1, timeout=None)
    raise ZeroDivisionError(label)
