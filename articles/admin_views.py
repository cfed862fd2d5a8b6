"""The story admin's own screens and endpoints, as plain views.

``ArticleAdmin.get_urls()`` routes them through ``admin_site.admin_view`` (login, staff,
never cached) and passes itself as ``model_admin``, so each view asks the same permission
methods the admin's own pages ask (``Article.is_editable_by`` behind them): a crafted
request meets the same refusal as a hidden button. django-reversion's revert and recover
screens come here too (``revert``, ``recover``), from ``ArticleAdmin``'s overrides of them.
``ckeditor_upload`` is routed by ``ImageAdmin`` and checks its user itself, answering
CKEditor in JSON.
"""

from contextlib import nullcontext

import reversion
from django.contrib import messages
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, ProtectedError
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language_info, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from reversion.errors import RevertError
from reversion.models import Version
from reversion.utils import mute_signals
from taggit.models import Tag

from . import locks
from .images import clean_upload
from .models import WORKFLOW_ACTIONS, Article, Image, PreviewLink
from .models.autosaves import NEW_STORY_KEY_PREFIX
from .models.previews import PREVIEW_MAX_AGE
from .preview import preview_link_create, preview_url
from .revisions import compare_versions, revision_note, story_versions
from .services import (
    TranslationExists,
    article_recover,
    article_revert,
    article_transition,
    article_translate,
)

TAG_SUGGESTIONS = 10

# Whole phrases, not "Translate into %(language)s": the language name's grammatical case
# differs by language (Russian "на русский", Azerbaijani "rus dilinə").
TRANSLATE_LABELS = {
    "en": gettext_lazy("Translate into English"),
    "ru": gettext_lazy("Translate into Russian"),
    "az": gettext_lazy("Translate into Azerbaijani"),
}


@never_cache
@require_POST
def ckeditor_upload(request):
    """CKEditor 5's and the media picker's upload: the picture joins the library through
    the same checks as an upload in the image admin (content-identified, size-limited,
    re-encoded); a picture the library holds already gives back that entry."""
    if not (request.user.is_active and request.user.is_staff):
        return JsonResponse({"error": {"message": _("Log in as staff to upload.")}}, status=403)
    if not request.user.has_perm("articles.add_image"):
        return JsonResponse(
            {"error": {"message": _("You may not add pictures to the library.")}}, status=403
        )
    upload = request.FILES.get("upload")
    if upload is None:
        return JsonResponse({"error": {"message": _("Choose a picture to upload.")}}, status=400)
    try:
        content = clean_upload(upload)
    except ValidationError as error:
        return JsonResponse({"error": {"message": " ".join(error.messages)}}, status=400)
    # The story form's key (the picker sends it): what a never-saved story uploaded is
    # removed by clean_unused_images. Only a new story's key form is kept.
    uploaded_for = request.POST.get("story_key", "")[:40]
    image, _created = Image.objects.get_or_create_from_upload(
        content,
        user=request.user,
        uploaded_for=uploaded_for if uploaded_for.startswith(NEW_STORY_KEY_PREFIX) else "",
    )
    return JsonResponse({"url": image.file.url, "id": image.pk})


def tag_suggestions(request, *, model_admin):
    """Existing tags that start with what is being typed, most used first, so the
    newsroom does not grow "Fizuli" and "Fuzuli" side by side."""
    if not model_admin.has_view_or_change_permission(request):
        raise PermissionDenied
    typed = request.GET.get("q", "").strip()[:100]
    tags = Tag.objects.filter(name__istartswith=typed) if typed else Tag.objects.none()
    names = (
        tags.annotate(uses=Count("taggit_taggeditem_items"))
        .order_by("-uses", "name")
        .values_list("name", flat=True)[:TAG_SUGGESTIONS]
    )
    return JsonResponse({"tags": list(names)})


