"""The role matrix: every admin address the project exposes, opened by each role.

Each row is one route of the admin (Django's, the packages' and reversion's as mounted
here, and our own views), with the answer a GET gets from an anonymous visitor, a
journalist, an editor and a moderator, each on the same newsroom: an editor's published
story with its revisions, a journalist's draft, a reader's review and one object of every
other kind. A route with no row fails ``test_every_admin_route_has_a_row``, so adding an
admin page means deciding who may open it.

The answers: 200 shown; 302 sent to the login page (anonymous) or onwards; 403 refused;
404 not there for that user (Django's admin answers a change page a user may not see as
missing); 405 the address takes POSTs only (its POST is checked in the tests of its view).
"""

import re

import pytest
import reversion
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult
from reversion.models import Version
from taggit.models import Tag

from articles.models import Article, LiveUpdate, Page, PreviewLink
from comments.models import (
    Ban,
    BlockedTerm,
    DiscardedSubmission,
    ModerationDecision,
    RejectReason,
    Report,
)
from newsletters.models import Bounce, Issue, Newsletter, Subscriber
from newsroom.models import SocialLink
from tests.core import probe_tasks
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    CommentFactory,
    ContributorFactory,
    CorrectionFactory,
    ImageFactory,
    RelatedLinkFactory,
    SectionFactory,
)
from tests.helpers import staff_in_role

pytestmark = pytest.mark.django_db
ROLES = ["anonymous", "journalist", "editor", "moderator"]

