"""The issue preview an editor checks before sending: the HTML part in a frame at phone
width and at desktop width, and the plain-text part, exactly as a subscriber gets them."""

from csp.decorators import csp_replace
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from .mail import issue_message
from .models import Issue, Subscriber


def _sample(issue, email="reader@example.com"):
    """An unsaved subscriber: the preview's links are signed for nobody real."""
    return Subscriber(pk=0, newsletter=issue.newsletter, email=email)


def _issue(request, model_admin, issue_id):
    issue = get_object_or_404(Issue.objects.select_related("newsletter"), pk=issue_id)
    if not model_admin.has_view_permission(request, issue):
        raise PermissionDenied
    return issue


def _parts(issue, subscriber):
    message = issue_message(issue, subscriber, list(issue.ordered_stories()))
    return message.alternatives[0].content, message.body


def preview(request, issue_id, model_admin):
    issue = _issue(request, model_admin, issue_id)
    _html, text = _parts(issue, _sample(issue))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Preview: %(subject)s") % {"subject": issue.subject},
        "issue": issue,
        "text": text,
    }
    return TemplateResponse(request, "admin/newsletters/issue_preview.html", context)


# The mail's own HTML, shown in the preview's frames: its inline styles are what mail
# clients read, so this one response allows them, and only the admin may frame it.
@csp_replace({"style-src": ["'unsafe-inline'"], "frame-ancestors": ["'self'"], "img-src": ["*"]})
def preview_mail(request, issue_id, model_admin):
    issue = _issue(request, model_admin, issue_id)
    html, _text = _parts(issue, _sample(issue))
    response = HttpResponse(html)
    response["X-Frame-Options"] = "SAMEORIGIN"
    return response


def send_test(issues, email):
    count = 0
    for issue in issues.select_related("newsletter"):
        message = issue_message(issue, _sample(issue, email), list(issue.ordered_stories()))
        message.subject = _("[Test] %(subject)s") % {"subject": issue.subject}
        count += message.send()
    return count
