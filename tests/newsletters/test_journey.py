"""The whole way, over a real SMTP conversation (aiosmtpd on 127.0.0.1): subscribe,
confirm, receive an issue with RFC 8058's headers, unsubscribe in one click."""

from email import message_from_bytes
from email.policy import default

import pytest
from django.urls import reverse

from newsletters.models import Issue, IssueStory, Subscriber
from newsletters.services import issue_send
from tests.factories import ArticleFactory

from .conftest import link_in, subscribed

pytestmark = pytest.mark.django_db


def parsed(envelope):
    return message_from_bytes(envelope.original_content, policy=default)


def local(url):
    return url.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def send_issue(sent, newsletter, subject="Tuesday"):
    issue = Issue.objects.create(newsletter=newsletter, subject=subject, intro="Good morning.")
    IssueStory.objects.create(issue=issue, article=ArticleFactory(headline="Rain at last"))
    with sent:
        issue_send(issue=issue)
    return issue


def test_subscribe_confirm_receive_and_unsubscribe_in_one_click(client, smtp, briefing, sent):
    with sent:
        response = client.post(
            reverse("newsletters:subscribe"),
            {"email": "Ana@Example.com", "newsletters": briefing.pk},
        )
    assert response.status_code == 200
    [confirmation] = smtp.messages
    assert confirmation.rcpt_tos == ["ana@example.com"]
    body = parsed(confirmation).get_body(("plain",)).get_content()
    confirm_url = local(link_in(body, "confirm"))

    send_issue(sent, briefing, "Before confirming")
    assert len(smtp.messages) == 1  # Nothing is sent before the link is followed.

    assert client.get(confirm_url).status_code == 200  # A button, not a confirmation.
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING
    client.post(confirm_url)
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED

    send_issue(sent, briefing, "After confirming")
    issue_mail = parsed(smtp.messages[-1])
    assert issue_mail["Subject"] == "After confirming"
    assert issue_mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe_url = issue_mail["List-Unsubscribe"].strip().strip("<>")
    assert "Rain at last" in issue_mail.get_body(("plain",)).get_content()
    assert unsubscribe_url in issue_mail.get_body(("html",)).get_content()

    # RFC 8058: the provider POSTs the body below, with no cookie and no CSRF token.
    provider = client_class_without_cookies()
    answer = provider.post(
        local(unsubscribe_url),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert answer.status_code == 200
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED

    count = len(smtp.messages)
    send_issue(sent, briefing, "After unsubscribing")
    assert len(smtp.messages) == count


def client_class_without_cookies():
    from django.test import Client

    return Client(enforce_csrf_checks=True)


def test_only_confirmed_addresses_receive_an_issue(smtp, briefing, sent):
    subscribed(briefing, "yes@example.com")
    Subscriber.objects.create(newsletter=briefing, email="pending@example.com")
    gone = subscribed(briefing, "gone@example.com")
    gone.status = Subscriber.Status.UNSUBSCRIBED
    gone.save()
    send_issue(sent, briefing)
    assert [envelope.rcpt_tos for envelope in smtp.messages] == [["yes@example.com"]]
