"""Subscribing from the footer and below stories: the same answer for every address, no
raw address kept, rate limits per address and per network, a cached page's form works."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from newsletters.models import Subscriber
from tests.factories import ArticleFactory

from .conftest import subscribed

pytestmark = pytest.mark.django_db
SUBSCRIBE = reverse("newsletters:subscribe")


def post(client, newsletter, email, address="198.51.100.7"):
    return client.post(
        SUBSCRIBE, {"email": email, "newsletters": newsletter.pk}, REMOTE_ADDR=address
    )


def test_a_story_page_has_the_form_in_its_footer_and_below_the_story(client, briefing):
    page = client.get(ArticleFactory().get_absolute_url())
    assert page.text.count(f'action="{SUBSCRIBE}"') == 2
    assert "Get the morning briefing" in page.text


def test_no_form_where_the_language_has_no_newsletter(client, briefing):
    page = client.get(ArticleFactory(language="ru").get_absolute_url())
    assert 'action="/ru/newsletters/subscribe/"' not in page.text


def same_page(response):
    """The page without the address typed and the CSRF token (masked anew each time)."""
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.text)
    return text.replace("new@", "X@").replace("old@", "X@")


def test_a_new_and_a_subscribed_address_get_the_same_answer(client, briefing, sent):
    subscribed(briefing, "old@example.com")
    with sent:
        new = post(client, briefing, "new@example.com")
        old = post(client, briefing, "old@example.com", address="203.0.113.9")
    assert new.status_code == old.status_code == 200
    assert same_page(new) == same_page(old)
    # Only the new address is asked to confirm; the subscribed one is left alone.
    assert [message.to for message in mail.outbox] == [["new@example.com"]]


def test_no_raw_address_is_kept(client, briefing):
    post(client, briefing, "ana@example.com", address="198.51.100.7")
    subscriber = Subscriber.objects.get()
    assert subscriber.ip_hash and "198.51.100" not in subscriber.ip_hash
    assert subscriber.status == Subscriber.Status.PENDING


def test_too_many_from_one_address_answer_429(client, briefing, settings):
    settings.RATE_LIMIT_NEWSLETTER_SUBSCRIBE = "2/h"
    answers = [post(client, briefing, "ana@example.com", f"198.51.{n}.1") for n in range(3)]
    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert "Retry-After" in answers[-1]


def test_too_many_from_one_network_answer_429(client, briefing, settings):
    settings.RATE_LIMIT_NEWSLETTER_SUBSCRIBE = "2/h"
    answers = [post(client, briefing, f"r{n}@example.com", f"198.51.100.{n}") for n in range(3)]
    assert [answer.status_code for answer in answers] == [200, 200, 429]


def test_a_bad_address_is_refused_and_kept_to_correct(client, briefing):
    response = post(client, briefing, "not-an-address")
    assert response.status_code == 400
    assert 'value="not-an-address"' in response.text
    assert not Subscriber.objects.exists()


def test_the_form_works_from_a_cached_page_and_refuses_other_sites(settings, briefing):
    """The cached page holds no CSRF token; the browser's own Origin and Sec-Fetch-Site
    say where the POST comes from (core.origin), and another site's page is refused."""
    settings.PAGE_CACHE_SECONDS = 300
    url = ArticleFactory().get_absolute_url()
    Client().get(url)  # Another reader renders the page into the cache.
    reader = Client(enforce_csrf_checks=True)
    page = reader.get(url)
    assert page.headers.get("X-Page-Cache") == "hit"
    assert "csrfmiddlewaretoken" not in page.text
    sent = {"email": "ana@example.com", "newsletters": briefing.pk}
    for foreign in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}):
        assert reader.post(SUBSCRIBE, sent, headers=foreign).status_code == 403
    assert not Subscriber.objects.exists()
    same_site = {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"}
    response = reader.post(SUBSCRIBE, sent, headers=same_site)
    assert response.status_code == 200
    assert Subscriber.objects.filter(email="ana@example.com").exists()


def test_a_confirmation_link_that_was_tampered_with_is_refused(client, briefing):
    response = client.get(reverse("newsletters:confirm", args=["bad:token"]))
    assert response.status_code == 404
