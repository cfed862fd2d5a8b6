"""A reader's right of access and erasure (GDPR articles 15 and 17) for their newsletter
subscriptions, like ``gdpr_reviews``.

``manage.py gdpr_newsletters export EMAIL`` prints them as JSON; ``manage.py
gdpr_newsletters erase EMAIL --yes`` deletes them and their deliveries through
``newsletters.services.subscriber_erase``.
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder

from newsletters.models import Subscriber
from newsletters.services import subscriber_erase


class Command(BaseCommand):
    help = "Export (as JSON) or erase every newsletter subscription of an email address."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "erase"])
        parser.add_argument("email")
        parser.add_argument(
            "--yes", action="store_true", help="Erase without asking for confirmation."
        )

    def handle(self, *args, action, email, yes, **options):
        if action == "export":
            subscriptions = Subscriber.objects.filter(email__iexact=email).select_related(
                "newsletter"
            )
            rows = [
                {
                    "newsletter": str(row.newsletter),
                    "email": row.email,
                    "status": row.status,
                    "asked": row.created_at,
                    "confirmed": row.confirmed_at,
                    "unsubscribed": row.unsubscribed_at,
                    "issues_sent": row.deliveries.filter(status="sent").count(),
                }
                for row in subscriptions.order_by("created_at")
            ]
            self.stdout.write(json.dumps(rows, cls=DjangoJSONEncoder, indent=2))
            return
        if not yes:
            raise CommandError("Erasing cannot be undone; add --yes to confirm.")
        count = subscriber_erase(email=email)
        self.stdout.write(f"Erased {count} subscriptions.")
