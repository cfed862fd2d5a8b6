"""The mail a newsletter sends: the confirmation and each issue, HTML and plain text.

Every issue carries ``List-Unsubscribe`` (the signed one-click address) and
``List-Unsubscribe-Post: List-Unsubscribe=One-Click`` (RFC 8058), and a visible
unsubscribe link. Links to stories carry no reader id. There is no tracking image unless
the newsletter counts opens (off by default): then one 1x1 image whose address signs the
delivery's id. Subjects never hold reader-supplied text.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from . import tokens


def list_domain():
    return urlsplit(settings.SITE_URL).hostname


def absolute(path):
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def signed_url(name, action, subscriber):
    with translation.override(subscriber.newsletter.language):
        return absolute(reverse(name, args=[tokens.make(action, subscriber)]))


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
        message.attach_alternative(
            render_to_string(f"newsletters/mail/{template}.html", context), "text/html"
        )
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


def issue_message(issue, subscriber, stories, connection=None, delivery=None):
    """The issue as ``subscriber`` gets it; ``delivery`` (when sending for real) is what an
    open is counted for, if the newsletter counts opens."""
    newsletter = issue.newsletter
    unsubscribe = signed_url("newsletters:unsubscribe", "unsubscribe", subscriber)
    headers = {
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        # RFC 2919: how mail clients group one newsletter's issues.
        "List-Id": f"<{newsletter.slug}.{newsletter.language}.{list_domain()}>",
    }
    context = {
        "issue": issue,
        "stories": [(story, absolute(story.get_absolute_url())) for story in stories],
        "unsubscribe_url": unsubscribe,
        "preferences_url": signed_url("newsletters:preferences", "preferences", subscriber),
        "open_url": open_url(delivery) if newsletter.count_opens and delivery else None,
    }
    return _message(subscriber, issue.subject, "issue", context, connection, headers)
