from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.db.models import Count, Q
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import get_text_list
from django.utils.translation import get_language_info, ngettext
from django.utils.translation import gettext_lazy as _
from reversion.admin import VersionAdmin
from reversion.models import Version
from taggit.models import Tag

from . import locks
from .images import clean_upload, rendition
from .models import (
    WORKFLOW_ACTIONS,
    Article,
    Byline,
    Contributor,
    Correction,
    Image,
    RelatedLink,
    Section,
    SectionRedirect,
    article_transition,
)
from .preview import PREVIEW_MAX_AGE, preview_url
from .revisions import compare_versions
from .translation import TranslationExists, article_translate, missing_languages


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


class ImageForm(forms.ModelForm):
    # A plain file field: Django's ImageField would answer every refusal with one generic
    # message; clean_upload() says what is wrong (format, size, pixels, hidden code).
    file = forms.FileField(label=_("file"), help_text=_("JPEG, PNG, WebP or GIF, up to 20 MB."))

    class Meta:
        model = Image
        fields = [
            "file", "focal_x", "focal_y", "title", "alt_text", "alt_text_ru", "alt_text_az",
            "caption", "credit",
        ]  # fmt: skip

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # A new upload is checked and re-encoded; an unchanged file was checked already.
        if isinstance(upload, UploadedFile):
            return clean_upload(upload)
        return upload


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
    search_fields = ["title", "alt_text", "alt_text_ru", "alt_text_az", "caption", "credit"]
    list_filter = [MissingAltTextFilter, "created_at", "uploaded_by"]
    readonly_fields = ["preview", "width", "height", "uploaded_by", "created_at"]
    fields = [
        "file", "preview", ("focal_x", "focal_y"), "title", "alt_text", "alt_text_ru",
        "alt_text_az", "caption", "credit", ("width", "height"), "uploaded_by", "created_at",
    ]  # fmt: skip

    class Media:
        js = ["js/focal-point.js"]
        css = {"all": ["css/admin-images.css"]}

    @admin.display(description=_("picture"))
    def thumbnail(self, image):
        small = rendition(image, width=480, fmt="webp")
        return format_html(
            '<img src="{}" alt="" width="96" height="54" loading="lazy">', small.url
        )

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


