"""Related content on the story's admin page: the editors' links (an inline) and the
automatic suggestions (``articles.related``), shown as the worker last stored them so an
editor can exclude one ("Never suggest", ``Article.excluded_suggestions``)."""

from django.contrib import admin
from django.db import models
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from core.admin_inputs import ValidatedAutocompleteFields

from .models import RelatedLink


class RelatedLinkInline(ValidatedAutocompleteFields, admin.TabularInline):
    model = RelatedLink
    fk_name = "article"
    extra = 0
    autocomplete_fields = ["target_article"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fields = ["kind", "target_article", "url", "title", "position"]


class SuggestionsMixin:
    """Goes into ``ArticleAdmin``: ``suggested_now`` is one of its read-only fields."""

    @admin.display(description=_("suggested now"))
    def suggested_now(self, article):
        """What readers see after the related links, as the worker last stored it
        (articles/related.py): the editor excludes one below."""
        suggestions = article.suggestions.select_related("story") if article.pk else []
        if not suggestions:
            return _("No suggestions yet: a worker finds them once the story is published.")
        return format_html(
            "<ol>{}</ol>",
            format_html_join("", "<li>{}</li>", ((s.story.headline,) for s in suggestions)),
        )
