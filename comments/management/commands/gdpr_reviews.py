"""A reader's right of access and erasure (GDPR articles 15 and 17) for their reviews.

``manage.py gdpr_reviews export EMAIL`` prints them as JSON; ``manage.py gdpr_reviews erase
EMAIL --yes`` deletes them through ``comments.services.reader_reviews_erase``.
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder

from comments.models import Comment
from comments.services import reader_reviews_erase


class Command(BaseCommand):
    help = "Export (as JSON) or erase every review written with an email address."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "erase"])
        parser.add_argument("email")
        parser.add_argument(
            "--yes", action="store_true", help="Erase without asking for confirmation."
        )

    def handle(self, *args, action, email, yes, **options):
        if action == "export":
            reviews = Comment.objects.by_email(email)
            self.stdout.write(json.dumps(self.export(reviews), cls=DjangoJSONEncoder, indent=2))
            return
        if not yes:
            raise CommandError("Erasing cannot be undone; add --yes to confirm.")
        counts = reader_reviews_erase(email=email)
        self.stdout.write(f"Erased {counts['reviews']} reviews.")

    def export(self, reviews):
        return [
            {
                "story": review.article.headline,
                "address": review.article.get_absolute_url(),
                "name": review.author_name,
                "email": review.email,
                "text": review.body,
                "status": review.status,
                "posted": review.created_at,
                "reply_to": review.parent_id,
            }
            for review in reviews.select_related("article__section").order_by("created_at")
        ]
