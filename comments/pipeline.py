"""The moderation pipeline: what happens to a review between "Send" and the database.

The steps run in this order (issue #3); each is a small function below.

1. ``story_is_open``: a closed story refuses the review (403).
2. ``normalise_text``: Unicode NFC, no zero-width or bidi-override characters; the form
   applies it before its length limits, so limits count what is stored.
3. ``looks_human``: the honeypot field and the signed form timestamp. A bot's review is
   silently discarded (the bot is told it was received) and counted. A review sent
   within seconds of the form is held with "sent very quickly": people who type fast
   exist, and telling them it awaits moderation while dropping it was a lie.
4. ``within_rate_limits``: per address and per email (django-ratelimit on the shared
   cache) → ``RateLimited`` (429 with Retry-After).
5. ``not_a_duplicate``: the same text from the same email on the same story within
   minutes → ``Duplicate``, and no second row.
6. ``blocked_terms``: moderators' "reject" and "hold" terms, matched on whole words.
7. ``links_need_history``: links from commenters with no approved review → held.
8. ``not_banned``: a banned email or address → rejected.
9. ``trust``: the story's mode decides the rest. Pre-moderated stories hold everything;
   open stories publish at once for trusted commenters (two approved reviews, no recent
   rejection) and hold a newcomer's review for a first look.

Steps 1–5 stop the review; steps 6–9 only add reasons to the ``Verdict``, which
``comments.services.comment_create`` stores with the review for moderators.

Page caching: the signed timestamp is rendered into the form, so a story page served from
a cache may carry an old one. ``static/js/reviews.js`` asks ``form_token`` (never cached)
for a fresh timestamp and CSRF token when the reader first focuses the form; without
JavaScript the render-time timestamp is used, which is fine while the page is under a
day old in the cache.
"""

import re
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import timedelta

from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.ratelimits import wait_for
from core.text import strip_control_characters

from .models import (
    Ban,
    BlockedTerm,
    Comment,
    DiscardedSubmission,
    DiscardReason,
    accepts_reviews,
)

TOKEN_SALT = "comments.form-token"  # noqa: S105 (a signing namespace, not a secret)
MIN_SECONDS_TO_WRITE = 3
MAX_FORM_AGE = timedelta(hours=24)
DUPLICATE_WINDOW = timedelta(minutes=10)
TRUSTED_AFTER_APPROVED = 2
RECENT_REJECTION = timedelta(days=30)
# (group, rate) pairs; "new commenter" limits apply to authors who are not trusted.
RATE_LIMITS_BY_IP = [("comments:ip-burst", "1/15s")]
RATE_LIMITS_BY_EMAIL = [("comments:email-burst", "1/15s")]
RATE_LIMITS_FOR_NEWCOMERS = [("comments:email-day", "10/d")]

# Zero-width characters and bidi embeddings/overrides/isolates: invisible, and used to hide
# words from filters or to make text render backwards (Trojan Source, CVE-2021-42574).
INVISIBLE = dict.fromkeys(
    map(
        ord,
        "\u200b\u200c\u200d\u2060\ufeff\u00ad\u061c\u200e\u200f"
        "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
    )
)
LINK = re.compile(r"(https?://|www\.|\b[\w-]+\.(com|net|org|info|biz|ru|az|io|xyz|top)\b)", re.I)


class Refused(Exception):
    """The story takes no reviews (closed)."""


class Discarded(Exception):
    """A bot's submission: drop it, but answer as if it were received."""


class Expired(Exception):
    """A person's form left open longer than a day: refuse it, keeping what they wrote."""


class RateLimited(Exception):
    def __init__(self, retry_after):
        super().__init__(retry_after)
        self.retry_after = max(1, int(retry_after))


class Duplicate(Exception):
    """The reader already sent this text to this story."""


@dataclass
class Verdict:
    status: str = Comment.Status.APPROVED
    reasons: list = field(default_factory=list)

    def hold(self, reason):
        self.reasons.append(str(reason))
        if self.status == Comment.Status.APPROVED:
            self.status = Comment.Status.PENDING

    def reject(self, reason):
        self.reasons.append(str(reason))
        self.status = Comment.Status.REJECTED


@dataclass
class Submission:
    request: object
    article: object
    author_name: str
    email: str
    body: str
    ip_hash: str
    user: object = None
    honeypot: str = ""
    token: str = ""
    verdict: Verdict = field(default_factory=Verdict)


# 1 ----------------------------------------------------------------------------------------
def story_is_open(submission):
    if not accepts_reviews(submission.article):
        raise Refused


# 2 ----------------------------------------------------------------------------------------
def normalise_text(text):
    """NFC, without invisible characters, and without control characters other than line
    breaks and tabs (the same rule as every text the newsroom saves, core/text.py)."""
    text = unicodedata.normalize("NFC", text or "").translate(INVISIBLE)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return strip_control_characters(text, multiline=True).strip()


def normalise_line(text):
    """A one-line value (a name): every run of whitespace, line breaks included, is a space."""
    return " ".join(normalise_text(text).split())


# 3 ----------------------------------------------------------------------------------------
def form_token(article_id, shown_at=None):
    """A signed "this form was shown at" stamp for one story."""
    shown_at = time.time() if shown_at is None else shown_at
    return signing.dumps({"a": article_id, "t": int(shown_at)}, salt=TOKEN_SALT)


