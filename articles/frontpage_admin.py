"""The front-page desk in the admin: the arranging screen, and the story page's "Pin as
lead" button.

The arranging screen replaces the slots' changelist: the home page's slots with
thumbnails and what readers see in each, then each section front's lead, a headline
search whose results go into a numbered position (or their section's lead), numbered
positions to reorder, and the record of changes. Everything is a
plain form, so it works without JavaScript. Editors (``change_frontpageslot``) arrange;
journalists and moderators (``view_frontpageslot``) see the same screen without its
forms, and a crafted POST from them meets the services' own refusal (a 403).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .frontpage import (
    ARRANGE_PERMISSION,
    front_page,
    front_page_pin_breaking,
    front_page_place,
    front_page_remove,
    front_page_reorder,
)
from .models import (
    LANGUAGE_CODES,
    Article,
    FrontPageChange,
    FrontPageSlot,
    Section,
    released_q,
)
from .models.frontpage import LEAD, POSITIONS, position_label

SEARCH_RESULTS = 20
CHANGES_SHOWN = 20


SECTION_LEAD = "section"


class PlaceForm(forms.Form):
    """A story into a slot: ``position`` 0 to 4 on the home page, or "section": the lead
    of the story's own section front."""

    article = forms.ModelChoiceField(Article.objects.filter(released_q()))
    position = forms.ChoiceField(
        label=gettext_lazy("position"),
        choices=[*((str(p), p) for p in POSITIONS), (SECTION_LEAD, gettext_lazy("section lead"))],
    )
    ends_at = forms.DateTimeField(
        label=gettext_lazy("until"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def clean(self):
        data = super().clean()
        if "position" in data and "article" in data:
            leads_section = data["position"] == SECTION_LEAD
            data["section"] = data["article"].section if leads_section else None
            data["position"] = LEAD if leads_section else int(data["position"])
        return data


def _positions(post):
    """The reorder form's ``position-<old>`` fields as ``{old: new}``."""
    moves = {}
    for name, value in post.items():
        if name.startswith("position-"):
            try:
                moves[int(name.removeprefix("position-"))] = int(value)
            except ValueError as error:
                raise ValidationError(_("Positions are numbers from 0 to 4.")) from error
    return moves


def _section_lead(slot, section):
    """What a section lead slot shows readers: its story while it counts (the Python twin
    of ``front_page``'s rule), else nothing and the latest story leads."""
    if slot is not None and slot.counts and slot.article.section_id == section.pk:
        return slot.article
    return None


@admin.register(FrontPageSlot)
class FrontPageSlotAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        arrange = self.admin_site.admin_view(self.arrange_view)
        pin = self.admin_site.admin_view(self.pin_view)
        return [
            path("", arrange, name="articles_frontpageslot_changelist"),
            path("pin/<int:pk>/", pin, name="articles_frontpageslot_pin"),
        ]

    def arrange_view(self, request):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        language = request.GET.get("language", request.POST.get("language"))
        language = language if language in LANGUAGE_CODES else LANGUAGE_CODES[0]
        if request.method == "POST":
            return self._arrange(request, language)
        return TemplateResponse(
            request,
            "admin/articles/frontpageslot/arrange.html",
            self._context(request, language, PlaceForm()),
        )

    def _arrange(self, request, language):
        post, user = request.POST, request.user
        try:
            if "remove" in post:
                front_page_remove(language=language, position=int(post["remove"]), user=user)
            elif "remove_section" in post:
                section = get_object_or_404(Section, pk=post["remove_section"])
                front_page_remove(language=language, position=LEAD, section=section, user=user)
            elif "reorder" in post:
                front_page_reorder(language=language, positions=_positions(post), user=user)
            else:
                form = PlaceForm(post)
                if not form.is_valid():
                    # The services refuse a journalist whatever the form says.
                    if not user.has_perm(ARRANGE_PERMISSION):
                        raise PermissionDenied
                    context = self._context(request, language, form)
                    return TemplateResponse(
                        request, "admin/articles/frontpageslot/arrange.html", context
                    )
                front_page_place(**form.cleaned_data, user=user)
                language = form.cleaned_data["article"].language
        except (ValueError, ValidationError) as error:
            self.message_user(request, " ".join(getattr(error, "messages", [str(error)])),
                              messages.ERROR)  # fmt: skip
        else:
            self.message_user(request, _("The front page is saved; readers see it now."))
        return redirect(
            f"{reverse('admin:articles_frontpageslot_changelist')}?language={language}"
        )

    def _context(self, request, language, place_form):
        slots = {
            slot.position: slot
            for slot in FrontPageSlot.objects.filter(
                language=language, section=None
            ).select_related("article__lead_image", "article__section", "placed_by")
        }
        readers_see = front_page(
            Article.objects.published().in_language(language).for_listing(), language
        )
        section_slots = {
            slot.section_id: slot
            for slot in FrontPageSlot.objects.filter(
                language=language, section__isnull=False
            ).select_related("article__lead_image", "article__section", "placed_by")
        }
        latest = {
            story.section_id: story
            for story in Article.objects.published()
            .in_language(language)
            .for_listing()
            .latest_per_section(1)
        }
        query = request.GET.get("q", "").strip()
        found = []
        if query:
            found = (
                Article.objects.filter(released_q(), language=language, headline__icontains=query)
                .select_related("section", "lead_image")
                .order_by("-published_at")[:SEARCH_RESULTS]
            )
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Front page"),
            "language": language,
            "languages": LANGUAGE_CODES,
            "rows": [
                (position, position_label(position), slots.get(position), shown)
                for position, shown in zip(POSITIONS, readers_see, strict=True)
            ],
            "section_rows": [
                (section, slot, _section_lead(slot, section) or latest.get(section.pk))
                for section in Section.objects.active()
                for slot in [section_slots.get(section.pk)]
            ],
            "positions": list(POSITIONS),
            "query": query,
            "found": found,
            "place_form": place_form,
            "may_arrange": request.user.has_perm(ARRANGE_PERMISSION),
            "changes": FrontPageChange.objects.filter(language=language).select_related(
                "user", "section"
            )[:CHANGES_SHOWN],
        }

    def pin_view(self, request, pk):
        """The story page's "Pin as lead" button (a ``formaction`` on the change form)."""
        return require_POST(self._pin)(request, pk)

    def _pin(self, request, pk):
        article = get_object_or_404(Article, pk=pk)
        try:
            front_page_pin_breaking(article=article, user=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(request, _("Pinned as lead until its breaking flag ends."))
        return redirect("admin:articles_article_change", article.pk)


class PinAsLeadMixin:
    """For ``ArticleAdmin``: a "Front page" fieldset, for those who may arrange it, with
    the slot the story holds and a button pinning a breaking story as lead."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not request.user.has_perm(ARRANGE_PERMISSION):
            return fieldsets
        return [*fieldsets, (gettext_lazy("Front page"), {"fields": ["front_page"]})]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "front_page"]

    @admin.display(description=gettext_lazy("front page"))
    def front_page(self, article):
        slot = article.front_slots.filter(section=None).first()
        held = _("Not on the front page.")
        if slot is not None:
            held = slot.label
            if slot.ends_at:
                held = _("%(slot)s until %(time)s") % {
                    "slot": slot.label,
                    "time": date_format(localtime(slot.ends_at), "DATETIME_FORMAT"),
                }
        if not (article.is_published and article.is_breaking):
            return format_html(
                "{} <span class='help'>{}</span>",
                held,
                _("A published story flagged breaking can be pinned as lead."),
            )
        return format_html(
            '{} <button type="submit" class="button" formaction="{}" formnovalidate>{}</button>'
            ' <span class="help">{}</span>',
            held,
            reverse("admin:articles_frontpageslot_pin", args=[article.pk]),
            _("Pin as lead until the breaking flag ends"),
            _("Unsaved changes on this page are not kept."),
        )
