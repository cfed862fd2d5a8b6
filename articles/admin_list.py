"""The story list: its columns (the headline takes the room; status as a badge, author,
section and language, last change) and its filters: by workflow state, the user's own
stories, and the stories waiting for the user (in review for an editor; returned to them
for a journalist). Every column reads the row and its ``list_select_related`` only."""

from django.contrib import admin
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Article, Byline, returned_q


class StateFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return Article.State.choices

    def queryset(self, request, queryset):
        return queryset.in_state(self.value()) if self.value() else queryset


class MineFilter(admin.SimpleListFilter):
    """Stories the user created or is bylined on (through their contributor record)."""

    title = _("author")
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("1", _("My stories"))]

    def queryset(self, request, queryset):
        if self.value() != "1":
            return queryset
        bylined = Byline.objects.filter(article=OuterRef("pk"), contributor__user=request.user)
        return queryset.filter(Q(created_by=request.user) | Q(Exists(bylined)))


class WaitingFilter(admin.SimpleListFilter):
    """What waits for the user's next move: an editor reviews, a journalist revises."""

    title = _("next move")
    parameter_name = "waiting"

    def lookups(self, request, model_admin):
        return [("1", _("Waiting for me"))]

    def queryset(self, request, queryset):
        if self.value() != "1":
            return queryset
        if request.user.has_perm("articles.publish_article"):
            return queryset.in_state(Article.State.REVIEW)
        return queryset.filter(returned_q(), created_by=request.user)


def _short(moment):
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


class StoryListColumns:
    """``ArticleAdmin``'s changelist columns beyond the headline."""

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, article):
        badge = format_html(
            '<span class="status-badge status-badge--{}">{}</span>',
            article.state,
            article.state.label,
        )
        if article.state != Article.State.SCHEDULED:
            return badge
        return format_html(
            '{} <span class="status-when">{}</span>', badge, _short(article.published_at)
        )

    @admin.display(description=_("author"), ordering="created_by__last_name")
    def author(self, article):
        user = article.created_by
        return (user.get_full_name() or user.get_username()) if user else "—"

    @admin.display(description=_("section"), ordering="section__name")
    def where(self, article):
        return f"{article.section} · {article.language}"

    @admin.display(description=_("changed"), ordering="updated_at")
    def changed(self, article):
        return _short(article.updated_at)
