from django.apps import AppConfig, apps
from django.db.models.signals import pre_save
from django.utils.translation import gettext_lazy as _

from core.text import strip_text_fields

# The apps whose rows hold text people type: the project's own and taggit's tags. A new
# feature app (newsletters, the importer) joins this list.
TYPED_TEXT_APPS = ["taggit", "articles", "comments", "newsroom"]


class NewsroomConfig(AppConfig):
    name = "newsroom"
    verbose_name = _("Newsroom")

    def ready(self):
        from . import checks  # noqa: F401  (registers the deploy check)

        # No control character reaches the database, whichever way a row is saved
        # (core/text.py says why: feeds and sitemaps are XML).
        for label in TYPED_TEXT_APPS:
            for model in apps.get_app_config(label).get_models():
                pre_save.connect(
                    strip_text_fields, sender=model, dispatch_uid=f"strip-text:{model._meta.label}"
                )
