from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "insights"
    verbose_name = _("Editors' insight")

    def ready(self):
        from core.charts import register_source

        from .readership import readership_source

        register_source(readership_source, order=10)
