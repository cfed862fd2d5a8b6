from django.core.management.base import BaseCommand

from articles.models import Article
from articles.related import suggestions_store


class Command(BaseCommand):
    help = (
        "Work out and store the suggested related stories of every story readers may see "
        "now or later, e.g. after installing the feature or a bulk import (bulk_create "
        "skips the save that enqueues them)."
    )

    def handle(self, *args, **options):
        stories = Article.objects.filter(status=Article.Status.PUBLISHED).order_by("-pk")
        count = 0
        for story in stories.iterator():
            suggestions_store(story=story)
            count += 1
        self.stdout.write(f"Suggestions stored: {count} stories.")
