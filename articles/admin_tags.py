"""The tag admin: django-taggit's, with its merge screen behind the permissions it needs.

taggit's ``merge_tags_view`` checks no permission (any staff login, a moderator included,
could open it and create tags) and trusts the tag ids it kept in the session (a stale or
missing id answered 500). Merging moves every story's tag and leaves the old tags empty,
so it is for those who may change and delete tags: editors, not journalists.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from taggit.admin import TagAdmin as TaggitTagAdmin
from taggit.models import Tag

from .forms import TagForm
from .models import Article, TagLanguage
from .search import reindex_stories_on_commit

admin.site.unregister(Tag)


class TagLanguageInline(admin.StackedInline):
    """The tag's language and the tag it translates (tags of one original translate one
    another, so "Translate into …" carries the story's tags over)."""

    model = TagLanguage
    fk_name = "tag"
    can_delete = True
    max_num = 1
    autocomplete_fields = ["original"]


@admin.register(Tag)
class TagAdmin(TaggitTagAdmin):
    # Checks a name's uniqueness on the name that will be saved (without control
    # characters, core/text.py).
    form = TagForm
    inlines = [*TaggitTagAdmin.inlines, TagLanguageInline]
    list_display = [*TaggitTagAdmin.list_display, "language"]
    list_select_related = ["language_info"]
    list_filter = ["language_info__language"]

    @admin.display(description=_("language"), ordering="language_info__language")
    def language(self, tag):
        info = getattr(tag, "language_info", None)
        return info.get_language_display() if info else _("every language")

    def has_merge_permission(self, request):
        return self.has_change_permission(request) and self.has_delete_permission(request)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not self.has_merge_permission(request):
            actions.pop("render_tag_form", None)
        return actions

    def merge_tags_view(self, request):
        if not self.has_merge_permission(request):
            raise PermissionDenied
        chosen = request.session.get("selected_tag_ids", "").split(",")
        if not all(pk.isdigit() for pk in chosen) or Tag.objects.filter(
            pk__in=chosen
        ).count() != len(set(chosen)):
            request.session.pop("selected_tag_ids", None)
            self.message_user(
                request, _("Choose the tags to merge in the list first."), messages.WARNING
            )
            return redirect("admin:taggit_tag_changelist")
        response = super().merge_tags_view(request)
        if request.method == "POST" and "selected_tag_ids" not in request.session:
            # Merged: the stories now carry the new tag; taggit saved their tagged items
            # one by one, which no index receiver hears, so a worker re-indexes them.
            merged = Tag.objects.filter(name__iexact=request.POST.get("new_tag_name", ""))
            reindex_stories_on_commit(Article.objects.filter(tags__in=merged))
        return response
