from django.core.management.base import BaseCommand

from comments.notifications import send_pending_digest


class Command(BaseCommand):
    help = "Email the pending review queue to the Moderators group (for cron or a worker)."

    def handle(self, *args, **options):
        sent = send_pending_digest()
        self.stdout.write("Digest sent." if sent else "Nothing to send.")
