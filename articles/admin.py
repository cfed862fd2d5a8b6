from django.contrib import admin
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Article, Byline, Contributor, Correction, Image, RelatedLink, Section


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "name_ru", "name_az", "slug", "position", "is_active"]
    list_editable = ["position", "is_active"]
    search_fields = ["name", "name_ru", "name_az", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = ["thumbnail", "title", "alt_text", "credit", "size", "created_at"]
    list_display_links = ["thumbnail", "title"]
    search_fields = ["title", "alt_text", "caption", "credit"]
    list_filter = ["created_at"]
    readonly_fields = ["preview", "width", "height", "uploaded_by", "created_at"]
    fields = [
        "file", "preview", "title", "alt_text", "caption", "credit",
        ("focal_x", "focal_y"), ("width", "height"), "uploaded_by", "created_at",
    ]  # fmt: skip

    @admin.display(description=_("picture"))
    def thumbnail(self, image):
        return format_html(
            '<img src="{}" alt="" width="96" height="{}" loading="lazy">',
            image.file.url,
            round(96 * image.height / image.width) if image.width else 54,
        )

    @admin.display(description=_("preview"))
    def preview(self, image):
        if not image.file:
            return "—"
        return format_html(
            '<img src="{}" alt="" style="max-width:480px;height:auto">', image.file.url
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
