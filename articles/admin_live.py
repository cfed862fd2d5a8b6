"""Live coverage in the story's admin page: the "Post update" box at its top, the recent
updates with their edit and delete buttons, starting and ending coverage.

``LiveDeskMixin`` goes into ``ArticleAdmin`` like the writing screen's mixin: its routes
sit under the story's own (``admin_site.admin_view``: login, staff, CSRF) and its panel is
``templates/admin/articles/article/live_panel.html``, included above the story form (a
form of its own, not inside the story's). Every form is a plain POST that works without
JavaScript; ``static/js/live-post.js`` posts the box without leaving the page. Who may do
what is ``articles.live`` (``accepts_updates_from``, ``may_change_update``), asked again by
each service, so a crafted POST meets the same refusal as a hidden button. Posting
needs no edit lock: an update is its own row and never saves the story.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_ckeditor_5.widgets import CKEditor5Widget

from . import live
from .models import Article, Image, LiveUpdate

RECENT_UPDATES = 30
RECENT_CHANGES = 10
RECENT_PICTURES = 30


class LiveUpdateForm(forms.ModelForm):
    prefix = "live"

    class Meta:
        model = LiveUpdate
        fields = ["body", "title", "is_key_event", "image"]
        widgets = {"body": CKEditor5Widget(config_name="live")}
        labels = {"body": gettext_lazy("Update")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The list offers the library's newest pictures (one query, however large the
        # library); any picture's number is accepted, the one the update has kept.
        field = self.fields["image"]
        field.label = gettext_lazy("Picture from the library")
        field.help_text = gettext_lazy("Optional. It needs alt text in the story's language.")
        field.widget.choices = [
            ("", "---------"),
            *((image.pk, f"{image.title} (#{image.pk})")
              for image in Image.objects.order_by("-pk")[:RECENT_PICTURES]),
        ]  # fmt: skip
        if self.instance.image_id and self.instance.image_id not in dict(field.widget.choices):
            field.widget.choices.append((self.instance.image_id, f"#{self.instance.image_id}"))

    def write(self, *, article, user, update=None):
        """Post (or, with ``update``, change) through the services; their refusal of the
        text or picture comes back as this form's errors."""
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        try:
            if update is None:
                return live.live_update_post(article=article, user=user, **data)
            return live.live_update_edit(update=update, user=user, **data)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    self.add_error(field if field in self.fields else None, errors)
            else:
                self.add_error(None, error)
            return None


def _story(request, pk, model_admin):
    story = get_object_or_404(Article.objects.select_related("section"), pk=pk)
    if not model_admin.has_view_or_change_permission(request, story):
        raise PermissionDenied
    return story


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def _back(story):
    return redirect(reverse("admin:articles_article_change", args=[story.pk]) + "#live-panel")


@require_POST
def post_update(request, pk, *, model_admin):
    """The "Post update" box: JSON for the page's script, else back to the story."""
    story = _story(request, pk, model_admin)
    if not live.accepts_updates_from(story, request.user):
        raise PermissionDenied
    form = LiveUpdateForm(request.POST, instance=LiveUpdate(article=story))
    update = form.write(article=story, user=request.user) if form.is_valid() else None
    if update is None:
        if _wants_json(request):
            return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
        return _form_page(request, story, form, model_admin, status=400)
    if _wants_json(request):
        row = render_to_string(
            "admin/articles/article/live_row.html",
            {"update": update, "original": story, "can_change": True},
            request,
        )
        return JsonResponse({"id": update.pk, "row": row, "message": _("Update posted.")})
    messages.success(request, _("Update posted."))
    return _back(story)


def edit_update(request, pk, update, *, model_admin):
    story = _story(request, pk, model_admin)
    update = get_object_or_404(LiveUpdate, pk=update, article=story)
    update.article = story
    if not live.may_change_update(update, request.user):
        raise PermissionDenied
    form = LiveUpdateForm(request.POST or None, instance=update)
    changed = request.method == "POST" and form.is_valid()
    if changed and form.write(article=story, user=request.user, update=update):
        messages.success(request, _("Update changed."))
        return _back(story)
    return _form_page(request, story, form, model_admin, update=update)


@require_POST
def delete_update(request, pk, update, *, model_admin):
    story = _story(request, pk, model_admin)
    update = get_object_or_404(LiveUpdate, pk=update, article=story)
    update.article = story
    live.live_update_delete(update=update, user=request.user)
    messages.success(request, _("Update deleted."))
    return _back(story)


@require_POST
def start_coverage(request, pk, *, model_admin):
    story = _story(request, pk, model_admin)
    live.live_coverage_start(article=story, user=request.user)
    messages.success(request, _("Live coverage is on: readers' pages check for updates."))
    return _back(story)


@require_POST
def end_coverage(request, pk, *, model_admin):
    story = _story(request, pk, model_admin)
    try:
        live.live_coverage_end(article=story, user=request.user)
        messages.success(request, _("Live coverage has ended."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back(story)


def _form_page(request, story, form, model_admin, update=None, status=200):
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Change the update") if update else _("Post update"),
        "opts": model_admin.opts,
        "original": story,
        "form": form,
        "update": update,
        "media": form.media,
    }
    return TemplateResponse(
        request, "admin/articles/article/live_update_form.html", context, status=status
    )


class LiveDeskMixin:
    """The live coverage part of ``ArticleAdmin`` (see the module docstring)."""

    def get_urls(self):
        def route(address, view, name):
            view = self.admin_site.admin_view(view)
            return path(address, view, {"model_admin": self}, name=f"articles_article_{name}")

        own = [
            route("<int:pk>/live/post/", post_update, "live_post"),
            route("<int:pk>/live/<int:update>/edit/", edit_update, "live_edit"),
            route("<int:pk>/live/<int:update>/delete/", delete_update, "live_delete"),
            route("<int:pk>/live/start/", start_coverage, "live_start"),
            route("<int:pk>/live/end/", end_coverage, "live_end"),
        ]
        return [*own, *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        story = self.get_object(request, object_id)
        context = dict(extra_context or {})
        if story is not None and live.accepts_updates_from(story, request.user):
            context["live_panel"] = self.live_panel(request, story)
        return super().change_view(request, object_id, form_url, context)

    def live_panel(self, request, story):
        """The panel's updates and record, in two queries however long the coverage."""
        updates = list(story.live_updates.for_page()[:RECENT_UPDATES])
        for update in updates:
            update.article = story
            update.can_change = live.may_change_update(update, request.user, accepted=True)
        form = LiveUpdateForm()
        return {
            "form": form,
            # The editor's scripts come with the story form's body, except where the story
            # is read-only to this user (a journalist's published story).
            "media": None if self.has_change_permission(request, story) else form.media,
            "updates": updates,
            "changes": story.live_update_changes.select_related("user")[:RECENT_CHANGES],
        }
