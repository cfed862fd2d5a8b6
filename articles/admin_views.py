"""The story admin's own screens and endpoints, as plain views.

``ArticleAdmin.get_urls()`` routes them through ``admin_site.admin_view`` (login, staff,
never cached) and passes itself as ``model_admin``, so each view asks the same permission
methods the admin's own pages ask (``Article.is_editable_by`` behind them): a crafted
request meets the same refusal as a hidden button. ``ckeditor_upload`` is routed by
``ImageAdmin`` and checks its user itself, answering CKEditor in JSON.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language_info, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from reversion.models import Version
from taggit.models import Tag

from . import locks
from .images import clean_upload
from .models import Article, Image, PreviewLink
from .models.previews import PREVIEW_MAX_AGE
from .preview import preview_link_create, preview_url
from .revisions import compare_versions
from .services import TranslationExists, article_translate

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
    """CKEditor 5's image upload: the picture joins the library through the same checks
    as an upload in the image admin (content-identified, size-limited, re-encoded)."""
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
    image = Image(title=content.name.rsplit(".", 1)[0], uploaded_by=request.user)
    image.file.save(content.name, content, save=False)
    image.save()
    return JsonResponse({"url": image.file.url})


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


def compare_revisions(request, pk, *, model_admin):
    article = get_object_or_404(Article, pk=pk)
    if not model_admin.has_view_or_change_permission(request, article):
        raise PermissionDenied
    versions = list(Version.objects.get_for_object(article).select_related("revision__user"))
    by_id = {str(version.pk): version for version in versions}
    newer = by_id.get(request.GET.get("to")) or (versions[0] if versions else None)
    older = by_id.get(request.GET.get("from")) or (versions[1] if len(versions) > 1 else None)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "original": article,
        "title": _("Compare revisions of “%(story)s”") % {"story": article},
        "versions": versions,
        "older": older,
        "newer": newer,
        "fields": compare_versions(older, newer) if older and newer else [],
    }
    return TemplateResponse(request, "admin/articles/article/compare.html", context)


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
    return draft
