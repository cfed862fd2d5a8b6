"""Telling people about workflow steps: who hears of which step, in the admin and by email.

``notifications_for_step`` is called where steps happen (``article_transition``, and the
admin when an editor moves a publication time across "now"); it writes one
``Notification`` per recipient and plans one email task for each recipient who wants
email. The email is sent by a worker (``email_notification``), never in the request, and
says what happened and where to look: never the story's text, which may be embargoed.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from core.tasks import enqueue_on_commit, retried

from .models import Notification, NotificationPreference, WorkflowState

# Which kind of notification a step's outcome is; steps not named here tell nobody.
_KIND_OF_STEP = {
    "submit": Notification.Kind.SUBMITTED,
    "return": Notification.Kind.RETURNED,
    "publish": Notification.Kind.PUBLISHED,
    "schedule": Notification.Kind.SCHEDULED,
}


def step_for_state(state):
    """The step an edit amounts to when it moves a story into ``state`` (an editor
    changing the publication time of a published story across "now")."""
    return {WorkflowState.PUBLISHED: "publish", WorkflowState.SCHEDULED: "schedule"}.get(state)


def editors():
    """Everyone who may publish: they are the ones a submitted story waits for."""
    return get_user_model().objects.with_perm(
        "articles.publish_article", backend="django.contrib.auth.backends.ModelBackend"
    )


def recipients_for(article, kind):
    users = get_user_model().objects.filter(is_active=True, is_staff=True)
    if kind == Notification.Kind.SUBMITTED:
        return users.filter(pk__in=editors().values("pk"))
    if kind == Notification.Kind.RETURNED:
        return users.filter(pk=article.created_by_id)
    bylined = article.bylines.filter(contributor__user__isnull=False).values("contributor__user")
    return users.filter(Q(pk=article.created_by_id) | Q(pk__in=bylined))


@transaction.atomic
def notifications_for_step(*, article, step, user, note=""):
    """Tell the people ``step`` (a workflow action's name) concerns that ``user`` took it
    on ``article``; the one who took it is not told. Returns the notifications written."""
    kind = _KIND_OF_STEP.get(step)
    if kind is None:
        return []
    recipients = list(recipients_for(article, kind).exclude(pk=user.pk).distinct())
    no_email = set(
        NotificationPreference.objects.filter(user__in=recipients, email=False).values_list(
            "user_id", flat=True
        )
    )
    notifications = Notification.objects.bulk_create(
        Notification(
            recipient=recipient,
            article=article,
            kind=kind,
            actor=user,
            note=note if kind == Notification.Kind.RETURNED else "",
            published_at=article.published_at if kind == Notification.Kind.SCHEDULED else None,
        )
        for recipient in recipients
    )
    for notification in notifications:
        if notification.recipient.email and notification.recipient_id not in no_email:
            enqueue_on_commit(email_notification, notification.pk)
    return notifications


def admin_address(path):
    return f"{settings.SITE_URL.rstrip('/')}{path}"


@task()
@retried
def email_notification(pk):
    """Email one notification to its recipient. Idempotent: a notification already
    emailed, gone, or whose recipient has since turned email off sends nothing."""
    notification = (
        Notification.objects.select_related("recipient", "actor", "article")
        .filter(pk=pk, emailed_at__isnull=True)
        .first()
    )
    if notification is None:
        return "nothing to send"
    recipient = notification.recipient
    if not recipient.email or not NotificationPreference.wants_email(recipient):
        return "email turned off"
    lines = [notification.message()]
    if notification.note:
        lines += ["", _("Note: %(note)s") % {"note": notification.note}]
    story = reverse("admin:articles_article_change", args=[notification.article_id])
    lines += ["", admin_address(story), "", _("Turn these emails off: %(link)s") % {
        "link": admin_address(reverse("admin:articles_notification_changelist"))
    }]  # fmt: skip
    # The subject names the step and the story's number only: headers carry no text
    # someone typed.
    subject = _("%(step)s: story #%(pk)s") % {
        "step": notification.get_kind_display(), "pk": notification.article_id
    }  # fmt: skip
    send_mail(subject, "\n".join(lines), None, [recipient.email])
    Notification.objects.filter(pk=pk).update(emailed_at=timezone.now())
    return "sent"
