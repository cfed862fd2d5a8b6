"""The writing screen: what the story's change and add forms do beyond the stock admin.

``StoryDeskMixin`` goes before ``VersionAdmin`` in ``ArticleAdmin``: a story one may only
read shows its body as the page shows it and leaves its empty fields out; the forms offer
the writer's autosave back, and saving the story removes it. The autosave endpoints are
here too (``autosave``), routed through ``admin_site.admin_view`` (login, staff, CSRF).

An autosave request stays at three queries (the session, the user, one upsert): it asks
no permission table, because holding the story's edit lock already says the writer may
edit it (``change_form_context`` claims the lock only for those the admin lets change the
story, and the heartbeat keeps it only for them); a new story's form carries a key signed
for the writer when the admin showed them the add form, which it does only to those who
may add stories. An autosave never changes the story, so neither lock is bypassed: a
story whose lock someone else holds is refused, and a restored autosave carries the
version it was typed against, so saving it over a newer save meets the stale-form refusal.
"""

import json
import secrets

from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.core import signing
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.http import JsonResponse
from django.urls import path
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import locks
from .body_pictures import render_body
from .models import Image, StoryAutosave, TagLanguage, story_key
from .models.autosaves import NEW_STORY_KEY_PREFIX
from .text import clean_body

AUTOSAVE_SALT = "articles.autosave"
# A story's form data is a few dozen fields; anything much bigger is not from the form.
AUTOSAVE_MAX_FIELDS = 60


def new_story_key(user):
    """A fresh key for one add form, and its signature for ``user``."""
    key = NEW_STORY_KEY_PREFIX + secrets.token_hex(8)
    return key, sign_key(user, key)


def sign_key(user, key):
    return signing.Signer(salt=AUTOSAVE_SALT).sign(f"{user.pk}:{key}")


def key_signed_for(user, token):
    """The new-story key ``token`` was signed with for ``user``, or None."""
    try:
        owner, key = signing.Signer(salt=AUTOSAVE_SALT).unsign(token).split(":", 1)
    except (signing.BadSignature, ValueError):
        return None
    return key if owner == str(user.pk) and key.startswith(NEW_STORY_KEY_PREFIX) else None


def saved_label(autosave):
    return _("Saved at %(time)s") % {
        "time": time_format(timezone.localtime(autosave.saved_at), "H:i")
    }


def form_data(post, allowed):
    """The story form's own fields from an autosave POST (inlines, buttons, the CSRF
    token left out), with the visible text of each chosen option for restoring pickers."""
    fields = {}
    for name, values in post.lists():
        base = name.rsplit("_", 1)[0] if name[-2:] in {"_0", "_1"} else name
        if base in allowed and len(fields) < AUTOSAVE_MAX_FIELDS:
            fields[name] = values[0] if len(values) == 1 else values
    try:
        labels = json.loads(post.get("_labels", "{}"))
    except ValueError:
        labels = {}
    if not isinstance(labels, dict):
        labels = {}
    labels = {name: str(text)[:300] for name, text in labels.items() if name in fields and text}
    return {"fields": fields, "labels": labels}


def autosave(request, pk=None, *, model_admin):
    """POST: store the writer's autosave of story ``pk`` (or of a new story, by its signed
    key); with ``discard``, remove it. Answers JSON: "Saved at 12:01", or why not."""
    if request.method != "POST":
        return JsonResponse({"error": _("Autosaves are sent with POST.")}, status=405)
    user = request.user
    if pk is None:
        key = key_signed_for(user, request.POST.get("_autosave_token", ""))
        if key is None:
            return JsonResponse({"error": _("This form cannot be autosaved.")}, status=403)
    else:
        key = story_key(pk)
    if "discard" in request.POST:
        StoryAutosave.objects.filter(user=user, client_key=key).delete()
        return JsonResponse({"discarded": True})
    if pk is not None:
        lock = locks.current_lock(pk)
        if lock is None:
            message = _("Not autosaved: you have not had the story open for a while; reload it.")
            return JsonResponse({"error": message}, status=409)
        if not lock.is_held_by(user):
            message = _("Not autosaved: %(name)s is editing this story now.") % {"name": lock.name}
            return JsonResponse({"error": message}, status=409)
    data = form_data(request.POST, set(flatten_fieldsets(model_admin.fieldsets)))
    saved = StoryAutosave.objects.store(user_id=user.pk, client_key=key, article_id=pk, data=data)
    return JsonResponse({"saved_at": saved.saved_at.isoformat(), "label": saved_label(saved)})


