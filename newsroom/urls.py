from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _

from articles.sitemaps import NEWS_SITEMAPS, SITEMAPS
from newsletters import views as newsletter_views

from . import media, views
from .two_factor import AdminLoginForm

admin.site.site_header = _("Newsroom")
admin.site.site_title = _("Newsroom admin")
admin.site.index_title = _("Newsroom")
admin.site.index_template = "admin/dashboard_index.html"
# Optional two-factor login for staff who turned it on (newsroom.two_factor).
admin.site.login_form = AdminLoginForm
admin.site.login_template = "admin/login_2fa.html"

# Error pages that must not need the database or the request's host (see templates/errors/).
handler400 = "newsroom.views.bad_request"
handler500 = "newsroom.views.server_error"

urlpatterns = [
    # Before the admin's catch-all; the views are wrapped in admin_view (insights/views.py).
    path("admin/insights/", include("insights.urls")),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("csp-report/", views.csp_report, name="csp_report"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap"},
        name="sitemap_index",
    ),
    path("sitemap-<section>.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "news-sitemap.xml",
        sitemap_views.sitemap,
        {"sitemaps": NEWS_SITEMAPS, "template_name": "articles/news_sitemap.xml"},
        name="news_sitemap",
    ),
    # The mail provider's bounce webhook: one address, outside the language prefix.
    path("newsletters/bounces/", newsletter_views.bounces, name="newsletter_bounces"),
    # The open-counting image, only in mail of a newsletter that counts opens.
    path("newsletters/open/<str:token>.gif", newsletter_views.opened, name="newsletter_open"),
    *i18n_patterns(
        # Before the articles' catch-all "<section>/" ("reviews", "newsletters" are reserved).
        path("reviews/", include("comments.urls")),
        path("newsletters/", include("newsletters.urls")),
        path("", include("articles.urls")),
    ),
]

# Answers 404 unless SERVE_MEDIA is on (newsroom/media.py); a web server in front serves
# MEDIA_URL itself. SecurityMiddleware adds X-Content-Type-Options: nosniff here too.
urlpatterns += [
    re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.*)$", media.serve_media, name="media")
]
