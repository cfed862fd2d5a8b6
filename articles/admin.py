from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.db.models import Q
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .images import clean_upload, rendition
from .models import Article, Byline, Contributor, Correction, Image, RelatedLink, Section


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "name_ru", "name_az", "slug", "position", "is_active"]
    list_editable = ["position", "is_active"]
    search_fields = ["name", "name_ru", "name_az", "slug"]
    prepopulated_fields = {"slug": ["name"]}


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
    model = Correction
    extra = 0
    fields = ["kind", "text", "created_at"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = [
        "headline", "section", "language", "status_label", "published_at", "created_by",
    ]  # fmt: skip
    list_filter = ["status", "section", "language", "published_at"]
    list_select_related = ["section", "created_by"]
    search_fields = ["headline", "lead", "slug"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["section", "lead_image"]
    prepopulated_fields = {"slug": ["headline"]}
    inlines = [BylineInline, RelatedLinkInline, CorrectionInline]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["language", "kicker", "headline", "slug", "lead", "body"]}),
        (
            _("Publishing"),
            {
                "fields": [
                    "section",
                    "tags",
                    "status",
                    "published_at",
                    "breaking_until",
                    "comments_mode",
                ]
            },
        ),
        (_("Lead image"), {"fields": ["lead_image"]}),
        (
            _("Search engines and sharing"),
            {"fields": ["seo_title", "seo_description"], "classes": ["collapse"]},
        ),
        (_("History"), {"fields": ["created_by", "created_at", "updated_at"]}),
    ]

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, article):
        # A published story whose time has not come yet is what editors call "scheduled".
        if article.is_scheduled:
            return _("Scheduled")
        return article.get_status_display()

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