class StoryDeskMixin:
    """The writing screen's part of ``ArticleAdmin`` (see the module docstring)."""

    @admin.display(description=gettext_lazy("body"))
    def body_as_published(self, article):
        """Shown instead of the body to those who may only read the story: sanitised again
        here, as on save, with its pictures as the story page shows them (one query for
        all of them), so it is what the reader's page shows, never raw HTML."""
        body = clean_body(article.body)
        shown = render_body(body, Image.objects.in_body(body), article.language)
        return format_html('<div class="story__body">{}</div>', shown)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "body_as_published"]

    def get_fieldsets(self, request, obj=None):
        """For a reader of the story (no right to change it): the body as published, and
        only the fields that hold something."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        shown = []
        for name, options in fieldsets:
            fields = [
                "body_as_published" if field == "body" else field
                for field in options["fields"]
                if self._has_content(obj, field)
            ]
            if fields:
                shown.append((name, {**options, "fields": fields}))
        return shown

    @staticmethod
    def _has_content(article, field):
        if field in {"workflow_note", "opened_version"}:
            return False  # the form's own fields, nothing of the story's to show
        if field == "tags":
            return article.tags.exists()
        try:
            # A relation's id, so that asking costs no query.
            field = article._meta.get_field(field).attname
        except FieldDoesNotExist:
            return True  # one of the admin's own displays (status, history)
        return getattr(article, field) not in (None, "")

    def get_urls(self):
        # Before the admin's own: "autosave/" would otherwise read as a story's id.
        autosave_view = self.admin_site.admin_view(autosave)
        desk = [
            path(
                "<int:pk>/autosave/",
                autosave_view,
                {"model_admin": self},
                name="articles_article_autosave",
            ),
            path(
                "autosave/",
                autosave_view,
                {"model_admin": self},
                name="articles_article_autosave_new",
            ),
        ]
        return [*desk, *super().get_urls()]

    def desk_context(self, request, obj):
        """The autosave's key and, on opening the form, the offer to restore an autosave
        (one query). A form shown again with its errors keeps autosaving, offers nothing."""
        opening = request.method == "GET"
        offer = None
        if obj is None:
            if not self.has_add_permission(request):
                return {}
            posted = key_signed_for(request.user, request.POST.get("_autosave_token", ""))
            key, token = new_story_key(request.user)
            if posted:
                key, token = posted, request.POST["_autosave_token"]
            context = {"autosave_key": key, "autosave_token": token}
            if opening:
                offer = StoryAutosave.objects.offer_for(request.user)
            if offer:
                context["autosave_offer_token"] = sign_key(request.user, offer.client_key)
        else:
            if not self.has_change_permission(request, obj):
                return {}
            context = {"autosave_key": story_key(obj.pk)}
            if opening:
                offer = StoryAutosave.objects.offer_for(request.user, obj)
        if offer:
            context.update(autosave_offer=offer, autosave_offer_time=saved_label(offer))
        return context

    def add_view(self, request, form_url="", extra_context=None):
        context = {**(extra_context or {}), **self.desk_context(request, None)}
        return super().add_view(request, form_url, context)

    def save_related(self, request, form, formsets, change):
        """Once the story is saved, its new tags take its language, and the writer's
        autosave of it is history; so is any autosave past its age (``manage.py
        clean_story_autosaves`` does the same)."""
        super().save_related(request, form, formsets, change)
        # Tags typed on the story for the first time are in its language.
        TagLanguage.objects.claim(form.instance.tags.all(), form.instance.language)
        mine = Q(client_key=story_key(form.instance.pk))
        posted = request.POST.get("_autosave_key", "")
        if posted.startswith(NEW_STORY_KEY_PREFIX):
            mine |= Q(client_key=posted)
            # The story is saved now: what was uploaded from its form is no longer a
            # never-saved story's, for clean_unused_images to remove.
            Image.objects.filter(uploaded_for=posted).update(uploaded_for="")
        StoryAutosave.objects.filter(mine, user=request.user).delete()
        StoryAutosave.objects.expired().delete()