def change_form_context(request, obj, *, model_admin):
    """What the story's change form shows beyond the stock admin: the soft edit lock
    (claimed on opening it), the workflow buttons, preview sharing, translations."""
    context = {}
    if obj is not None and model_admin.has_change_permission(request, obj):
        if request.method == "GET":
            lock = locks.claim_edit_lock(obj.pk, request.user)
            if not lock.is_held_by(request.user):
                context["edit_lock"] = lock
        context.update(
            workflow_actions=obj.allowed_actions(request.user),
            can_take_over=model_admin.has_publish_permission(request),
            edit_lock_interval=locks.EDIT_LOCK_SECONDS // 3,
        )
        if model_admin.has_publish_permission(request) and not obj.is_published:
            context["preview_links"] = [
                (link, request.build_absolute_uri(preview_url(link)))
                for link in obj.preview_links.usable().select_related("created_by", "article")
            ]
    elif obj is not None and WORKFLOW_ACTIONS["withdraw"].allows(obj, request.user):
        # The author's story in review: read-only to them, but theirs to take back.
        context["can_withdraw"] = True
    if obj is not None and model_admin.has_add_permission(request):
        context["translate_into"] = [
            (language, TRANSLATE_LABELS[language]) for language in obj.missing_languages()
        ]
    return context


def edit_lock(request, pk, *, model_admin):
    """POST: the change form's heartbeat; with ``take_over``, an editor takes the lock."""
    article = get_object_or_404(Article, pk=pk)
    if request.method != "POST" or not model_admin.has_change_permission(request, article):
        raise PermissionDenied
    if "take_over" in request.POST:
        if not model_admin.has_publish_permission(request):
            raise PermissionDenied
        locks.claim_edit_lock(article.pk, request.user, take_over=True)
        model_admin.message_user(request, _("You are editing this story now."))
        return redirect("admin:articles_article_change", article.pk)
    held = locks.refresh_edit_lock(article.pk, request.user)
    return HttpResponse(status=204 if held else 409)


def preview_link(request, pk, *, model_admin):
    """POST: share a new preview link to the unpublished story."""
    article = get_object_or_404(Article, pk=pk)
    if request.method != "POST" or not model_admin.has_publish_permission(request):
        raise PermissionDenied
    if article.is_published:
        raise PermissionDenied
    link = request.build_absolute_uri(preview_link_create(article=article, user=request.user))
    model_admin.message_user(
        request,
        _("Preview link (works for %(days)d days, until the story is published): %(link)s")
        % {"days": PREVIEW_MAX_AGE.days, "link": link},
    )
    return redirect("admin:articles_article_change", article.pk)


def revoke_preview_link(request, pk, link, *, model_admin):
    """POST: end one of the story's preview links for good."""
    if request.method != "POST" or not model_admin.has_publish_permission(request):
        raise PermissionDenied
    link = get_object_or_404(PreviewLink, pk=link, article_id=pk)
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
    model_admin.message_user(request, _("The preview link opens nothing any more."))
    return redirect("admin:articles_article_change", pk)


def withdraw(request, pk, *, model_admin):
    """POST: the author takes their story back from review, to go on writing it. Its own
    address because the author may not edit a story in review, so its change form is
    read-only and posts nothing; ``article_transition`` checks who may."""
    article = get_object_or_404(Article, pk=pk)
    if request.method != "POST" or not model_admin.has_view_permission(request, article):
        raise PermissionDenied
    article_transition(article=article, user=request.user, action="withdraw")
    model_admin.message_user(
        request, _("“%(story)s” is a draft again: you may edit it.") % {"story": article}
    )
    return redirect("admin:articles_article_change", article.pk)


def compare_revisions(request, pk, *, model_admin):
    article = get_object_or_404(Article, pk=pk)
    if not model_admin.has_view_or_change_permission(request, article):
        raise PermissionDenied
    versions = list(Version.objects.get_for_object(article).select_related("revision__user"))
    by_id = {str(version.pk): version for version in versions}
    newer = by_id.get(request.GET.get("to")) or (versions[0] if versions else None)
    older = by_id.get(request.GET.get("from")) or (versions[1] if len(versions) > 1 else None)
    fields, other_changes = compare_versions(older, newer) if older and newer else ([], [])
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "original": article,
        "title": _("Compare revisions of “%(story)s”") % {"story": article},
        "versions": versions,
        "older": older,
        "newer": newer,
        "fields": fields,
        "other_changes": other_changes,
    }
    return TemplateResponse(request, "admin/articles/article/compare.html", context)


# Revert and recover: django-reversion's screens, on the story's own rules. Reversion's view
# reverted the whole revision a version id belonged to (of any model, any story) and only
# then let the change form check permission, on the reverted row: a journalist could
# unpublish a story, or revert an editor's, by saving a draft of hers. Here the version
# must be one of the story's, the service checks the live story first and writes back
# that story's rows only.


