"""The mail provider's bounce webhook: refused without the shared secret, a bounce row per
report, a hard bounce stops every newsletter mailing the address, a soft one stops none;
editors read the bounces in the admin and change nothing there."""

import json

import pytest
from django.core import mail
from django.urls import reverse

from newsletters.models import Bounce, Delivery, Issue, Newsletter, Subscriber
from newsletters.services import issue_send
from newsletters.tasks import send_issue
from tests.helpers import logged_in

from .conftest import subscribed

pytestmark = pytest.mark.django_db
WEBHOOK = "/newsletters/bounces/"
SECRET = "s3cret-webhook-token"


@pytest.fixture(autouse=True)
def secret(settings):
    settings.NEWSLETTER_BOUNCE_SECRET = SECRET


def post(client, payload, token=SECRET):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post(
        WEBHOOK, json.dumps(payload), content_type="application/json", headers=headers
    )


def test_the_webhook_address_is_the_named_one():
    assert reverse("newsletter_bounces") == WEBHOOK


@pytest.mark.parametrize("token", [None, "wrong", SECRET + "x"])
def test_a_post_without_the_secret_is_refused(client, briefing, token):
    reader = subscribed(briefing, "ana@example.com")
    response = post(client, {"email": "ana@example.com", "type": "hard"}, token=token)
    assert response.status_code == 401
    assert not Bounce.objects.exists()
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.CONFIRMED


def test_with_no_secret_configured_the_webhook_refuses_everyone(client, settings):
    settings.NEWSLETTER_BOUNCE_SECRET = ""
    response = post(client, {"email": "ana@example.com", "type": "hard"}, token="")
    assert response.status_code == 401
    response = client.post(WEBHOOK, "{}", content_type="application/json",
                           headers={"Authorization": "Bearer "})  # fmt: skip
    assert response.status_code == 401


def test_a_get_is_not_allowed(client):
    assert client.get(WEBHOOK, headers={"Authorization": f"Bearer {SECRET}"}).status_code == 405


def test_a_hard_bounce_stops_every_newsletter_mailing_the_address(client, briefing, sent):
    weekly = Newsletter.objects.create(name="Weekly", slug="weekly", language="ru")
    subscribed(briefing, "ana@example.com")
    subscribed(weekly, "ana@example.com")
    subscribed(briefing, "bob@example.com")
    response = post(client, {"email": "Ana@Example.com", "type": "hard",
                             "description": "550 5.1.1 user unknown"})  # fmt: skip
    assert response.status_code == 200 and response.json() == {"recorded": 1}
    bounce = Bounce.objects.get()
    assert (bounce.email, bounce.kind) == ("ana@example.com", "hard")
    assert bounce.description == "550 5.1.1 user unknown"
    statuses = set(
        Subscriber.objects.filter(email="ana@example.com").values_list("status", flat=True)
    )
    assert statuses == {Subscriber.Status.BOUNCED}
    with sent:
        issue_send(issue=Issue.objects.create(newsletter=briefing, subject="Monday"))
    assert [message.to for message in mail.outbox] == [["bob@example.com"]]


def test_a_hard_bounce_during_a_send_skips_what_is_queued(client, briefing):
    subscribed(briefing, "ana@example.com")
    issue = Issue.objects.create(newsletter=briefing, subject="Monday")
    issue_send(issue=issue)
    send_issue.call(issue.pk)
    post(client, {"email": "ana@example.com", "type": "hard"})
    assert Delivery.objects.get().status == Delivery.Status.SKIPPED


def test_a_soft_bounce_is_recorded_and_the_address_stays(client, briefing):
    reader = subscribed(briefing, "ana@example.com")
    payload = [{"email": "ana@example.com", "type": "soft", "description": "mailbox full"}]
    assert post(client, payload).json() == {"recorded": 1}
    assert Bounce.objects.get().kind == Bounce.Kind.SOFT
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.CONFIRMED


@pytest.mark.parametrize(
    "body",
    ["not json", json.dumps({"email": "nobody", "type": "hard"}),
     json.dumps([{"email": "ana@example.com", "type": "hard"}, {"type": "bounce"}]),
     json.dumps(["ana@example.com"])],
)  # fmt: skip
def test_an_invalid_post_records_nothing(client, briefing, body):
    subscribed(briefing, "ana@example.com")
    response = client.post(WEBHOOK, body, content_type="application/json",
                           headers={"Authorization": f"Bearer {SECRET}"})  # fmt: skip
    assert response.status_code == 400
    assert not Bounce.objects.exists()
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED


@pytest.mark.parametrize("size", [3, 30])
def test_editors_read_the_bounces_and_change_none(
    client, editor, size, django_assert_max_num_queries
):
    post(client, [{"email": f"r{n}@example.com", "type": "hard"} for n in range(size)])
    editors = logged_in(editor)
    url = reverse("admin:newsletters_bounce_changelist")
    editors.get(url)  # Session and permissions warmed.
    with django_assert_max_num_queries(10):
        response = editors.get(url)
    assert response.status_code == 200
    assert f"r{size - 1}@example.com" in response.text
    bounce = Bounce.objects.first()
    change = editors.get(reverse("admin:newsletters_bounce_change", args=[bounce.pk]))
    assert change.status_code == 200 and "Save" not in change.text
    assert editors.get(reverse("admin:newsletters_bounce_add")).status_code == 403
