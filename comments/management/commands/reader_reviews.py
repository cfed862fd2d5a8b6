"""A reader's right of access and erasure (GDPR articles 15 and 17) for their reviews."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from comments.models import Comment
from core.cache import bump_content_version


class Command(BaseCommand):
    help = "Export (as JSON) or erase every review written with an email address."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "erase"])
        parser.add_argument("email")
        parser.add_argument(
            "--yes", action="store_true", help="Erase without asking for confirmation."
        )

    def handle(self, *args, action, email, yes, **options):
        reviews = Comment.objects.by_email(email).select_related("article")
        if action == "export":
            self.stdout.write(json.dumps(self.export(reviews), cls=DjangoJSONEncoder, indent=2))
            return
        if not yes:
            raise CommandError("Erasing cannot be undone; add --yes to confirm.")
        with transaction.atomic():
            # Replies to an erased review go with it: they answer text that no longer exists.
            count = reviews.count()
            reviews.delete()
        bump_content_version()
        self.stdout.write(f"Erased {count} reviews.")

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
