from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "comments"
    verbose_name = _("Reader reviews")

    def ready(self):
        from core.charts import register_source

        from .stats import review_charts

        register_source(review_charts, order=20)