@admin.register(Contributor)
class ContributorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "user"]
    list_select_related = ["user"]
    search_fields = ["name", "slug", "bio"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["photo", "user"]


class BylineInline(admin.TabularInline):
    model = Byline
    extra = 0
    autocomplete_fields = ["contributor"]
    fields = ["contributor", "role", "position"]


class RelatedLinkInline(admin.TabularInline):
    model = RelatedLink
    fk_name = "article"
    extra = 0
    autocomplete_fields = ["target_article"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fields = ["kind", "target_article", "url", "title", "position"]


class CorrectionInline(admin.StackedInline):
    """Corrections are append-only once the story is out: existing ones are shown read-only
    and cannot be deleted; new ones can be added. ``Correction.save``/``delete`` refuse too."""

    model = Correction
    extra = 0
    fields = ["kind", "text", "created_at"]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not _is_out(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not _is_out(obj)


# Whole phrases, not "Translate into %(language)s": the language name's grammatical case
# differs by language (Russian "на русский", Azerbaijani "rus dilinə").
TAG_SUGGESTIONS = 10

TRANSLATE_LABELS = {
    "en": _("Translate into English"),
    "ru": _("Translate into Russian"),
    "az": _("Translate into Azerbaijani"),
}


def _translate_action(language):
    @admin.action(description=TRANSLATE_LABELS[language], permissions=["add"])
    def action(modeladmin, request, queryset):
        return modeladmin.translate_selected(request, queryset, language)

    action.__name__ = f"translate_into_{language}"
    return action


def _is_out(article):
    return article is not None and article.status == Article.Status.PUBLISHED


class StateFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return Article.State.choices

    def queryset(self, request, queryset):
        now = timezone.now()
        published = models.Q(status=Article.Status.PUBLISHED)
        return {
            None: queryset,
            Article.State.SCHEDULED: queryset.filter(published, published_at__gt=now),
            Article.State.PUBLISHED: queryset.filter(published, published_at__lte=now),
        }.get(self.value(), queryset.filter(status=self.value()))


class MineFilter(admin.SimpleListFilter):
    title = _("author")
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("1", _("Created by me"))]

    def queryset(self, request, queryset):
        return queryset.filter(created_by=request.user) if self.value() == "1" else queryset


class ArticleAdminForm(forms.ModelForm):
    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    workflow_note = forms.CharField(
        label=_("Note for the history"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept with the next workflow step; required to return a story to its "
                    "author."),
    )  # fmt: skip

    # Set by ArticleAdmin.get_form: the rules depend on who is saving.
    user = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opened_version"].initial = self.instance.version
        self.stored_state = None if self.instance._state.adding else self.instance.state
        if "tags" in self.fields:
            # static/js/tag-suggest.js fills the list with existing tags as one types.
            self.fields["tags"].widget.attrs.update(
                {
                    "list": "tag-suggestions",
                    "autocomplete": "off",
                    "data-tag-suggest-url": reverse("admin:articles_article_tag_suggestions"),
                }
            )

    def clean(self):
        cleaned = super().clean()
        if not self.instance._state.adding:
            self.check_version(cleaned.get("opened_version"))
        self.workflow_action = self.check_workflow_action(cleaned)
        return cleaned

    def check_version(self, opened):
        """Refuse to save over a save made since this form was opened (the row stays locked
        until this request ends, on databases that lock rows)."""
        current = (
            Article.objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("version", flat=True)
            .get()
        )
        if opened == current:
            return
        last = Version.objects.get_for_object(self.instance).select_related("revision__user")
        last = last.first()
        who = last.revision.user if last and last.revision.user else None
        ignored = {"opened_version", "workflow_note"}
        differing = [str(self.fields[name].label or name) for name in self.changed_data
                     if name not in ignored]  # fmt: skip
        raise ValidationError(
            _("%(who)s saved this story at %(when)s, after you opened it. Nothing was saved: "
              "your text is still in the form below. Fields where the saved story now differs "
              "from yours: %(fields)s. Open the story in a new tab, bring your changes over, "
              "and save there."),
            code="stale",
            params={
                "who": who.get_full_name() or who.get_username() if who else _("Someone"),
                "when": timezone.localtime(last.revision.date_created).strftime("%H:%M")
                if last else "?",
                "fields": get_text_list(differing, _("and")) if differing else _("none"),
            },
        )  # fmt: skip

    def _post_clean(self):
        super()._post_clean()
        # Publishing happens after the save (article_transition), so check its rules here
        # on the edited story, where an error can still sit next to its field.
        if getattr(self, "workflow_action", None) in {"publish", "schedule"}:
            try:
                self.instance.check_publishable()
            except ValidationError as error:
                self._update_errors(error)

    def check_workflow_action(self, cleaned):
        name = self.data.get("_workflow")
        if not name:
            return None
        step = WORKFLOW_ACTIONS.get(name)
        if step is None or not step.allows(self.instance, self.user):
            raise ValidationError(_("You may not do that to this story."), code="forbidden")
        if name == "return" and not cleaned.get("workflow_note"):
            self.add_error("workflow_note", _("Tell the author what to change."))
        if name == "schedule":
            when = cleaned.get("published_at")
            if when is None or when <= timezone.now():
                self.add_error("published_at", _("Choose a time in the future to schedule."))
        return name


@admin.register(Article)
class ArticleAdmin(VersionAdmin):
    form = ArticleAdminForm
    change_form_template = "admin/articles/article/change_form.html"
    object_history_template = "admin/articles/article/object_history.html"
    history_latest_first = True
    list_display = [
        "headline", "section", "language", "status_label", "published_at", "created_by",
    ]  # fmt: skip
    list_filter = [StateFilter, MineFilter, "section", "language", "published_at"]
    list_select_related = ["section", "created_by"]
    search_fields = ["headline", "lead", "slug"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["section", "lead_image"]
    prepopulated_fields = {"slug": ["headline"]}
    inlines = [BylineInline, RelatedLinkInline, CorrectionInline]
    readonly_fields = ["status_label", "created_by", "created_at", "updated_at", "status_history"]
    actions = [
        "submit_for_review", "publish_now", "unpublish",
        *(_translate_action(language) for language in TRANSLATE_LABELS),
    ]  # fmt: skip
    fieldsets = [
        (None, {"fields": ["language", "kicker", "headline", "slug", "lead", "body"]}),
        (
            _("Publishing"),
            {
                "fields": [
                    "section",
                    "tags",
                    "status_label",
                    "published_at",
                    "breaking_until",
                    "comments_mode",
                    "workflow_note",
                    "opened_version",
                ]
            },
        ),
        (_("Lead image"), {"fields": ["lead_image"]}),
        (
            _("Search engines and sharing"),
            {"fields": ["seo_title", "seo_description"], "classes": ["collapse"]},
        ),
        (
            _("History"),
            {"fields": ["created_by", "created_at", "updated_at", "status_history"]},
        ),
    ]

    class Media:
        js = ["js/edit-lock.js", "js/tag-suggest.js"]

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
            self.message_user(request, _("Now: %(state)s.") % {"state": moved.get_state_display()})
        elif form.stored_state and obj.state != form.stored_state:
            # An editor moved the publication time across "now": record it like a step.
            obj.record_state_change(user=request.user, before=form.stored_state, note=note)
        locks.release_edit_lock(obj.pk, request.user)

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
        own = [
            path("<int:pk>/lock/", self.admin_site.admin_view(self.lock_view),
                 name="articles_article_lock"),
            path("<int:pk>/preview-link/", self.admin_site.admin_view(self.preview_link_view),
                 name="articles_article_preview_link"),
            path("<int:pk>/compare/", self.admin_site.admin_view(self.compare_view),
                 name="articles_article_compare"),
            path("<int:pk>/translate/<str:language>/",
                 self.admin_site.admin_view(self.translate_view),
                 name="articles_article_translate"),
            path("tag-suggestions/", self.admin_site.admin_view(self.tag_suggestions_view),
                 name="articles_article_tag_suggestions"),
        ]  # fmt: skip
        return own + super().get_urls()

    def tag_suggestions_view(self, request):
        """Existing tags that start with what is being typed, most used first, so the
        newsroom does not grow "Fizuli" and "Fuzuli" side by side."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        typed = request.GET.get("q", "").strip()[:100]
        tags = Tag.objects.filter(name__istartswith=typed) if typed else Tag.objects.none()
        names = (
            tags.annotate(uses=Count("taggit_taggeditem_items"))
            .order_by("-uses", "name")
            .values_list("name", flat=True)[:TAG_SUGGESTIONS]
        )
        return JsonResponse({"tags": list(names)})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        context = dict(extra_context or {})
        if obj is not None and self.has_change_permission(request, obj):
            if request.method == "GET":
                lock = locks.claim_edit_lock(obj.pk, request.user)
                if not lock.is_held_by(request.user):
                    context["edit_lock"] = lock
            context.update(
                workflow_actions=obj.allowed_actions(request.user),
                can_take_over=self.has_publish_permission(request),
                can_share_preview=self.has_publish_permission(request) and not obj.is_published,
                edit_lock_interval=locks.EDIT_LOCK_SECONDS // 3,
            )
        if obj is not None and self.has_add_permission(request):
            context["translate_into"] = [
                (language, TRANSLATE_LABELS[language]) for language in missing_languages(obj)
            ]
        return super().change_view(request, object_id, form_url, context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # Reverting writes the stored row back, version number included; remember the live
        # number so the story's version keeps moving forward (see get_object).
        request.live_article_version = (
            Article.objects.filter(pk=object_id).values_list("version", flat=True).first()
        )
        return super().revision_view(request, object_id, version_id, extra_context)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        live = getattr(request, "live_article_version", None)
        if obj is not None and live is not None and obj.version != live:
            Article.objects.filter(pk=obj.pk).update(version=live)
            obj.version = live
        return obj

    def lock_view(self, request, pk):
        """POST: the change form's heartbeat; with ``take_over``, an editor takes the lock."""
        article = get_object_or_404(Article, pk=pk)
        if request.method != "POST" or not self.has_change_permission(request, article):
            raise PermissionDenied
        if "take_over" in request.POST:
            if not self.has_publish_permission(request):
                raise PermissionDenied
            locks.claim_edit_lock(article.pk, request.user, take_over=True)
            self.message_user(request, _("You are editing this story now."))
            return redirect("admin:articles_article_change", article.pk)
        held = locks.refresh_edit_lock(article.pk, request.user)
        return HttpResponse(status=204 if held else 409)

    def preview_link_view(self, request, pk):
        article = get_object_or_404(Article, pk=pk)
        if request.method != "POST" or not self.has_publish_permission(request):
            raise PermissionDenied
        link = request.build_absolute_uri(preview_url(article))
        self.message_user(
            request,
            _("Preview link (works for %(days)d days, until the story is published): %(link)s")
            % {"days": PREVIEW_MAX_AGE // 86400, "link": link},
        )
        return redirect("admin:articles_article_change", article.pk)

    def compare_view(self, request, pk):
        article = get_object_or_404(Article, pk=pk)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        versions = list(Version.objects.get_for_object(article).select_related("revision__user"))
        by_id = {str(version.pk): version for version in versions}
        newer = by_id.get(request.GET.get("to")) or (versions[0] if versions else None)
        older = by_id.get(request.GET.get("from")) or (versions[1] if len(versions) > 1 else None)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": _("Compare revisions of “%(story)s”") % {"story": article},
            "versions": versions,
            "older": older,
            "newer": newer,
            "fields": compare_versions(older, newer) if older and newer else [],
        }
        return TemplateResponse(request, "admin/articles/article/compare.html", context)

    # "Translate into …": a draft in another language, in the story's translation group.

    def translate_view(self, request, pk, language):
        article = get_object_or_404(Article, pk=pk)
        if (
            request.method != "POST"
            or language not in TRANSLATE_LABELS
            or not self.has_add_permission(request)
            or not self.has_view_or_change_permission(request, article)
        ):
            raise PermissionDenied
        draft = self._translate(request, article, language)
        return redirect("admin:articles_article_change", (draft or article).pk)

    def translate_selected(self, request, queryset, language):
        drafts = [self._translate(request, article, language) for article in queryset]
        drafts = [draft for draft in drafts if draft is not None]
        if len(drafts) == 1:
            return redirect("admin:articles_article_change", drafts[0].pk)
        return None

    def _translate(self, request, article, language):
        """Create the draft and say what happened; None when the language is taken."""
        name = get_language_info(language)["name_translated"]
        try:
            draft = article_translate(article=article, language=language, user=request.user)
        except TranslationExists as exists:
            self.message_user(
                request,
                format_html(
                    _("“{story}” already has a version in {language}: {link}."),
                    story=article.headline,
                    language=name,
                    link=format_html(
                        '<a href="{}">{}</a>',
                        reverse("admin:articles_article_change", args=[exists.article.pk]),
                        exists.article.headline,
                    ),
                ),
                messages.WARNING,
            )
            return None
        self.message_user(
            request,
            _("A draft in %(language)s was made from “%(story)s”: translate the text, and add "
              "the translator to the bylines.") % {"language": name, "story": article.headline},
            messages.SUCCESS,
        )  # fmt: skip
        return draft
