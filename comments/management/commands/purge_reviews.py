from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from comments.models import Comment, Report

IP_HASH_DAYS = 30


class Command(BaseCommand):
    help = (
        "Forget IP hashes older than 30 days and delete rejected and spam reviews older than "
        "COMMENTS_PURGE_REJECTED_AFTER_DAYS. Safe to run daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--rejected-days",
            type=int,
            default=settings.COMMENTS_PURGE_REJECTED_AFTER_DAYS,
            help="Age in days after which rejected and spam reviews are deleted.",
        )

    @transaction.atomic
    def handle(self, *args, rejected_days, **options):
        now = timezone.now()
        ip_cutoff = now - timedelta(days=IP_HASH_DAYS)
        hashes = Comment.objects.filter(created_at__lt=ip_cutoff).exclude(ip_hash="")
        forgotten = hashes.update(ip_hash="")
        # A report's hash only stops a reader reporting twice; after a month it may go.
        Report.objects.filter(created_at__lt=ip_cutoff).exclude(reporter_hash="").update(
            reporter_hash=""
        )
        deleted, _by_model = Comment.objects.filter(
            status__in=[Comment.Status.REJECTED, Comment.Status.SPAM],
            created_at__lt=now - timedelta(days=rejected_days),
        ).delete()
        self.stdout.write(f"IP hashes forgotten: {forgotten}. Rows deleted: {deleted}.")
