from django import template

from articles.models import Notification

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context):
    """The header's count of the user's unread notifications (None for those who get
    none): one query per page, kept on the request for any second use in the page."""
    request = context.get("request")
    if request is None or not request.user.has_perm("articles.view_article"):
        return None
    if not hasattr(request, "_unread_notifications"):
        request._unread_notifications = (
            Notification.objects.for_user(request.user).unread().count()
        )
    return request._unread_notifications
