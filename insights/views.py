"""The insights screens: a chart's numbers as CSV, the translation board, "checked"."""

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from articles.models import Article, Section
from articles.revisions import story_versions
from core.charts import charts_for

from . import translations


def _needs(perm):
    def check(user):
        if not user.has_perm(perm):
            raise PermissionDenied

    return check


def chart_csv(request, slug):
    """Any chart the user sees on the dashboard or a story's page, as CSV."""
    article = None
    if slug.startswith("story-"):
        article = get_object_or_404(Article, pk=slug.split("-")[1])
    chart = next((c for c in charts_for(request.user, article=article) if c.slug == slug), None)
    if chart is None:
        raise Http404
    response = HttpResponse(chart.csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}.csv"'
    return response


def translation_board(request):
    _needs("articles.view_article")(request.user)
    params = request.GET
    section = params.get("section", "")
    section = int(section) if section.isdigit() else None
    language = (
        params.get("language") if params.get("language") in dict(settings.LANGUAGES) else None
    )
    age = params.get("age") if params.get("age") in translations.AGES else None
    page = Paginator(translations.sources(section=section, age=age), translations.PAGE).get_page(
        params.get("page")
    )
    context = {
        **admin.site.each_context(request),
        "title": _("Translation status"),
        "rows": translations.board(page.object_list, language=language),
        "page": page,
        "sections": Section.objects.order_by("name").values_list("pk", "name"),
        "languages": settings.LANGUAGES,
        "ages": [("7", _("last 7 days")), ("30", _("last 30 days")), ("365", _("last year"))],
        "chosen": {"section": section, "language": language, "age": age},
        "can_translate": request.user.has_perm("articles.add_article"),
        "can_check": request.user.has_perm("articles.publish_article"),
    }
    return TemplateResponse(request, "insights/translation_board.html", context)


@require_POST
def translation_checked(request, pk):
    """An editor marks a translation as checked against the source revision shown."""
    _needs("articles.publish_article")(request.user)
    story = get_object_or_404(Article, pk=pk)
    source = (
        Article.objects.filter(translation_group=story.translation_group).order_by("pk").first()
    )
    version_id = request.POST.get("source_version", "")
    version = (
        story_versions()
        .filter(pk=int(version_id) if version_id.isdigit() else 0, object_id=str(source.pk))
        .first()
    )
    if version is None or source.pk == story.pk:
        messages.error(request, _("That is not a revision of this translation's source."))
    else:
        translations.translation_check(
            translation=story, source_version=version, user=request.user
        )
        messages.success(
            request, _("“%(headline)s” is marked checked.") % {"headline": story.headline}
        )
    back = request.POST.get("back", "")
    # Back to the board as it was filtered; only ever the board's own address.
    return redirect(
        back if back.startswith("/admin/insights/translations/") else "insights:translations"
    )


urlpatterns_views = {
    "chart": admin.site.admin_view(chart_csv),
    "board": admin.site.admin_view(translation_board),
    "checked": admin.site.admin_view(translation_checked),
}
