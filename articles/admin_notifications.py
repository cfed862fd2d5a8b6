""" "My notifications": each user's own notifications and their email choice, in the admin.

Not a stock model admin: nobody adds, edits or deletes a notification, and nobody sees
another's. The page lists the user's notifications (newest first) beside the email
preference; opening one marks it read and goes to its story.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Notification, NotificationPreference

LISTED = 50


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["email"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    def has_module_permission(self, request):
        # Everyone who works on stories gets notifications; moderators do not.
        return request.user.is_active and request.user.has_perm("articles.view_article")

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request) and (
            obj is None or obj.recipient_id == request.user.pk
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        def route(address, view, name):
            return path(address, self.admin_site.admin_view(view), name=name)

        return [
            route("", self.my_notifications, "articles_notification_changelist"),
            route("<int:pk>/open/", self.open_notification, "articles_notification_open"),
        ]

    def my_notifications(self, request):
        """GET: the list and the email choice; POST: save the choice, or mark all read."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        mine = Notification.objects.for_user(request.user)
        preference = NotificationPreference.objects.filter(user=request.user).first()
        form = PreferenceForm(
            # An unticked box sends nothing: a POST with no data is still the form's.
            request.POST if request.method == "POST" else None,
            instance=preference or NotificationPreference(user=request.user),
        )
        if request.method == "POST":
            if "mark_all_read" in request.POST:
                mine.unread().update(read_at=timezone.now())
                self.message_user(request, _("All your notifications are marked read."))
                return redirect("admin:articles_notification_changelist")
            if form.is_valid():
                form.save()
                self.message_user(request, _("Your notification settings are saved."))
                return redirect("admin:articles_notification_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("My notifications"),
            "notifications": mine.select_related("article", "actor")[:LISTED],
            "form": form,
        }
        return TemplateResponse(request, "admin/articles/notifications.html", context)

    def open_notification(self, request, pk):
        """Mark the notification read and go to its story."""
        notification = get_object_or_404(Notification, pk=pk)
        if not self.has_view_permission(request, notification):
            raise PermissionDenied
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
        return redirect("admin:articles_article_change", notification.article_id)
