from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.templatetags.static import static
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from reversion.admin import VersionAdmin

from core.admin_inputs import BoundedDateHierarchy, ValidatedAutocompleteFields

from . import (
    admin_notifications,  # noqa: F401 (registers "My notifications")
    admin_pages,  # noqa: F401 (registers the publication's own pages)
    admin_tags,  # noqa: F401 (registers the tag admin over taggit's)
    admin_views,
    locks,
    media_picker,
)
from .admin_desk import StoryDeskMixin
from .admin_list import MineFilter, StateFilter, StoryListColumns, WaitingFilter
from .admin_live import LiveDeskMixin
from .admin_related import RelatedLinkInline, SuggestionsMixin
from .forms import NEWSROOM_TIME, ArticleAdminForm, ImageForm
from .frontpage_admin import PinAsLeadMixin
from .images import PLACEHOLDER, rendition
from .models import (
    Article,
    Byline,
    Contributor,
    Correction,
    Image,
    Section,
    SectionRedirect,
)
from .notifications import notifications_for_step, step_for_state
from .services import article_add_own_byline, article_transition


class SectionRedirectInline(admin.TabularInline):
    """The slugs a section had: made by renaming it, removed here when no longer wanted."""

    model = SectionRedirect
    extra = 0
    fields = ["old_slug"]
    readonly_fields = ["old_slug"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "name_ru", "name_az", "slug", "position", "is_active"]
    list_editable = ["position", "is_active"]
    search_fields = ["name", "name_ru", "name_az", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SectionRedirectInline]


class MissingAltTextFilter(admin.SimpleListFilter):
    title = _("alt text")
    parameter_name = "alt"

    def lookups(self, request, model_admin):
        return [("missing", _("Missing in a language")), ("complete", _("In all languages"))]

    def queryset(self, request, queryset):
        missing = Q(alt_text="") | Q(alt_text_ru="") | Q(alt_text_az="")
        if self.value() == "missing":
            return queryset.filter(missing)
        if self.value() == "complete":
            return queryset.exclude(missing)
        return queryset


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageForm
    list_display = [
        "thumbnail",
        "title",
        "alt_text",
        "credit",
        "size",
        "uploaded_by",
        "created_at",
    ]
    list_display_links = ["thumbnail", "title"]
    list_select_related = ["uploaded_by"]
    search_fields = [
        "title", "alt_text", "alt_text_ru", "alt_text_az", "caption", "caption_ru",
        "caption_az", "credit",
    ]  # fmt: skip
    list_filter = [MissingAltTextFilter, "created_at", "uploaded_by"]
    readonly_fields = ["preview", "width", "height", "uploaded_by", "created_at"]
    fields = [
        "file", "preview", ("focal_x", "focal_y"), "title", "alt_text", "alt_text_ru",
        "alt_text_az", "caption", "caption_ru", "caption_az", "credit", "credit_ru",
        "credit_az", ("width", "height"), "uploaded_by", "created_at",
    ]  # fmt: skip

    class Media:
        js = ["js/focal-point.js"]
        css = {"all": ["css/admin-images.css"]}

    @admin.display(description=_("picture"))
    def thumbnail(self, image):
        small = rendition(image, width=480, fmt="webp")
        # The reader pages' placeholder while a worker is still making the renditions.
        url = small.url if small else static(PLACEHOLDER)
        return format_html('<img src="{}" alt="" width="96" height="54" loading="lazy">', url)

    @admin.display(description=_("preview and focal point"))
    def preview(self, image):
        if not image.file:
            return "—"
        return format_html(
            '<div class="focal-picker"><img src="{}" alt="" width="{}" height="{}">'
            '<span class="focal-picker__marker" aria-hidden="true"></span></div>'
            '<p class="help">{}</p>',
            image.file.url,
            image.width,
            image.height,
            _(
                "Click the most important point of the picture: crops keep it in the frame. "
                "Or type the focal point as fractions."
            ),
        )

    @admin.display(description=_("size"))
    def size(self, image):
        return f"{image.width}×{image.height}"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        # CKEditor 5's picture upload (settings.CK_EDITOR_5_UPLOAD_FILE_VIEW_NAME), the only
        # upload address the project answers. Not wrapped in admin_view: the editor reads
        # a refusal as JSON, where admin_view would answer with the login page.
        upload = path(
            "editor-upload/", admin_views.ckeditor_upload, name="articles_image_editor_upload"
        )
        picker = path(
            "picker/",
            self.admin_site.admin_view(media_picker.picker),
            {"model_admin": self},
            name="articles_image_picker",
        )
        return [upload, picker, *super().get_urls()]


