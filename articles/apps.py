from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = _("Stories")

    def ready(self):
        # The search index, the cache tags and the suggested stories listen to the models,
        # not the other way round.
        from . import cache_tags, related, search

        search.register_signal_handlers()
        cache_tags.register_signal_handlers()
        related.register_signal_handlers()
