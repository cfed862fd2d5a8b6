from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = _("Stories")

    def ready(self):
        # The search index and the suggested stories listen to the models, not the other
        # way round.
        from . import related, search

        search.register_signal_handlers()
        related.register_signal_handlers()