class _Discard(Exception):
    """Rolls the revision form's transaction back: the form was only shown, or refused."""

    def __init__(self, response):
        super().__init__()
        self.response = response


def revert(request, object_id, version_id, *, model_admin):
    article = model_admin.get_object(request, object_id)
    if article is None:
        raise Http404
    version = get_object_or_404(story_versions(), pk=version_id, object_id=str(article.pk))
    return revision_form(
        request,
        version,
        lambda: article_revert(article=article, version=version, user=request.user),
        model_admin=model_admin,
        template="reversion/revision_form.html",
        context={"title": _("Revert “%(story)s”") % {"story": version.object_repr}},
        comment=revision_note(version),
    )


def recover(request, version_id, *, model_admin):
    if not model_admin.has_recover_permission(request):
        raise PermissionDenied
    version = get_object_or_404(story_versions(), pk=version_id)
    if Article.objects.filter(pk=version.object_id).exists():
        raise Http404  # not deleted: going back to it is a revert, on the story's history
    return revision_form(
        request,
        version,
        lambda: article_recover(version=version, user=request.user),
        model_admin=model_admin,
        template="reversion/recover_form.html",
        context={"title": _("Recover “%(story)s”") % {"story": version.object_repr}},
        comment=revision_note(version, recovered=True),
    )


def revision_form(request, version, restore, *, model_admin, template, context, comment):
    """Write the story back (``restore``: a service, which checks who may), then show the
    story's ordinary change form on it. Only a successful POST keeps anything, as a new
    revision with ``comment``: showing the form, a refused form or an error rolls it all
    back (as reversion does, with the model signals muted while only showing)."""
    quiet = (
        nullcontext()
        if request.method == "POST"
        else mute_signals(pre_save, post_save, pre_delete, post_delete, m2m_changed)
    )
    try:
        with transaction.atomic(using=version.db), quiet:
            article = restore()
            with model_admin.create_revision(request):
                response = model_admin.changeform_view(
                    request, quote(str(article.pk)), request.path, context
                )
                if request.method == "POST" and response.status_code == 302:
                    reversion.set_comment(comment)
                    return response
                if response.status_code == 200:
                    response.template_name = template
                    response.render()  # now, while the restored rows are still there
                raise _Discard(response)
    except _Discard as discarded:
        return discarded.response
    except (RevertError, ProtectedError, IntegrityError):
        messages.error(
            request,
            _("This revision cannot be brought back: something it names has changed since "
              "(another story may have taken its address)."),
        )  # fmt: skip
        return redirect("admin:articles_article_changelist")


# "Translate into …": a draft in another language, in the story's translation group.


def translate(request, pk, language, *, model_admin):
    article = get_object_or_404(Article, pk=pk)
    if (
        request.method != "POST"
        or language not in TRANSLATE_LABELS
        or not model_admin.has_add_permission(request)
        or not model_admin.has_view_or_change_permission(request, article)
    ):
        raise PermissionDenied
    draft = translate_one(request, article, language, model_admin=model_admin)
    return redirect("admin:articles_article_change", (draft or article).pk)


def translate_selected(request, queryset, language, *, model_admin):
    """The changelist's "Translate into …" actions: open the draft when there is one."""
    drafts = [
        translate_one(request, article, language, model_admin=model_admin) for article in queryset
    ]
    drafts = [draft for draft in drafts if draft is not None]
    if len(drafts) == 1:
        return redirect("admin:articles_article_change", drafts[0].pk)
    return None


def translate_one(request, article, language, *, model_admin):
    """Create the draft and say what happened; None when the language is taken."""
    name = get_language_info(language)["name_translated"]
    try:
        draft = article_translate(article=article, language=language, user=request.user)
    except TranslationExists as exists:
        model_admin.message_user(
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
    model_admin.message_user(
        request,
        _("A draft in %(language)s was made from “%(story)s”: translate the text, and add "
          "the translator to the bylines.") % {"language": name, "story": article.headline},
        messages.SUCCESS,
    )  # fmt: skip
    if draft.tags_to_translate:
        model_admin.message_user(
            request,
            _("These tags have no translation into %(language)s yet; add them in the "
              "translation's own words: %(tags)s.")
            % {"language": name, "tags": ", ".join(draft.tags_to_translate)},
            messages.WARNING,
        )  # fmt: skip
    return draft
