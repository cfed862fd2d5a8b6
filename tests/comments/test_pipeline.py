"""Each step of comments.pipeline, in the order it runs."""

import re

import pytest
import time_machine
from django.utils import timezone

from comments.models import Ban, BlockedTerm, Comment, DiscardedSubmission
from comments.pipeline import normalise_line, normalise_text
from tests.factories import ArticleFactory, CommentFactory
from tests.helpers import aged_token, post_review

pytestmark = pytest.mark.django_db


class TestNormalise:
    def test_nfc_and_no_invisible_or_bidi_override_characters(self):
        decomposed = "Cafe\u0301 e\u0306"
        assert normalise_text(decomposed) == "Café ĕ"
        assert normalise_text("spa\u200bm \u202eevil\u202c \ufeffok") == "spam evil ok"

    def test_line_breaks_kept_in_text_but_not_in_names(self):
        assert normalise_text("one\r\ntwo") == "one\ntwo"
        assert normalise_line("Eve\r\nBcc: x@example.com") == "Eve Bcc: x@example.com"

    def test_length_limit_counts_the_normalised_text(self, client, story):
        padded = "a" * 2990 + "\u200b" * 50
        post_review(client, story, body=padded)
        assert Comment.objects.get().body == "a" * 2990
        response = post_review(client, story, body="b" * 3001)
        assert "at most 3000 characters" in response.content.decode()

    def test_text_of_only_invisible_characters_is_refused(self, client, story):
        response = post_review(client, story, body="\u200b\u200b\u200b")
        assert "This field is required." in response.content.decode()
        assert not Comment.objects.exists()


class TestBotTraps:
    def test_honeypot_is_silently_discarded_and_counted(self, client, story):
        response = post_review(client, story, website="http://spam.example")
        assert response.status_code == 302  # Looks accepted to the bot.
        assert not Comment.objects.exists()
        assert DiscardedSubmission.objects.get().reason == "honeypot"

    def test_too_fast_under_three_seconds_is_held_with_its_reason_not_dropped(
        self, client, open_story
    ):
        """A person who types fast is told it awaits moderation: it must (issue 18)."""
        CommentFactory.create_batch(2, email="nigar@example.com")  # Trusted otherwise.
        response = post_review(client, open_story, token=aged_token(open_story, seconds=1))
        review = Comment.objects.get(article=open_story)
        assert review.status == Comment.Status.PENDING
        assert review.held_reasons == ["sent very quickly"]
        assert not DiscardedSubmission.objects.exists()
        page = client.get(response["Location"]).content.decode()
        assert "your review will appear once a moderator has read it" in page

    def test_the_honeypot_still_discards_silently_and_is_counted(self, client, story):
        response = post_review(client, story, website="http://spam.example")
        assert not Comment.objects.exists()
        assert DiscardedSubmission.objects.get().reason == "honeypot"
        page = client.get(response["Location"]).content.decode()
        assert "your review will appear once a moderator has read it" in page

    def test_three_seconds_is_fast_enough(self, client, story):
        post_review(client, story, token=aged_token(story, seconds=4))
        assert Comment.objects.exists()

    def test_a_form_older_than_a_day_is_given_back_with_its_text(self, client, story):
        """A genuine but day-old stamp is a person who left the tab open: not stored, not
        dropped either. The page says why, keeps the text, and a fresh stamp lets them
        send it again at once (it is not "too fast")."""
        body = "Written yesterday, sent today."
        old = aged_token(story, seconds=24 * 3600 + 5)
        response = post_review(client, story, token=old, body=body)
        page = response.content.decode()
        assert response.status_code == 400
        assert "open for more than a day" in page and body in page
        assert not Comment.objects.exists()
        assert DiscardedSubmission.objects.get().reason == "too_old"
        fresh = re.search(r'name="token" value="([^"]+)"', page).group(1)
        assert fresh != old
        assert post_review(client, story, token=fresh, body=body).status_code == 302
        assert Comment.objects.get().body == body

    @pytest.mark.parametrize("token", ["", "forged:token", None])
    def test_missing_forged_or_other_storys_token(self, client, story, token):
        token = aged_token(ArticleFactory()) if token is None else token
        post_review(client, story, token=token)
        assert not Comment.objects.exists()
        assert DiscardedSubmission.objects.get().reason == "bad_token"

    def test_counter_adds_up_per_day_and_reason(self, client, story):
        for _ in range(3):
            post_review(client, story, website="x")
        assert DiscardedSubmission.objects.get().count == 3

    def test_stamp_from_a_cached_page_rendered_hours_ago_still_works(self, client, story):
        """A page cache may serve the form hours later; under a day the stamp is accepted."""
        with time_machine.travel(timezone.now(), tick=True) as traveller:
            html = client.get(story.get_absolute_url()).content.decode()
            token = html.split('name="token" value="')[1].split('"')[0]
            traveller.shift(6 * 3600)
            post_review(client, story, token=token)
        assert Comment.objects.exists()


