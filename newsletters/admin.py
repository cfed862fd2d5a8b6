"""Newsletters in the admin: newsletters, subscribers (searchable), and issues with their
delivery counts, composed, previewed, tested and sent by editors (``send_issue``)."""

from django.contrib import admin, messages
from django.db.models import Count, Q
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import admin_views
from .automatic import automatic_plan
from .models import Bounce, Delivery, Issue, IssueStory, Newsletter, Subscriber
from .services import issue_prefill, issue_send


@admin.register(Newsletter)
class NewsletterAdmin(admin.ModelAdmin):
    list_display = ["name", "language", "is_active", "cadence", "confirmed"]
    list_filter = ["language", "is_active", "cadence"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Its next automatic issue, at the time just set (a changed time leaves the old
        # slot's task to find it is no slot any more).
        automatic_plan(obj)

    def get_queryset(self, request):
        confirmed = Count("subscribers", filter=Q(subscribers__status=Subscriber.Status.CONFIRMED))
        return super().get_queryset(request).annotate(confirmed=confirmed)

    @admin.display(description=_("confirmed subscribers"), ordering="confirmed")
    def confirmed(self, newsletter):
        return newsletter.confirmed


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "newsletter", "status", "created_at", "confirmed_at"]
    list_filter = ["status", "newsletter__language", "newsletter"]
    list_select_related = ["newsletter"]
    search_fields = ["email"]
    date_hierarchy = "created_at"
    readonly_fields = ["email", "newsletter", "created_at", "confirmed_at", "unsubscribed_at"]
    fields = [*readonly_fields, "status"]
    show_full_result_count = False

    def has_add_permission(self, request):
        # Only a reader's confirmation subscribes an address (double opt-in).
        return False


class IssueStoryInline(admin.TabularInline):
    model = IssueStory
    autocomplete_fields = ["article"]
    extra = 1


def _count(status):
    return Count("deliveries", filter=Q(deliveries__status=status))


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    list_display = [
        "subject", "newsletter", "status", "send_at", "queued", "sent", "failed", "opened",
    ]  # fmt: skip
    list_filter = ["status", "newsletter__language", "newsletter"]
    list_select_related = ["newsletter"]
    search_fields = ["subject"]
    inlines = [IssueStoryInline]
    fields = [
        "newsletter",
        "subject",
        "intro",
        "send_at",
        "status",
        "sent_at",
        "period",
        "preview",
    ]
    readonly_fields = ["status", "sent_at", "period", "preview"]
    actions = ["prefill", "send_test", "send_now", "schedule"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                queued=_count(Delivery.Status.QUEUED),
                sent=_count(Delivery.Status.SENT),
                failed=_count(Delivery.Status.FAILED),
            )
        )

    @admin.display(description=_("queued"), ordering="queued")
    def queued(self, issue):
        return issue.queued

    @admin.display(description=_("sent"), ordering="sent")
    def sent(self, issue):
        return issue.sent

    @admin.display(description=_("failed"), ordering="failed")
    def failed(self, issue):
        return issue.failed

    @admin.display(description=_("opens"), ordering="opens")
    def opened(self, issue):
        # A dash where the newsletter does not count opens: not "nobody opened it".
        return issue.opens if issue.newsletter.count_opens else self.get_empty_value_display()

    @admin.display(description=_("preview"))
    def preview(self, issue):
        if issue.pk is None:
            return _("Save the issue to preview it.")
        url = reverse("admin:newsletters_issue_preview", args=[issue.pk])
        return format_html('<a href="{}">{}</a>', url, _("HTML and plain text, at phone width"))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:issue_id>/preview/",
                view(admin_views.preview),
                {"model_admin": self},
                name="newsletters_issue_preview",
            ),
            path(
                "<int:issue_id>/preview/mail/",
                view(admin_views.preview_mail),
                {"model_admin": self},
                name="newsletters_issue_preview_mail",
            ),
            *super().get_urls(),
        ]

    def has_send_permission(self, request):
        return request.user.has_perm("newsletters.send_issue")

    def has_change_permission(self, request, obj=None):
        # A sent issue is a record: its text is what readers received.
        if obj is not None and obj.status in (Issue.Status.SENDING, Issue.Status.SENT):
            return False
        return super().has_change_permission(request, obj)

    @admin.action(
        description=_("Fill with the top stories of the last 24 hours"), permissions=["change"]
    )
    def prefill(self, request, queryset):
        for issue in queryset.filter(status=Issue.Status.DRAFT):
            issue_prefill(issue=issue)
        self.message_user(request, _("The drafts now hold the top stories of the last 24 hours."))

    @admin.action(description=_("Send a test to me"), permissions=["change"])
    def send_test(self, request, queryset):
        if not request.user.email:
            self.message_user(request, _("Your account has no email address."), messages.ERROR)
            return
        count = admin_views.send_test(queryset, request.user.email)
        self.message_user(
            request,
            ngettext(
                "%(count)d test sent to %(email)s.", "%(count)d tests sent to %(email)s.", count
            )
            % {"count": count, "email": request.user.email},
        )

    @admin.action(description=_("Send now"), permissions=["send"])
    def send_now(self, request, queryset):
        for issue in queryset.filter(status__in=[Issue.Status.DRAFT, Issue.Status.SCHEDULED]):
            issue_send(issue=issue)
        self.message_user(request, _("Sending has started; the counts show its progress."))

    @admin.action(description=_("Schedule at its “send at” time"), permissions=["send"])
    def schedule(self, request, queryset):
        planned = queryset.filter(status=Issue.Status.DRAFT, send_at__isnull=False)
        for issue in planned:
            issue_send(issue=issue, when=issue.send_at)
        self.message_user(request, _("Issues with a time to send are scheduled."))


@admin.register(Bounce)
class BounceAdmin(admin.ModelAdmin):
    """What the provider's webhook reported, as it reported it: a record, not for editing."""

    list_display = ["email", "kind", "description", "received_at"]
    list_filter = ["kind"]
    search_fields = ["email"]
    date_hierarchy = "received_at"
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