def renewed_form_token(article_id):
    """A stamp for the form given back with an expired one's text: the reader has written
    it already, so sending it again at once is not "too fast"."""
    return form_token(article_id, shown_at=time.time() - MIN_SECONDS_TO_WRITE - 1)


def _discard(reason):
    DiscardedSubmission.objects.count_one(reason)
    raise Discarded(reason)


def looks_human(submission):
    if submission.honeypot:
        _discard(DiscardReason.HONEYPOT)
    try:
        stamp = signing.loads(submission.token, salt=TOKEN_SALT)
    except signing.BadSignature:
        _discard(DiscardReason.BAD_TOKEN)
    if not isinstance(stamp, dict) or stamp.get("a") != submission.article.pk:
        _discard(DiscardReason.BAD_TOKEN)
    age = time.time() - stamp.get("t", 0)
    if age < MIN_SECONDS_TO_WRITE:
        submission.verdict.hold(_("sent very quickly"))
    if age > MAX_FORM_AGE.total_seconds():
        # A genuine stamp, only old: a person who left the tab open. Counted, but given
        # back with their text rather than silently dropped like a bot's.
        DiscardedSubmission.objects.count_one(DiscardReason.TOO_OLD)
        raise Expired


# 4 ----------------------------------------------------------------------------------------
def is_trusted(email):
    """Two approved reviews and no rejection in the last 30 days."""
    history = Comment.objects.by_email(email)
    recent = timezone.now() - RECENT_REJECTION
    return (
        history.visible().count() >= TRUSTED_AFTER_APPROVED
        and not history.filter(
            status__in=[Comment.Status.REJECTED, Comment.Status.SPAM], created_at__gte=recent
        ).exists()
    )


def within_rate_limits(submission):
    email = submission.email.casefold()
    limits = [(group, rate, submission.ip_hash) for group, rate in RATE_LIMITS_BY_IP]
    limits += [(group, rate, email) for group, rate in RATE_LIMITS_BY_EMAIL]
    if not is_trusted(email):
        limits += [(group, rate, email) for group, rate in RATE_LIMITS_FOR_NEWCOMERS]
    waits = [wait_for(submission.request, group, rate, value) for group, rate, value in limits]
    if any(waits):
        raise RateLimited(max(waits))


# 5 ----------------------------------------------------------------------------------------
def not_a_duplicate(submission):
    if (
        Comment.objects.by_email(submission.email)
        .filter(
            article=submission.article,
            body=submission.body,
            created_at__gte=timezone.now() - DUPLICATE_WINDOW,
        )
        .exists()
    ):
        raise Duplicate


# 6 ----------------------------------------------------------------------------------------
def fold(text, language):
    """Case-fold for matching. Azerbaijani has dotted and dotless i: "I" is "ı" there."""
    if language == "az":
        text = text.replace("I", "ı").replace("İ", "i")
    return text.replace("İ", "i").casefold()


def whole_word(term):
    r"""A pattern for ``term`` as a whole word. ``\w`` is Unicode-aware, so Cyrillic and
    Azerbaijani letters count as letters: "bad" does not match "badminton" or "ъbad"."""
    return re.compile(rf"(?<!\w){re.escape(term)}(?!\w)")


def blocked_terms(submission):
    language = submission.article.language
    text = fold(f"{submission.author_name}\n{submission.body}", language)
    terms = BlockedTerm.objects.filter(language__in=["", language]).order_by("action", "term")
    for term in terms:
        if whole_word(fold(term.term, language)).search(text):
            reason = _("blocked term (%(action)s): “%(term)s”") % {
                "action": term.get_action_display(),
                "term": term.term,
            }
            if term.action == BlockedTerm.Action.REJECT:
                submission.verdict.reject(reason)
            else:
                submission.verdict.hold(reason)


# 7 ----------------------------------------------------------------------------------------
def links_need_history(submission):
    if LINK.search(submission.body) and not (
        Comment.objects.by_email(submission.email).visible().exists()
    ):
        submission.verdict.hold(_("link from a commenter without approved reviews"))


# 8 ----------------------------------------------------------------------------------------
def not_banned(submission):
    if Ban.objects.matching(email=submission.email, ip_hash=submission.ip_hash).exists():
        submission.verdict.reject(_("author is banned"))


# 9 ----------------------------------------------------------------------------------------
def trust(submission):
    user = submission.user
    if user is not None and user.has_perm("comments.moderate_comment"):
        return  # The newsroom's own moderators answer readers without waiting.
    if submission.article.comments_mode == submission.article.CommentsMode.PREMODERATED:
        submission.verdict.hold(_("pre-moderated story"))
    elif not is_trusted(submission.email):
        submission.verdict.hold(_("new commenter on an open story"))


STEPS = [
    story_is_open,
    looks_human,
    within_rate_limits,
    not_a_duplicate,
    blocked_terms,
    links_need_history,
    not_banned,
    trust,
]


def screen(submission):
    """Run every step in order; return the verdict, or raise the step's exception."""
    for step in STEPS:
        step(submission)
    return submission.verdict