@admin.register(Contributor)
class ContributorAdmin(ValidatedAutocompleteFields, admin.ModelAdmin):
    list_display = ["name", "slug", "user"]
    list_select_related = ["user"]
    search_fields = ["name", "slug", "bio"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["photo", "user"]


class BylineInline(ValidatedAutocompleteFields, admin.TabularInline):
    model = Byline
    extra = 0
    autocomplete_fields = ["contributor"]
    fields = ["contributor", "role", "position"]


class CorrectionInline(admin.StackedInline):
    """Corrections are append-only once the story is out: existing ones are shown read-only
    and cannot be deleted; new ones can be added. ``Correction.save``/``delete`` refuse too."""

    model = Correction
    extra = 0
    fields = ["kind", "text", "created_at"]
    formfield_overrides = NEWSROOM_TIME

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not _is_out(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not _is_out(obj)


def _translate_action(language):
    @admin.action(description=admin_views.TRANSLATE_LABELS[language], permissions=["add"])
    def action(modeladmin, request, queryset):
        return admin_views.translate_selected(request, queryset, language, model_admin=modeladmin)

    action.__name__ = f"translate_into_{language}"
    return action


def _is_out(article):
    return article is not None and article.status == Article.Status.PUBLISHED


@admin.register(Article)
class ArticleAdmin(
    LiveDeskMixin,
    PinAsLeadMixin,
    SuggestionsMixin,
    StoryDeskMixin,
    StoryListColumns,
    BoundedDateHierarchy,
    ValidatedAutocompleteFields,
    VersionAdmin,
):
    form = ArticleAdminForm
    formfield_overrides = NEWSROOM_TIME
    change_form_template = "admin/articles/article/change_form.html"
    change_list_template = "admin/articles/article/change_list.html"
    object_history_template = "admin/articles/article/object_history.html"
    history_latest_first = True
    # The headline takes the room (admin_list.py, css/admin-desk.css); newest change first.
    list_display = ["headline", "status_badge", "author", "where", "changed"]
    list_filter = [WaitingFilter, MineFilter, StateFilter, "section", "language", "published_at"]
    ordering = ["-updated_at", "-pk"]
    list_select_related = ["section", "created_by"]
    search_fields = ["headline", "lead", "slug"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["section", "lead_image", "excluded_suggestions"]
    prepopulated_fields = {"slug": ["headline"]}
    inlines = [BylineInline, RelatedLinkInline, CorrectionInline]
    readonly_fields = ["status_label", "created_by", "created_at", "updated_at", "status_history",
                       "suggested_now"]  # fmt: skip
    actions = [
        "submit_for_review", "publish_now", "unpublish",
        *(_translate_action(language) for language in admin_views.TRANSLATE_LABELS),
    ]  # fmt: skip
    # The writing screen (templates/admin/articles/article/change_form.html): the text in
    # the main column, the fieldsets marked "desk-side" in the sidebar beside it.
    fieldsets = [
        (None, {"fields": ["kicker", "headline", "lead", "body"], "classes": ["desk-text"]}),
        (_("Workflow"), {"fields": ["workflow_note", "opened_version"],
                         "classes": ["desk-side"]}),
        (_("Publishing"), {"fields": ["language", "section", "tags", "published_at",
                                      "breaking_until", "comments_mode", "slug"],
                           "classes": ["desk-side"]}),
        (_("Lead image"), {"fields": ["lead_image"], "classes": ["desk-side", "desk-lead"]}),
        (_("Suggested related stories"), {"fields": ["suggested_now", "excluded_suggestions"],
                                           "classes": ["desk-side", "collapse"]}),
        (_("Search engines and sharing"), {"fields": ["seo_title", "seo_description"],
                                           "classes": ["desk-side", "collapse"]}),
        (_("History"), {"fields": ["created_by", "created_at", "updated_at", "status_history"],
                        "classes": ["desk-side"]}),
    ]  # fmt: skip

    class Media:
        js = ["js/edit-lock.js", "js/tag-suggest.js", "js/story-desk.js", "js/copy-link.js",
              "js/media-picker.js"]  # fmt: skip
        # The story text's styles, shared with the reader's story page; the editor canvas
        # loads them too (CKEDITOR_5_CUSTOM_CSS), once: the admin merges both lists.
        css = {"all": ["css/story-body.css"]}  # admin-desk.css: every admin page (base_site)

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, article):
        # A published story whose time has not come yet is what editors call "scheduled".
        return article.get_state_display()

    @admin.display(description=_("status history"))
    def status_history(self, article):
        """Every workflow step, newest first: written by article_transition, never edited."""
        changes = article.status_changes.select_related("user") if article.pk else []
        if not changes:
            return _("No workflow steps yet.")
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{} → {}</td><td>{}</td></tr>",
            (
                (
                    date_format(timezone.localtime(change.created_at), "DATETIME_FORMAT"),
                    change.user or "—",
                    change.get_from_state_display(),
                    change.get_to_state_display(),
                    change.note,
                )
                for change in changes
            ),
        )
        return format_html(
            '<table class="status-history"><thead><tr><th>{}</th><th>{}</th><th>{}</th>'
            "<th>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("time"), _("by"), _("step"), _("note"), rows,
        )  # fmt: skip

    # Permissions: the rules live on the model (Article.is_editable_by); the admin asks them,
    # so a crafted POST meets the same refusal as a hidden button.

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or obj.is_editable_by(request.user)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or obj.is_deletable_by(request.user)
        )

    def has_publish_permission(self, request):
        return request.user.has_perm("articles.publish_article")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request):
            fields += ["published_at", "breaking_until"]
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user
        return form

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        note = form.cleaned_data.get("workflow_note", "")
        if form.workflow_action:
            moved = article_transition(
                article=obj,
                user=request.user,
                action=form.workflow_action,
                note=note,
                published_at=form.cleaned_data.get("published_at"),
            )
            obj.refresh_from_db()
            self.message_user(
                request,
                _("“%(story)s” is now: %(state)s.")
                % {"story": obj.headline, "state": moved.get_state_display()},
            )
        elif form.stored_state and obj.state != form.stored_state:
            # An editor moved the publication time across "now": record it like a step.
            obj.record_state_change(user=request.user, before=form.stored_state, note=note)
            step = step_for_state(obj.state)
            notifications_for_step(article=obj, step=step, user=request.user, note=note)
        locks.release_edit_lock(obj.pk, request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A journalist's new story carries their byline; an editor's too unless the form
        # gave it bylines (an editor may be entering someone else's story).
        story = form.instance
        if not change and (not self.has_publish_permission(request) or not story.bylines.exists()):
            article_add_own_byline(article=story, user=request.user)

    # Actions on the changelist: offered only to those allowed to take them.

    def _run_action(self, request, queryset, action):
        done = 0
        for article in queryset:
            try:
                article_transition(article=article, user=request.user, action=action)
                done += 1
            except (PermissionDenied, ValidationError):
                continue
        skipped = len(queryset) - done
        self.message_user(
            request,
            ngettext("%(done)d story done.", "%(done)d stories done.", done) % {"done": done}
            + (" " + ngettext("%(n)d skipped: not allowed in its status.",
                              "%(n)d skipped: not allowed in their status.", skipped)
               % {"n": skipped} if skipped else ""),
            messages.SUCCESS if not skipped else messages.WARNING,
        )  # fmt: skip

    @admin.action(description=_("Submit for review"), permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._run_action(request, queryset, "submit")

    @admin.action(description=_("Publish now"), permissions=["publish"])
    def publish_now(self, request, queryset):
        self._run_action(request, queryset, "publish")

    @admin.action(description=_("Unpublish"), permissions=["publish"])
    def unpublish(self, request, queryset):
        self._run_action(request, queryset, "unpublish")

    # The change form: workflow buttons, soft lock, preview links, revision comparison.

    def get_urls(self):
        def route(address, view, name):
            # Each view asks this admin's permission methods, exactly as its own pages do.
            view = self.admin_site.admin_view(view)
            return path(address, view, {"model_admin": self}, name=f"articles_article_{name}")

        own = [
            route("<int:pk>/lock/", admin_views.edit_lock, "lock"),
            route("<int:pk>/preview-link/", admin_views.preview_link, "preview_link"),
            route(
                "<int:pk>/preview-link/<int:link>/revoke/",
                admin_views.revoke_preview_link,
                "revoke_preview_link",
            ),
            route("<int:pk>/compare/", admin_views.compare_revisions, "compare"),
            route("<int:pk>/withdraw/", admin_views.withdraw, "withdraw"),
            route("<int:pk>/translate/<str:language>/", admin_views.translate, "translate"),
            route("tag-suggestions/", admin_views.tag_suggestions, "tag_suggestions"),
        ]
        return own + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        context = {
            **(extra_context or {}),
            **admin_views.change_form_context(request, obj, model_admin=self),
            **self.desk_context(request, obj),
        }
        return super().change_view(request, object_id, form_url, context)

    # Revisions: reverting and recovering write a story like an edit or a workflow step, on
    # the same rules (admin_views.revert and .recover, the services behind them).

    def revision_view(self, request, object_id, version_id, extra_context=None):
        return admin_views.revert(request, object_id, version_id, model_admin=self)

    def recover_view(self, request, version_id, extra_context=None):
        return admin_views.recover(request, version_id, model_admin=self)

    def recoverlist_view(self, request, extra_context=None):
        if not self.has_recover_permission(request):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def has_recover_permission(self, request):
        """Editors only: a deleted story may be one readers saw (``article_recover``)."""
        return self.has_add_permission(request) and self.has_publish_permission(request)

    def changelist_view(self, request, extra_context=None):
        context = {**(extra_context or {}), "can_recover": self.has_recover_permission(request)}
        return super().changelist_view(request, context)
