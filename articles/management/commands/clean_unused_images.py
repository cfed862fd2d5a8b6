from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from articles.body_pictures import picture_names
from articles.models import Image, StoryAutosave
from articles.models.autosaves import NEW_STORY_KEY_PREFIX

UNUSED_FOR = timedelta(days=1)


class Command(BaseCommand):
    help = (
        "Delete the pictures uploaded in place from a story that was never saved, more "
        "than a day ago, that nothing uses (no story, contributor or autosave). Library "
        "uploads and pictures uploaded from a saved story are kept. Safe to run from cron."
    )

    def handle(self, *args, **options):
        candidates = Image.objects.unused().filter(
            uploaded_for__startswith=NEW_STORY_KEY_PREFIX,
            created_at__lt=timezone.now() - UNUSED_FOR,
        )
        # A writer's autosave may still hold one (as the lead image, or in the body) and
        # be restored: those stay until the autosave expires.
        held = set()
        for data in StoryAutosave.objects.fresh().values_list("data", flat=True):
            fields = data.get("fields", {}) if isinstance(data, dict) else {}
            held.add(str(fields.get("lead_image", "")))
            held.update(picture_names(str(fields.get("body", ""))))
        deleted = 0
        for image in candidates.iterator():
            if str(image.pk) in held or image.file.name in held:
                continue
            image.file.delete(save=False)
            image.delete()
            deleted += 1
        self.stdout.write(f"Deleted {deleted} unused picture(s).")