# route: answers for anonymous, journalist, editor, moderator.
MATRIX = {
    "admin/": (302, 200, 200, 200),
    "admin/login/": (200, 302, 302, 302),
    "admin/logout/": (302, 405, 405, 405),
    "admin/password_change/": (302, 200, 200, 200),
    "admin/password_change/done/": (302, 200, 200, 200),
    "admin/autocomplete/": (302, 403, 403, 403),
    "admin/jsi18n/": (302, 200, 200, 200),
    "admin/r/<path:content_type_id>/<path:object_id>/": (302, 302, 302, 302),
    "admin/auth/group/": (302, 403, 403, 403),
    "admin/auth/group/add/": (302, 403, 403, 403),
    "admin/auth/group/<path:object_id>/history/": (302, 403, 403, 403),
    "admin/auth/group/<path:object_id>/delete/": (302, 403, 403, 403),
    "admin/auth/group/<path:object_id>/change/": (302, 403, 403, 403),
    "admin/auth/group/<path:object_id>/": (302, 302, 302, 302),
    "admin/auth/user/<id>/password/": (302, 403, 403, 403),
    "admin/auth/user/": (302, 403, 403, 403),
    "admin/auth/user/add/": (302, 403, 403, 403),
    "admin/auth/user/<path:object_id>/history/": (302, 403, 403, 403),
    "admin/auth/user/<path:object_id>/delete/": (302, 403, 403, 403),
    "admin/auth/user/<path:object_id>/change/": (302, 403, 403, 403),
    "admin/auth/user/<path:object_id>/": (302, 302, 302, 302),
    "admin/newsroom/sociallink/": (302, 403, 200, 403),
    "admin/newsroom/sociallink/add/": (302, 403, 200, 403),
    "admin/newsroom/sociallink/<path:object_id>/history/": (302, 403, 200, 403),
    "admin/newsroom/sociallink/<path:object_id>/delete/": (302, 403, 200, 403),
    "admin/newsroom/sociallink/<path:object_id>/change/": (302, 403, 200, 403),
    "admin/newsroom/sociallink/<path:object_id>/": (302, 302, 302, 302),
    "admin/taggit/tag/merge-tags/": (302, 403, 302, 403),
    "admin/taggit/tag/": (302, 200, 200, 403),
    "admin/taggit/tag/add/": (302, 200, 200, 403),
    "admin/taggit/tag/<path:object_id>/history/": (302, 200, 200, 403),
    "admin/taggit/tag/<path:object_id>/delete/": (302, 403, 200, 403),
    "admin/taggit/tag/<path:object_id>/change/": (302, 200, 200, 403),
    "admin/taggit/tag/<path:object_id>/": (302, 302, 302, 302),
    "admin/articles/section/": (302, 200, 200, 403),
    "admin/articles/section/add/": (302, 403, 200, 403),
    "admin/articles/section/<path:object_id>/history/": (302, 200, 200, 403),
    "admin/articles/section/<path:object_id>/delete/": (302, 403, 200, 403),
    "admin/articles/section/<path:object_id>/change/": (302, 200, 200, 403),
    "admin/articles/section/<path:object_id>/": (302, 302, 302, 302),
    "admin/articles/image/editor-upload/": (405, 405, 405, 405),
    "admin/articles/image/picker/": (302, 200, 200, 403),
    "admin/articles/image/": (302, 200, 200, 403),
    "admin/articles/image/add/": (302, 200, 200, 403),
    "admin/articles/image/<path:object_id>/history/": (302, 200, 200, 403),
    "admin/articles/image/<path:object_id>/delete/": (302, 403, 200, 403),
    "admin/articles/image/<path:object_id>/change/": (302, 200, 200, 403),
    "admin/articles/image/<path:object_id>/": (302, 302, 302, 302),
    "admin/articles/contributor/": (302, 200, 200, 403),
    "admin/articles/contributor/add/": (302, 403, 200, 403),
    "admin/articles/contributor/<path:object_id>/history/": (302, 200, 200, 403),
    "admin/articles/contributor/<path:object_id>/delete/": (302, 403, 200, 403),
    "admin/articles/contributor/<path:object_id>/change/": (302, 200, 200, 403),
    "admin/articles/contributor/<path:object_id>/": (302, 302, 302, 302),
    # Editors write the publication's own pages (About, Privacy...); others read them on the site.
    "admin/articles/page/": (302, 403, 200, 403),
    "admin/articles/page/add/": (302, 403, 200, 403),
    "admin/articles/page/<path:object_id>/history/": (302, 403, 200, 403),
    "admin/articles/page/<path:object_id>/delete/": (302, 403, 200, 403),
    "admin/articles/page/<path:object_id>/change/": (302, 403, 200, 403),
    "admin/articles/page/<path:object_id>/": (302, 302, 302, 302),
    "admin/articles/frontpageslot/": (302, 200, 200, 200),
    "admin/articles/frontpageslot/pin/<int:pk>/": (302, 405, 405, 405),
    "admin/articles/article/<int:pk>/lock/": (302, 403, 403, 403),
    # Autosaves take POSTs only; who may store one is the edit lock's or the signed key's
    # question (tests/articles/test_autosave.py).
    "admin/articles/article/<int:pk>/autosave/": (302, 405, 405, 405),
    "admin/articles/article/autosave/": (302, 405, 405, 405),
    "admin/articles/article/<int:pk>/preview-link/": (302, 403, 403, 403),
    "admin/articles/article/<int:pk>/preview-link/<int:link>/revoke/": (302, 403, 403, 403),
    "admin/articles/article/<int:pk>/compare/": (302, 200, 200, 403),
    "admin/articles/article/<int:pk>/withdraw/": (302, 403, 403, 403),
    # Live coverage (tests/articles/test_live.py): the POSTs are checked there; the
    # editor's update opens for editors only (not the journalist's story, a moderator).
    "admin/articles/article/<int:pk>/live/post/": (302, 405, 405, 405),
    "admin/articles/article/<int:pk>/live/<int:update>/edit/": (302, 403, 200, 403),
    "admin/articles/article/<int:pk>/live/<int:update>/delete/": (302, 405, 405, 405),
    "admin/articles/article/<int:pk>/live/start/": (302, 405, 405, 405),
    "admin/articles/article/<int:pk>/live/end/": (302, 405, 405, 405),
    "admin/articles/notification/": (302, 200, 200, 403),
    # Only one's own notification opens (tests/articles/test_notifications.py); none here.
    "admin/articles/notification/<int:pk>/open/": (302, 404, 404, 404),
    "admin/articles/article/<int:pk>/translate/<str:language>/": (302, 403, 403, 403),
    "admin/articles/article/tag-suggestions/": (302, 200, 200, 403),
    "admin/articles/article/^recover/$": (302, 403, 200, 403),
    "admin/articles/article/^recover/(\\d+)/$": (302, 403, 200, 403),
    "admin/articles/article/^([^/]+)/history/(\\d+)/$": (302, 403, 200, 403),
    "admin/articles/article/": (302, 200, 200, 403),
    "admin/articles/article/add/": (302, 200, 200, 403),
    "admin/articles/article/<path:object_id>/history/": (302, 200, 200, 403),
    "admin/articles/article/<path:object_id>/delete/": (302, 403, 200, 403),
    "admin/articles/article/<path:object_id>/change/": (302, 200, 200, 403),
    "admin/articles/article/<path:object_id>/": (302, 302, 302, 302),
    # Newsletters are the editors' (subscribers' addresses are personal data). A subscriber
    # is never added by hand: only the reader's confirmation subscribes an address.
    "admin/newsletters/newsletter/": (302, 403, 200, 403),
    "admin/newsletters/newsletter/add/": (302, 403, 200, 403),
    "admin/newsletters/newsletter/<path:object_id>/history/": (302, 403, 200, 403),
    "admin/newsletters/newsletter/<path:object_id>/delete/": (302, 403, 403, 403),
    "admin/newsletters/newsletter/<path:object_id>/change/": (302, 403, 200, 403),
    "admin/newsletters/newsletter/<path:object_id>/": (302, 302, 302, 302),
    "admin/newsletters/subscriber/": (302, 403, 200, 403),
    "admin/newsletters/subscriber/add/": (302, 403, 403, 403),
    "admin/newsletters/subscriber/<path:object_id>/history/": (302, 403, 200, 403),
    "admin/newsletters/subscriber/<path:object_id>/delete/": (302, 403, 200, 403),
    "admin/newsletters/subscriber/<path:object_id>/change/": (302, 403, 200, 403),
    "admin/newsletters/subscriber/<path:object_id>/": (302, 302, 302, 302),
    "admin/newsletters/issue/<int:issue_id>/preview/": (302, 403, 200, 403),
    "admin/newsletters/issue/<int:issue_id>/preview/mail/": (302, 403, 200, 403),
    "admin/newsletters/issue/": (302, 403, 200, 403),
    "admin/newsletters/issue/add/": (302, 403, 200, 403),
    "admin/newsletters/issue/<path:object_id>/history/": (302, 403, 200, 403),
    "admin/newsletters/issue/<path:object_id>/delete/": (302, 403, 200, 403),
    "admin/newsletters/issue/<path:object_id>/change/": (302, 403, 200, 403),
    "admin/newsletters/issue/<path:object_id>/": (302, 302, 302, 302),
    # The provider's reports: editors read them, nobody adds or changes one.
    "admin/newsletters/bounce/": (302, 403, 200, 403),
    "admin/newsletters/bounce/add/": (302, 403, 403, 403),
    "admin/newsletters/bounce/<path:object_id>/history/": (302, 403, 200, 403),
    "admin/newsletters/bounce/<path:object_id>/delete/": (302, 403, 403, 403),
    "admin/newsletters/bounce/<path:object_id>/change/": (302, 403, 200, 403),
    "admin/newsletters/bounce/<path:object_id>/": (302, 302, 302, 302),
    "admin/comments/comment/<path:object_id>/moderate/": (302, 405, 405, 405),
    "admin/comments/comment/": (302, 200, 200, 200),
    "admin/comments/comment/add/": (302, 403, 403, 403),
    "admin/comments/comment/<path:object_id>/history/": (302, 200, 200, 200),
    "admin/comments/comment/<path:object_id>/delete/": (302, 403, 403, 403),
    "admin/comments/comment/<path:object_id>/change/": (302, 200, 200, 200),
    "admin/comments/comment/<path:object_id>/": (302, 302, 302, 302),
    "admin/comments/moderationdecision/": (302, 403, 403, 200),
    "admin/comments/moderationdecision/add/": (302, 403, 403, 403),
    "admin/comments/moderationdecision/<path:object_id>/history/": (302, 403, 403, 200),
    "admin/comments/moderationdecision/<path:object_id>/delete/": (302, 403, 403, 403),
    "admin/comments/moderationdecision/<path:object_id>/change/": (302, 403, 403, 200),
    "admin/comments/moderationdecision/<path:object_id>/": (302, 302, 302, 302),
    "admin/comments/report/": (302, 403, 403, 200),
    "admin/comments/report/add/": (302, 403, 403, 403),
    "admin/comments/report/<path:object_id>/history/": (302, 403, 403, 200),
    "admin/comments/report/<path:object_id>/delete/": (302, 403, 403, 403),
    "admin/comments/report/<path:object_id>/change/": (302, 403, 403, 200),
    "admin/comments/report/<path:object_id>/": (302, 302, 302, 302),
    "admin/comments/discardedsubmission/": (302, 403, 403, 200),
    "admin/comments/discardedsubmission/add/": (302, 403, 403, 403),
    "admin/comments/discardedsubmission/<path:object_id>/history/": (302, 403, 403, 200),
    "admin/comments/discardedsubmission/<path:object_id>/delete/": (302, 403, 403, 403),
    "admin/comments/discardedsubmission/<path:object_id>/change/": (302, 403, 403, 200),
    "admin/comments/discardedsubmission/<path:object_id>/": (302, 302, 302, 302),
    "admin/comments/ban/": (302, 403, 403, 200),
    "admin/comments/ban/add/": (302, 403, 403, 200),
    "admin/comments/ban/<path:object_id>/history/": (302, 403, 403, 200),
    "admin/comments/ban/<path:object_id>/delete/": (302, 403, 403, 200),
    "admin/comments/ban/<path:object_id>/change/": (302, 403, 403, 200),
    "admin/comments/ban/<path:object_id>/": (302, 302, 302, 302),
    "admin/comments/blockedterm/": (302, 403, 403, 200),
    "admin/comments/blockedterm/add/": (302, 403, 403, 200),
    "admin/comments/blockedterm/<path:object_id>/history/": (302, 403, 403, 200),
    "admin/comments/blockedterm/<path:object_id>/delete/": (302, 403, 403, 200),
    "admin/comments/blockedterm/<path:object_id>/change/": (302, 403, 403, 200),
    "admin/comments/blockedterm/<path:object_id>/": (302, 302, 302, 302),
    # Editors maintain the reject reasons; moderators pick from them and may read the list.
    "admin/comments/rejectreason/": (302, 403, 200, 200),
    "admin/comments/rejectreason/add/": (302, 403, 200, 403),
    "admin/comments/rejectreason/<path:object_id>/history/": (302, 403, 200, 200),
    "admin/comments/rejectreason/<path:object_id>/delete/": (302, 403, 200, 403),
    "admin/comments/rejectreason/<path:object_id>/change/": (302, 403, 200, 200),
    "admin/comments/rejectreason/<path:object_id>/": (302, 302, 302, 302),
    "admin/axes/accessattempt/": (302, 403, 403, 403),
    "admin/axes/accessattempt/add/": (302, 403, 403, 403),
    "admin/axes/accessattempt/<path:object_id>/history/": (302, 403, 403, 403),
    "admin/axes/accessattempt/<path:object_id>/delete/": (302, 403, 403, 403),
    "admin/axes/accessattempt/<path:object_id>/change/": (302, 403, 403, 403),
    "admin/axes/accessattempt/<path:object_id>/": (302, 302, 302, 302),
    "admin/axes/accesslog/": (302, 403, 403, 403),
    "admin/axes/accesslog/add/": (302, 403, 403, 403),
    "admin/axes/accesslog/<path:object_id>/history/": (302, 403, 403, 403),
    "admin/axes/accesslog/<path:object_id>/delete/": (302, 403, 403, 403),
    "admin/axes/accesslog/<path:object_id>/change/": (302, 403, 403, 403),
    "admin/axes/accesslog/<path:object_id>/": (302, 302, 302, 302),
    "admin/axes/accessfailurelog/": (302, 403, 403, 403),
    "admin/axes/accessfailurelog/add/": (302, 403, 403, 403),
    "admin/axes/accessfailurelog/<path:object_id>/history/": (302, 403, 403, 403),
    "admin/axes/accessfailurelog/<path:object_id>/delete/": (302, 403, 403, 403),
    "admin/axes/accessfailurelog/<path:object_id>/change/": (302, 403, 403, 403),
    "admin/axes/accessfailurelog/<path:object_id>/": (302, 302, 302, 302),
    "admin/django_tasks_database/dbtaskresult/": (302, 403, 403, 403),
    "admin/django_tasks_database/dbtaskresult/add/": (302, 403, 403, 403),
    "admin/django_tasks_database/dbtaskresult/<path:object_id>/history/": (302, 403, 403, 403),
    "admin/django_tasks_database/dbtaskresult/<path:object_id>/delete/": (302, 403, 403, 403),
    "admin/django_tasks_database/dbtaskresult/<path:object_id>/change/": (302, 403, 403, 403),
    "admin/django_tasks_database/dbtaskresult/<path:object_id>/": (302, 302, 302, 302),
    "admin/otp_totp/totpdevice/<int:pk>/config/": (302, 403, 403, 403),
    "admin/otp_totp/totpdevice/<int:pk>/qrcode/": (302, 403, 403, 403),
    "admin/otp_totp/totpdevice/": (302, 403, 403, 403),
    "admin/otp_totp/totpdevice/add/": (302, 403, 403, 403),
    "admin/otp_totp/totpdevice/<path:object_id>/history/": (302, 403, 403, 403),
    "admin/otp_totp/totpdevice/<path:object_id>/delete/": (302, 403, 403, 403),
    "admin/otp_totp/totpdevice/<path:object_id>/change/": (302, 403, 403, 403),
    "admin/otp_totp/totpdevice/<path:object_id>/": (302, 302, 302, 302),
    # Editors' insight (issue 23): a chart's CSV for whoever sees the chart (moderators see
    # the review charts, not the readership: tests/insights/test_readership.py); the
    # translation board for those who work on stories; "checked" is a POST for editors.
    "admin/insights/chart/<slug:slug>.csv": (302, 200, 200, 404),
    "admin/insights/translations/": (302, 200, 200, 403),
    "admin/insights/translations/<int:pk>/checked/": (302, 405, 405, 405),
    "admin/^(?P<app_label>...)/$": (302, 200, 200, 200),  # moderators see the front page
    "admin/(?P<url>.*)$": (302, 302, 302, 302),
}  # fmt: skip


