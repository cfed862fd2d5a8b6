"""The publication's own pages (About, Contact, Privacy, Terms, the corrections policy)
in the admin: editors write them per language; each has a fixed address."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Page


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "language", "updated_at", "on_the_site"]
    list_filter = ["language", "kind"]
    search_fields = ["title"]
    fields = ["language", "kind", "title", "summary", "body"]

    @admin.display(description=_("on the site"))
    def on_the_site(self, page):
        return format_html('<a href="{}">{}</a>', page.get_absolute_url(), _("View"))