class TestRateLimits:
    def test_second_review_within_15_seconds_gets_429_with_retry_after(self, client, story):
        post_review(client, story, ip="192.0.2.1", body="First.")
        response = post_review(client, story, ip="192.0.2.1", email="b@example.com", body="2.")
        assert response.status_code == 429
        assert 1 <= int(response["Retry-After"]) <= 15
        html = response.content.decode()
        assert "You are sending reviews too quickly" in html
        assert "2.</textarea>" in html  # The text is kept.
        assert Comment.objects.count() == 1

    def test_same_email_from_another_address_is_limited_too(self, client, story):
        post_review(client, story, ip="192.0.2.10", body="First.")
        response = post_review(client, story, ip="192.0.2.11", body="Second.")
        assert response.status_code == 429
        assert Comment.objects.count() == 1

    def test_after_the_wait_the_reader_may_post_again(self, client, story):
        with time_machine.travel(timezone.now(), tick=False) as traveller:
            post_review(client, story, ip="192.0.2.2", body="First.", token=aged_token(story))
            traveller.shift(16)
            post_review(client, story, ip="192.0.2.2", body="Second.", token=aged_token(story))
        assert Comment.objects.count() == 2

    def test_new_commenters_get_ten_a_day(self, client, story):
        with time_machine.travel(timezone.now(), tick=False) as traveller:
            for n in range(11):
                traveller.shift(20)
                response = post_review(client, story, body=f"Review {n}", token=aged_token(story))
        assert response.status_code == 429
        assert Comment.objects.count() == 10

    def test_trusted_commenters_have_no_daily_cap(self, client, story):
        CommentFactory.create_batch(2, email="nigar@example.com")
        with time_machine.travel(timezone.now(), tick=False) as traveller:
            for n in range(11):
                traveller.shift(20)
                post_review(client, story, body=f"Review {n}", token=aged_token(story))
        assert Comment.objects.filter(article=story).count() == 11


class TestDuplicates:
    def test_same_text_same_email_same_story_is_already_posted(self, client, story):
        with time_machine.travel(timezone.now(), tick=False) as traveller:
            post_review(client, story, body="Same words.", token=aged_token(story))
            traveller.shift(60)
            response = post_review(client, story, body="Same words.", token=aged_token(story))
        assert response.status_code == 302
        assert Comment.objects.count() == 1
        page = client.get(story.get_absolute_url()).content.decode()
        assert "You have already posted this review." in page

    def test_same_text_on_another_story_is_fine(self, client, story):
        other = ArticleFactory()
        with time_machine.travel(timezone.now(), tick=False) as traveller:
            post_review(client, story, body="Same words.", token=aged_token(story))
            traveller.shift(60)
            post_review(client, other, body="Same words.", token=aged_token(other))
        assert Comment.objects.count() == 2


