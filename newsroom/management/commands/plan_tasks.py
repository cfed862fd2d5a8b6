from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from articles.cdn import plan_every_go_live_purge
from comments.tasks import digest_replan
from newsletters.automatic import automatic_replan


class Command(BaseCommand):
    help = (
        "Plan every task that must run at a time again (scheduled stories' go-live purges, "
        "the moderators' digest, newsletters that send themselves), so nothing is lost "
        "after a restore or an emptied queue. "
        "Safe to repeat: every task is idempotent, and copies of the digest collapse."
    )

    def handle(self, *args, **options):
        # The tasks are enqueued when this commits, with the digest slots they belong to.
        with transaction.atomic():
            purges = plan_every_go_live_purge()
            digest = digest_replan()
            newsletters = automatic_replan()
        purged = f"{purges} go-live purge(s)" if settings.CDN_PURGE_URL else "no CDN purge"
        self.stdout.write(
            f"Planned {purged} and the moderators' digest at {digest:%Y-%m-%d %H:%M %Z}."
        )
        if newsletters:
            self.stdout.write(f"Planned the next issue of {newsletters} automatic newsletter(s).")
