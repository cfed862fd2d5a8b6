from django.core.management.base import BaseCommand
from taggit.models import TaggedItem

from articles import search
from articles.models import Article


class Command(BaseCommand):
    help = (
        "Rewrite the search index of every story (PostgreSQL search vectors or SQLite's FTS5 "
        "table), e.g. after a bulk import or a queryset update() that bypassed save()."
    )

    def handle(self, *args, **options):
        count = search.rebuild_index(Article.objects.all(), TaggedItem.objects.all())
        self.stdout.write(f"Search index rebuilt: {count} stories.")
