"""The moderation queue, as moderators use it.

Moderation (approve, reject, spam, ban) happens only through actions: bulk ones on the
queue and single ones on a review's page, all POST-only and offered to, and accepted from,
holders of ``comments.moderate_comment`` alone. Each goes through ``comments.services``,
which leaves a ``ModerationDecision``. Journalists and editors can read reviews.
"""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import admin_views
from .admin_views import MODERATION_ACTIONS
from .forms import RejectForm
from .models import (
    Ban,
    BlockedTerm,
    Comment,
    DiscardedSubmission,
    ModerationDecision,
    RejectReason,
    Report,
)
from .queue import QueueFilter, queue_tabs
from .services import authors_ban, comments_set_status


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReportInline(ReadOnlyInline):
    model = Report
    fields = ["created_at", "reason", "is_resolved"]
    readonly_fields = fields


class DecisionInline(ReadOnlyInline):
    model = ModerationDecision
    fields = ["created_at", "moderator_username", "from_status", "to_status", "reason"]
    readonly_fields = fields


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    # Four columns, so the queue fits beside the filters on a laptop screen.
    list_display = ["posted", "text", "author", "reasons"]
    list_display_links = ["posted"]
    list_filter = [QueueFilter, "article__language", "created_at"]
    search_fields = ["author_name", "email", "body", "article__headline"]
    ordering = ["-created_at", "-pk"]
    # No date_hierarchy: its year links scan every review (150 ms at 200,000); the
    # "created_at" filter offers the same ranges. One count, not two (docs/performance.md).
    show_full_result_count = False
    list_per_page = 50
    actions = sorted(MODERATION_ACTIONS)
    fields = [
        "article", "parent", "author_name", "email", "user", "is_newsroom", "body", "status",
        "held_because", "created_at", "moderated_at",
    ]  # fmt: skip
    # Status changes only through the actions, so every one is recorded.
    readonly_fields = fields
    inlines = [ReportInline, DecisionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).for_moderation()

    def get_ordering(self, request):
        # The reader who has waited longest is served first; "Newest first" is a link away.
        if request.GET.get("queue") == "pending":
            return ["created_at", "pk"]
        return super().get_ordering(request)

    def get_inline_instances(self, request, obj=None):
        # No empty bars on a review's page: a section shows only when it has rows.
        inlines = super().get_inline_instances(request, obj)
        return [
            inline
            for inline in inlines
            if obj is not None and inline.model.objects.filter(comment=obj).exists()
        ]

    def has_moderate_permission(self, request):
        return request.user.has_perm("comments.moderate_comment")

    # Readers are promised their address is shown to moderators only: everyone else who
    # may read the queue sees it masked, and cannot search by it (a hit would confirm it).
    def get_list_display(self, request):
        if self.has_moderate_permission(request):
            return [*self.list_display, self.row_actions(request)]
        return [name if name != "author" else "author_masked" for name in self.list_display]

    def get_fields(self, request, obj=None):
        if self.has_moderate_permission(request):
            return self.fields
        return [name if name != "email" else "masked_email" for name in self.fields]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def get_search_fields(self, request):
        if self.has_moderate_permission(request):
            return self.search_fields
        return [name for name in self.search_fields if name != "email"]

    def has_add_permission(self, request):
        return False  # Reviews come from readers (and staff replies on the story page).

    @admin.display(description=_("review and story"))
    def text(self, comment):
        answers = ""
        if comment.parent_id:
            answers = format_html(
                '<br><small>{} <q dir="auto">{}</q></small>',
                _("in reply to"),
                Truncator(comment.parent.body).chars(80),
            )
        return format_html(
            '<span dir="auto">{}</span>{}<br><small>{} <a href="{}" dir="auto">{}</a></small>',
            Truncator(comment.body).chars(200),
            answers,
            _("on"),
            comment.get_absolute_url(),
            Truncator(comment.article.headline).chars(48),
        )

    def row_actions(self, request):
        """The row's one-click decisions (a column only moderators get). They post the row's
        form, rendered below the list by the changelist template (forms cannot nest)."""
        reasons = list(RejectReason.objects.active())
        next_url = request.get_full_path()

        @admin.display(description=_("decide"))
        def decide(comment):
            context = {"review": comment, "reasons": reasons, "next": next_url}
            return render_to_string("admin/comments/comment/row_actions.html", context)

        return decide

    @admin.display(description=_("held because"))
    def held_because(self, comment):
        return "; ".join(comment.held_reasons) or "—"

    @admin.display(description=_("author and history"), ordering="author_name")
    def author(self, comment, email=None):
        return format_html(
            '<span dir="auto">{}</span>{}<br><small>{}<br>{}{}</small>',
            comment.author_name,
            _(" (Newsroom)") if comment.is_newsroom else "",
            comment.email if email is None else email,
            _("%(approved)d approved, %(rejected)d rejected")
            % {"approved": comment.author_approved, "rejected": comment.author_rejected},
            format_html(", <strong>{}</strong>", _("banned")) if comment.author_banned else "",
        )

    @admin.display(description=_("author and history"), ordering="author_name")
    def author_masked(self, comment):
        return self.author(comment, email=comment.masked_email)

    @admin.display(description=_("email"))
    def masked_email(self, comment):
        return comment.masked_email

    @admin.display(description=_("posted"), ordering="created_at")
    def posted(self, comment):
        return format_html(
            "{}<br><small>{}</small>",
            date_format(timezone.localtime(comment.created_at), "SHORT_DATETIME_FORMAT"),
            comment.get_status_display(),
        )

    @admin.display(description=_("held because"))
    def reasons(self, comment):
        reports = ngettext("%(count)d open report", "%(count)d open reports", comment.open_reports)
        return format_html(
            "{}<br><small>{}</small>",
            self.held_because(comment),
            reports % {"count": comment.open_reports} if comment.open_reports else "",
        )

    def _done(self, request, message, **params):
        self.message_user(request, message % params, messages.SUCCESS)

    def _set_status(self, request, queryset, status, reason=""):
        count = comments_set_status(
            comments=queryset, status=status, moderator=request.user, reason=reason
        )
        self._done(
            request,
            ngettext(
                "%(count)d review moved to “%(status)s”.",
                "%(count)d reviews moved to “%(status)s”.",
                count,
            ),
            count=count,
            status=Comment.Status(status).label,
        )

    @admin.action(description=_("Approve"), permissions=["moderate"])
    def approve_comments(self, request, queryset):
        self._set_status(request, queryset, Comment.Status.APPROVED)

    @admin.action(description=_("Reject (with a reason)…"), permissions=["moderate"])
    def reject_comments(self, request, queryset):
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            self._set_status(
                request, queryset, Comment.Status.REJECTED, form.cleaned_data["reason"]
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Reject reviews"),
            "opts": self.model._meta,
            "reviews": queryset,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/comments/comment/reject.html", context)

    @admin.action(description=_("Mark as spam"), permissions=["moderate"])
    def mark_spam(self, request, queryset):
        self._set_status(request, queryset, Comment.Status.SPAM)

    @admin.action(description=_("Ban author"), permissions=["moderate"])
    def ban_authors(self, request, queryset):
        count = authors_ban(comments=queryset, moderator=request.user)
        self._done(
            request,
            ngettext("%(count)d author banned.", "%(count)d authors banned.", count),
            count=count,
        )

    @admin.action(
        description=_("Ban author and reject their pending reviews"), permissions=["moderate"]
    )
    def ban_authors_and_reject_pending(self, request, queryset):
        count = authors_ban(comments=queryset, moderator=request.user, reject_pending=True)
        self._done(
            request,
            ngettext(
                "%(count)d author banned; their pending reviews rejected.",
                "%(count)d authors banned; their pending reviews rejected.",
                count,
            ),
            count=count,
        )

    def changelist_view(self, request, extra_context=None):
        # Without the permission the actions are not offered; a forged POST gets a 403.
        if (
            request.method == "POST"
            and request.POST.get("action") in MODERATION_ACTIONS
            and not self.has_moderate_permission(request)
        ):
            raise PermissionDenied
        queue = request.GET.get("queue", "")
        extra_context = {
            **(extra_context or {}),
            "can_moderate": self.has_moderate_permission(request),
            "queue": queue,
            "queue_tabs": queue_tabs(queue),
            "newest_first": request.GET.get("o") == "-1",
        }
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Every field is read-only: no Save row, the decisions come first instead.
        extra_context = {
            **(extra_context or {}),
            "can_moderate": self.has_moderate_permission(request),
            "reasons": RejectReason.objects.active(),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        # The view asks this admin's permission and actions, exactly as the queue does.
        moderate = self.admin_site.admin_view(admin_views.moderate)
        return [
            path(
                "<path:object_id>/moderate/",
                moderate,
                {"model_admin": self},
                name="comments_comment_moderate",
            ),
            *super().get_urls(),
        ]


class AppendOnlyAdmin(admin.ModelAdmin):
    """Rows written by the code; the admin only shows them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ModerationDecision)
class ModerationDecisionAdmin(AppendOnlyAdmin):
    list_display = ["created_at", "comment", "moderator_username", "from_status", "to_status",
                    "reason"]  # fmt: skip
    list_filter = ["to_status", "created_at"]
    list_select_related = ["comment"]
    search_fields = ["moderator_username", "reason"]


@admin.register(Report)
class ReportAdmin(AppendOnlyAdmin):
    list_display = ["created_at", "comment", "reason", "is_resolved"]
    list_filter = ["reason", "is_resolved"]
    list_select_related = ["comment"]


@admin.register(DiscardedSubmission)
class DiscardedSubmissionAdmin(AppendOnlyAdmin):
    list_display = ["day", "reason", "count"]
    list_filter = ["reason"]


@admin.register(Ban)
class BanAdmin(admin.ModelAdmin):
    list_display = ["__str__", "until", "reason", "created_at"]
    search_fields = ["email", "reason"]
    list_filter = ["until", "created_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(RejectReason)
class RejectReasonAdmin(admin.ModelAdmin):
    list_display = ["label", "position", "is_active"]
    list_editable = ["position", "is_active"]


@admin.register(BlockedTerm)
class BlockedTermAdmin(admin.ModelAdmin):
    list_display = ["term", "language", "action", "created_at"]
    list_filter = ["language", "action"]
    search_fields = ["term"]
