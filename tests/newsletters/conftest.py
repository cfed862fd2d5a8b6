import re
import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Sink

from newsletters.models import Newsletter, Subscriber
from newsletters.services import subscriber_confirm
from tests.helpers import run_tasks


class Mailbox(Sink):
    """Keeps every message the SMTP server receives, as the client sent it."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """A real SMTP server on 127.0.0.1 for the test; Django's SMTP backend talks to it."""
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    try:
        yield mailbox
    finally:
        controller.stop()


@pytest.fixture
def briefing(db):
    return Newsletter.objects.create(
        name="Morning briefing", slug="morning", language="en", tagline="Get the morning briefing"
    )


def subscribed(newsletter, email):
    subscriber = Subscriber.objects.create(newsletter=newsletter, email=email)
    return subscriber_confirm(subscriber=subscriber)


def link_in(text, name):
    return re.search(rf"https?://\S+/{name}/[^/\s]+/", text)[0]


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Run what a request or service left for after commit, then the tasks it enqueued."""

    class Sent:
        def __enter__(self):
            self.capture = django_capture_on_commit_callbacks(execute=True)
            self.capture.__enter__()

        def __exit__(self, *exc):
            self.capture.__exit__(*exc)
            if exc[0] is not None:
                return
            # Tasks enqueue further tasks after their own commits (the next batch).
            while True:
                with django_capture_on_commit_callbacks(execute=True) as callbacks:
                    run_tasks()
                if not callbacks:
                    break

    return Sent()
