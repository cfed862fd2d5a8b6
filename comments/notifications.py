"""Emails to moderators. Subjects and headers never contain reader-supplied text (a name
with a line break must not become a ``Bcc:``); reader text appears only in the body."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Comment

MODERATORS_GROUP = "Moderators"


def moderator_emails():
    users = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=MODERATORS_GROUP)
        .exclude(email="")
    )
    return sorted(set(users.values_list("email", flat=True)))


def admin_url(path):
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def send_illegal_content_alert(report):
    recipients = moderator_emails()
    if not recipients:
        return 0
    link = admin_url(reverse("admin:comments_comment_change", args=[report.comment_id]))
    body = _(
        "A reader reported review #%(id)s as illegal content. Please look at it now:\n%(link)s"
    ) % {"id": report.comment_id, "link": link}
    return send_mail(
        _("Review #%(id)s reported as illegal content") % {"id": report.comment_id},
        body,
        None,
        recipients,
    )


def send_pending_digest():
    """One email listing the pending queue; nothing is sent when the queue is empty."""
    recipients = moderator_emails()
    pending = Comment.objects.in_moderation().select_related("article").order_by("created_at")
    count = pending.count()
    if not recipients or not count:
        return 0
    queue = admin_url(reverse("admin:comments_comment_changelist") + "?queue=pending")
    lines = [
        f"- #{comment.pk} · {comment.article.headline} · {comment.created_at:%Y-%m-%d %H:%M}"
        for comment in pending[:50]
    ]
    heading = ngettext(
        "%(count)d review is waiting for moderation:",
        "%(count)d reviews are waiting for moderation:",
        count,
    ) % {"count": count}
    body = "\n".join([heading, "", *lines, "", queue])
    return send_mail(
        ngettext(
            "%(count)d review waiting for moderation",
            "%(count)d reviews waiting for moderation",
            count,
        )
        % {"count": count},
        body,
        None,
        recipients,
    )