def admin_routes(patterns=None, prefix=""):
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            yield from admin_routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and prefix.startswith("admin/"):
            # The app index lists the registered apps in the order they registered.
            yield re.sub(r"<app_label>[^)]*", "<app_label>...", prefix + str(entry.pattern))


@pytest.fixture
def newsroom():
    """One object of each kind the admin shows, and the four visitors."""
    people = {
        "anonymous": None,
        "journalist": staff_in_role("jana", "Journalists"),
        "editor": staff_in_role("edith", "Editors"),
        "moderator": staff_in_role("mona", "Moderators"),
    }
    story = ArticleFactory(created_by=people["editor"], section=SectionFactory())
    BylineFactory(article=story, contributor=ContributorFactory())
    RelatedLinkFactory(article=story)
    CorrectionFactory(article=story)
    with reversion.create_revision():
        story.save()
    ArticleFactory(created_by=people["journalist"], draft=True)
    doomed = ArticleFactory(created_by=people["editor"], draft=True)
    with reversion.create_revision():
        doomed.save()
    doomed.delete()
    review = CommentFactory(article=story)
    briefing = Newsletter.objects.create(name="Briefing", slug="briefing", language="en")
    objects = {
        "auth/group": Group.objects.get(name="Editors"),
        "auth/user": people["editor"],
        "taggit/tag": Tag.objects.create(name="Budget", slug="budget"),
        "newsroom/sociallink": SocialLink.objects.create(
            name="Mastodon", url="https://m.example/"
        ),
        "articles/section": story.section,
        "articles/image": ImageFactory(),
        "articles/contributor": story.bylines.get().contributor,
        "articles/article": story,
        "articles/page": Page.objects.create(language="en", kind="about", title="About us"),
        "comments/comment": review,
        "comments/moderationdecision": ModerationDecision.objects.create(
            comment=review,
            moderator=people["moderator"],
            from_status="pending",
            to_status="approved",
        ),
        "comments/report": Report.objects.create(comment=review, reason="spam", reporter_hash="x"),
        "comments/discardedsubmission": DiscardedSubmission.objects.create(
            day=story.published_at.date(), reason="honeypot"
        ),
        "comments/ban": Ban.objects.create(
            email="troll@example.com", created_by=people["moderator"]
        ),
        "comments/blockedterm": BlockedTerm.objects.create(term="scam"),
        "newsletters/newsletter": briefing,
        "newsletters/subscriber": Subscriber.objects.create(newsletter=briefing, email="a@b.c"),
        "newsletters/issue": Issue.objects.create(newsletter=briefing, subject="Monday"),
        "newsletters/bounce": Bounce.objects.create(email="gone@example.com", kind="hard"),
        "comments/rejectreason": RejectReason.objects.first(),
        "axes/accessattempt": AccessAttempt.objects.create(
            username="edith", failures_since_start=1
        ),
        "axes/accesslog": AccessLog.objects.create(username="edith"),
        "axes/accessfailurelog": AccessFailureLog.objects.create(username="edith"),
        "otp_totp/totpdevice": TOTPDevice.objects.create(user=people["editor"], name="phone"),
        "django_tasks_database/dbtaskresult": DBTaskResult.objects.get(
            pk=probe_tasks.note.enqueue("matrix").id
        ),
    }
    values = {
        "version_id": Version.objects.get_for_object(story).first().pk,
        "recover": Version.objects.get_deleted(Article).first().pk,
        "link": PreviewLink.objects.create(article=story, created_by=people["editor"]).pk,
        "update": LiveUpdate.objects.create(
            article=story, author=people["editor"], body="<p>Live.</p>"
        ).pk,
        "content_type_id": ContentType.objects.get_for_model(Article).pk,
    }
    return people, objects, values