class TestBlockedTerms:
    def verdict(self, client, story, body, **kwargs):
        post_review(client, story, body=body, **kwargs)
        return Comment.objects.latest("pk")

    def test_reject_term_rejects_and_stores_the_reason(self, client, story):
        BlockedTerm.objects.create(term="Viagra", action="reject")
        review = self.verdict(client, story, "cheap VIAGRA here")
        assert review.status == Comment.Status.REJECTED
        assert "“viagra”" in review.held_reasons[0]

    def test_the_term_is_never_echoed_to_the_commenter(self, client, story):
        BlockedTerm.objects.create(term="viagra", action="reject")
        response = post_review(client, story, body="cheap viagra here")
        page = client.get(response["Location"]).content.decode()
        assert "viagra" not in page
        assert "your review will appear once a moderator has read it" in page

    def test_hold_term_holds(self, client, open_story):
        BlockedTerm.objects.create(term="lottery", action="hold")
        review = self.verdict(client, open_story, "The lottery results are out")
        assert review.status == Comment.Status.PENDING
        assert any("lottery" in reason for reason in review.held_reasons)

    def test_scunthorpe_a_short_term_inside_a_word_does_not_match(self, client, story):
        BlockedTerm.objects.create(term="cunt", action="reject")
        review = self.verdict(client, story, "Greetings from Scunthorpe!")
        assert review.status == Comment.Status.PENDING
        assert review.held_reasons == ["pre-moderated story"]

    @pytest.mark.parametrize(
        ("term", "text", "blocked"),
        [
            ("дурак", "Ты дурак!", True),
            ("дурак", "Это дураки", False),  # Cyrillic letters after the term: another word.
            ("дурак", "придурак", False),  # Cyrillic letters before it.
            ("axmaq", "Sən axmaqsan", False),  # Azerbaijani suffix: a different word form.
            ("axmaq", "O, axmaq!", True),
            ("ağıl", "ağılsız", False),  # ı and s are letters, not boundaries.
            ("ağıl", "AĞIL!", True),  # Azerbaijani case folding: I is dotless ı.
            ("şər", "başər", False),
        ],
    )
    def test_unicode_word_boundaries(self, client, term, text, blocked):
        story = ArticleFactory(
            language="az" if term.isascii() or "ğ" in term or "ş" in term else "ru"
        )
        BlockedTerm.objects.create(term=term, action="reject")
        review = self.verdict(client, story, text)
        assert (review.status == Comment.Status.REJECTED) is blocked

    def test_terms_apply_to_their_own_language_only(self, client):
        BlockedTerm.objects.create(term="bad", language="ru", action="reject")
        review = self.verdict(client, ArticleFactory(language="en"), "bad news")
        assert review.status == Comment.Status.PENDING


class TestLinks:
    @pytest.mark.parametrize("text", ["see https://x.example", "www.example.org", "spam.com"])
    def test_links_from_new_commenters_are_held(self, client, open_story, text):
        CommentFactory(email="nigar@example.com", status="rejected")
        review_held = post_review(client, open_story, body=text)
        assert review_held.status_code == 302
        reasons = Comment.objects.get(article=open_story).held_reasons
        assert "link from a commenter without approved reviews" in reasons

    def test_links_from_commenters_with_approved_history_pass(self, client, open_story):
        CommentFactory.create_batch(2, email="nigar@example.com")
        post_review(client, open_story, body="Source: https://stats.example/report")
        assert Comment.objects.get(article=open_story).status == Comment.Status.APPROVED


class TestBans:
    def test_banned_email_is_rejected(self, client, open_story):
        Ban.objects.create(email="nigar@example.com")
        post_review(client, open_story)
        review = Comment.objects.get()
        assert review.status == Comment.Status.REJECTED
        assert "author is banned" in review.held_reasons

    def test_banned_address_is_rejected(self, client, open_story):
        post_review(client, open_story, ip="192.0.2.50", email="first@example.com")
        Ban.objects.create(ip_hash=Comment.objects.get().ip_hash)
        with time_machine.travel(timezone.now(), tick=False) as traveller:
            traveller.shift(20)
            post_review(
                client,
                open_story,
                ip="192.0.2.50",
                email="second@example.com",
                token=aged_token(open_story),
            )
        assert Comment.objects.get(email="second@example.com").status == "rejected"

    def test_expired_ban_no_longer_applies(self, client, open_story):
        Ban.objects.create(email="nigar@example.com", until=timezone.now())
        post_review(client, open_story)
        assert Comment.objects.get().status == Comment.Status.PENDING


class TestTrust:
    def test_two_approved_and_no_recent_rejection_publishes_on_open_story(
        self, client, open_story
    ):
        CommentFactory.create_batch(2, email="nigar@example.com")
        post_review(client, open_story)
        assert Comment.objects.get(article=open_story).status == Comment.Status.APPROVED

    def test_a_recent_rejection_withdraws_trust(self, client, open_story):
        CommentFactory.create_batch(2, email="nigar@example.com")
        CommentFactory(email="nigar@example.com", status="rejected")
        post_review(client, open_story)
        assert Comment.objects.get(article=open_story).held_reasons == [
            "new commenter on an open story"
        ]
