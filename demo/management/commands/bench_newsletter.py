"""Send one issue to many subscribers through the real pipeline and measure it
(docs/performance.md, "Newsletters").

Creates a "Bench" newsletter with ``--deliveries`` confirmed subscribers at
``bench-N@bench.invalid`` (a name that can never be delivered, RFC 6761), an issue of the
newest stories of its language, sends it with ``issue_send`` and runs the database task
worker in batch mode until the issue is sent: the delivery rows, the batches, one SMTP
connection per batch, each mail rendered, styled and signed as a reader gets it. The
batches follow one another at once (``NEWSLETTER_RATE_PER_MINUTE`` lifted for the run), so
the figure is the pipeline's own speed, not the provider's limit. Prints deliveries per
second, CPU time and peak resident memory, then removes what it made (``--keep`` keeps it).

``--backend smtp`` (the default) talks to a local aiosmtpd server in a child process
that accepts and drops every message; ``--backend console`` writes every message to
/dev/null through Django's console backend (rendering and serialising, no network).
"""

import contextlib
import os
import resource
import socket
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from articles.models import Article
from newsletters.models import Delivery, Issue, IssueStory, Newsletter, Subscriber
from newsletters.services import issue_send

SLUG = "bench"
DOMAIN = "bench.invalid"


def rss_mb():
    """The process's resident memory now, in MB (Linux)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def smtp_sink():
    """A local aiosmtpd server (a test dependency) that drops what it receives."""
    port = free_port()
    command = [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
               "-c", "aiosmtpd.handlers.Sink"]  # fmt: skip
    server = subprocess.Popen(command)  # noqa: S603 (our interpreter, fixed arguments)
    try:
        for _try in range(100):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port)):
                break
            time.sleep(0.05)
        else:
            raise CommandError("the local SMTP server did not start")
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            EMAIL_USE_TLS=False,
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
        ):
            yield f"SMTP to aiosmtpd on 127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait()


@contextlib.contextmanager
def console_to_nowhere():
    with (
        open(os.devnull, "w") as nowhere,
        contextlib.redirect_stdout(nowhere),
        override_settings(EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend"),
    ):
        yield "console backend to /dev/null"


class Command(BaseCommand):
    help = "Send an issue to N made-up subscribers through the task worker and time it."

    def add_arguments(self, parser):
        parser.add_argument("--deliveries", type=int, default=10_000)
        parser.add_argument("--backend", choices=["smtp", "console"], default="smtp")
        parser.add_argument("--stories", type=int, default=8)
        parser.add_argument("--keep", action="store_true", help="Keep the bench's rows.")

    def handle(self, *, deliveries, backend, stories, keep, **options):
        if "django_tasks_db" not in settings.TASKS["default"]["BACKEND"]:
            raise CommandError("The bench runs the database task worker (TASKS_BACKEND=database).")
        self.remove()
        issue = self.prepare(deliveries, stories)
        sink = smtp_sink() if backend == "smtp" else console_to_nowhere()
        with sink as described, override_settings(NEWSLETTER_RATE_PER_MINUTE=10**9):
            before_rss, cpu, started = rss_mb(), cpu_seconds(), time.perf_counter()
            issue_send(issue=issue)
            call_command("db_worker", batch=True, interval=0, startup_delay=False,
                         reload=False, verbosity=0)  # fmt: skip
            wall, cpu = time.perf_counter() - started, cpu_seconds() - cpu
        sent = Delivery.objects.filter(issue=issue, status=Delivery.Status.SENT).count()
        issue.refresh_from_db()
        self.stdout.write(
            f"{described}: {sent:,} of {deliveries:,} deliveries sent "
            f"(issue {issue.get_status_display()}, {len(issue.ordered_stories())} stories, "
            f"batches of {settings.NEWSLETTER_BATCH_SIZE}) in {wall:.1f} s: "
            f"{sent / wall:,.0f} deliveries/s; CPU {cpu:.1f} s; "
            f"resident memory {before_rss:.0f} MB before sending, peak {peak_rss_mb():.0f} MB."
        )
        if not keep:
            self.remove()

    @transaction.atomic
    def prepare(self, deliveries, stories):
        newsletter = Newsletter.objects.create(
            name="Bench", slug=SLUG, language="en", is_active=False, position=999
        )
        now = timezone.now()
        Subscriber.objects.bulk_create(
            (
                Subscriber(newsletter=newsletter, email=f"bench-{n}@{DOMAIN}",
                           status=Subscriber.Status.CONFIRMED, confirmed_at=now)
                for n in range(deliveries)
            ),
            batch_size=2000,
        )  # fmt: skip
        issue = Issue.objects.create(newsletter=newsletter, subject="Bench", intro="Good morning.")
        newest = Article.objects.published().in_language("en").order_by("-published_at")
        IssueStory.objects.bulk_create(
            IssueStory(issue=issue, article=story, position=n)
            for n, story in enumerate(newest[:stories])
        )
        return issue

    @transaction.atomic
    def remove(self):
        """What an earlier run made: only the bench's own newsletter and addresses."""
        Issue.objects.filter(newsletter__slug=SLUG, newsletter__name="Bench").delete()
        Subscriber.objects.filter(email__endswith=f"@{DOMAIN}").delete()
        Newsletter.objects.filter(slug=SLUG, name="Bench").delete()