def concrete(route, objects, values):
    """An address for ``route`` that points at the newsroom's objects."""
    model = re.match(r"admin/(\w+)/(\w+)/", route)
    obj = objects.get("/".join(model.groups())) if model else None
    replacements = [
        (r"\^\(\?P<app_label>\.\.\.\)/\$", "articles/"),
        (r"\(\?P<url>\.\*\)\$", "no-such-page/"),
        (r"\^recover/\$", "recover/"),
        (
            r"\^\(\[\^/\]\+\)/history/\(\\d\+\)/\$",
            f"{objects['articles/article'].pk}/history/{values['version_id']}/",
        ),
        (r"\^recover/\(\\d\+\)/\$", f"recover/{values['recover']}/"),
        (
            r"<path:content_type_id>/<path:object_id>",
            f"{values['content_type_id']}/{objects['articles/article'].pk}",
        ),
        (r"<(?:path:object_id|int:pk|id)>", str(obj.pk) if obj else "1"),
        (r"<int:version_id>", str(values["version_id"])),
        (r"<int:issue_id>", str(objects["newsletters/issue"].pk)),
        (r"<int:link>", str(values["link"])),
        (r"<int:update>", str(values["update"])),
        (r"<str:language>", "ru"),
        (r"<slug:slug>", "reads-daily"),
    ]
    address = route
    for pattern, value in replacements:
        address = re.sub(pattern, value, address)
    assert "<" not in address and "(" not in address, address
    return "/" + address


def answers(newsroom):
    people, objects, values = newsroom
    clients = {}
    for role, user in people.items():
        clients[role] = Client()
        if user is not None:
            clients[role].force_login(user)
    return {
        route: tuple(
            clients[role].get(concrete(route, objects, values)).status_code for role in ROLES
        )
        for route in admin_routes()
    }


def test_every_admin_route_has_a_row():
    assert set(admin_routes()) == set(MATRIX)


def test_every_admin_route_answers_each_role_as_the_matrix_says(newsroom):
    observed = answers(newsroom)
    wrong = {route: (codes, MATRIX.get(route)) for route, codes in observed.items()}
    assert {route: pair for route, pair in wrong.items() if pair[0] != pair[1]} == {}
