from django.core.management.base import BaseCommand

from articles.models import AUTOSAVE_MAX_AGE, StoryAutosave


class Command(BaseCommand):
    help = (
        f"Delete story autosaves older than {AUTOSAVE_MAX_AGE.days} days (they are no longer "
        "offered). Saving any story does it too; safe to run daily from cron."
    )

    def handle(self, *args, **options):
        deleted, _by_model = StoryAutosave.objects.expired().delete()
        self.stdout.write(f"Deleted {deleted} expired autosave(s).")
