"""The mail a newsletter sends: the confirmation and each issue, HTML and plain text.

Every issue carries ``List-Unsubscribe`` (the signed one-click address) and
``List-Unsubscribe-Post: List-Unsubscribe=One-Click`` (RFC 8058), and a visible
unsubscribe link. Links to stories carry no reader id. There is no tracking image unless
the newsletter counts opens (off by default): then one 1x1 image whose address signs the
delivery's id. Subjects never hold reader-supplied text.
"""

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import css_inline
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from articles.images import rendition

from . import tokens

# The mail's column is 600 px wide with 24 px either side; pictures are sent at twice
# that for sharp screens and shown at it.
IMAGE_WIDTH = 552
# The site's palette and fonts (their :root variables), then the mail's own rules.
SITE_STYLESHEETS = ("css/site.css", "css/story-body.css")
MAIL_STYLESHEET = "css/mail.css"
ROOT_BLOCK = re.compile(r":root\s*\{[^}]*\}")


def list_domain():
    return urlsplit(settings.SITE_URL).hostname


def absolute(path):
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def signed_url(name, action, subscriber):
    with translation.override(subscriber.newsletter.language):
        return absolute(reverse(name, args=[tokens.make(action, subscriber)]))


def _stylesheet(name):
    return Path(finders.find(name)).read_text(encoding="utf-8")


@functools.cache
def inliner():
    """css-inline with the mail stylesheet: the site's variables, resolved, then
    static/css/mail.css. Read once per process; a deploy restarts the workers."""
    palette = "\n".join(
        block for name in SITE_STYLESHEETS for block in ROOT_BLOCK.findall(_stylesheet(name))
    )
    return css_inline.CSSInliner(
        extra_css=f"{palette}\n{_stylesheet(MAIL_STYLESHEET)}",
        resolve_css_variables=True,
        load_remote_stylesheets=False,
    )


@dataclass(frozen=True)
class MailImage:
    url: str
    width: int
    height: int
    alt: str


def story_image(story):
    """The story's lead picture as a mail shows it (its JPEG rendition, nearest twice the
    column), or None without one or while its renditions are being made."""
    image = story.lead_image
    made = image and rendition(image, width=2 * IMAGE_WIDTH)
    if not made:
        return None
    width = min(IMAGE_WIDTH, made.width)
    url = made.url if urlsplit(made.url).scheme else absolute(made.url)
    return MailImage(
        url, width, round(width * made.height / made.width), image.alt_for(story.language)
    )


def open_url(delivery):
    return absolute(reverse("newsletter_open", args=[tokens.make_open(delivery)]))


def _message(subscriber, subject, template, context, connection=None, headers=None):
    newsletter = subscriber.newsletter
    context = {
        "newsletter": newsletter,
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL.rstrip("/"),
        "postal_address": settings.NEWSLETTER_POSTAL_ADDRESS,
        "language": newsletter.language,
        **context,
    }
    with translation.override(newsletter.language):
        # The site's own rule (LANGUAGES_BIDI), as base.html has it: Django's LANG_INFO
        # calls Azerbaijani right-to-left, which its Latin script is not.
        context["text_direction"] = "rtl" if translation.get_language_bidi() else "ltr"
        message = EmailMultiAlternatives(
            subject=subject() if callable(subject) else subject,
            body=render_to_string(f"newsletters/mail/{template}.txt", context),
            to=[subscriber.email],
            connection=connection,
            headers=headers or {},
        )
        html = render_to_string(f"newsletters/mail/{template}.html", context)
        message.attach_alternative(inliner().inline(html), "text/html")
    return message


def send_confirmation_mail(subscriber):
    link = signed_url("newsletters:confirm", "confirm", subscriber)
    message = _message(
        subscriber,
        lambda: _("Confirm your subscription to %(name)s") % {"name": subscriber.newsletter.name},
        "confirm",
        {"confirm_url": link},
    )
    return message.send()


class IssueMail:
    """An issue as mail. What every subscriber gets alike (the stories, their links and
    pictures) is made once; ``message()`` adds each subscriber's signed links."""

    def __init__(self, issue, stories):
        self.issue = issue
        self.stories = [
            (story, absolute(story.get_absolute_url()), story_image(story)) for story in stories
        ]

    def message(self, subscriber, connection=None, delivery=None):
        """The issue as ``subscriber`` gets it; ``delivery`` (when sending for real) is what
        an open is counted for, if the newsletter counts opens."""
        issue, newsletter = self.issue, self.issue.newsletter
        unsubscribe = signed_url("newsletters:unsubscribe", "unsubscribe", subscriber)
        headers = {
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            # RFC 2919: how mail clients group one newsletter's issues.
            "List-Id": f"<{newsletter.slug}.{newsletter.language}.{list_domain()}>",
        }
        context = {
            "issue": issue,
            "stories": self.stories,
            "unsubscribe_url": unsubscribe,
            "preferences_url": signed_url("newsletters:preferences", "preferences", subscriber),
            "open_url": open_url(delivery) if newsletter.count_opens and delivery else None,
        }
        return _message(subscriber, issue.subject, "issue", context, connection, headers)


def issue_message(issue, subscriber, stories, connection=None):
    """One mail of ``issue`` (a preview, a test): ``IssueMail`` for many."""
    return IssueMail(issue, stories).message(subscriber, connection)
