from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"

    def ready(self):
        # Every tag change reaches the edges: core.cache sends, core.cdn carries it out.
        from .cache import tags_invalidated
        from .cdn import purge_edges_on_commit

        tags_invalidated.connect(purge_edges_on_commit, dispatch_uid="core.cdn.edges")
