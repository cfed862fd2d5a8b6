"""``manage.py bench_newsletter`` sends every delivery through the real worker and SMTP,
prints its figures, and leaves nothing behind but what was there (no timing asserted:
the figures go to docs/performance.md).

Here rather than in tests/demo: it commits for real, and its flush must run after the
browser tests in pytest-django's order (as tests/newsroom/test_workers.py's), or the
browser tests' demo dump no longer finds its content types."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from newsletters.models import Delivery, Issue, Newsletter, Subscriber
from tests.factories import ArticleFactory

# Committed for real, as the command is run: the sending is enqueued when issue_send
# commits, and the worker (between its tasks) closes connections.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("backend", ["smtp", "console"])
def test_the_bench_sends_each_delivery_and_cleans_up(backend):
    editors = Newsletter.objects.create(name="Morning briefing", slug="morning", language="en")
    Subscriber.objects.create(newsletter=editors, email="ana@example.com", status="confirmed")
    ArticleFactory(headline="Rain at last")
    out = StringIO()
    call_command("bench_newsletter", "--deliveries", "30", "--backend", backend, stdout=out)
    line = out.getvalue()
    assert re.search(r": 30 of 30 deliveries sent \(issue sent, 1 stories, batches of \d+\)", line)
    assert re.search(r"[\d,]+ deliveries/s; CPU [\d.]+ s; resident memory \d+ MB", line)
    # The editors' newsletter and reader are untouched; the bench's rows are gone.
    assert list(Newsletter.objects.all()) == [editors]
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["ana@example.com"]
    assert not Issue.objects.exists() and not Delivery.objects.exists()
