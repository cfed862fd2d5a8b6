from django.core.management.base import BaseCommand

from demo.reviews import load_demo_reviews


class Command(BaseCommand):
    help = (
        "Add approved, pending, reported and spam reviews in three languages to the demo "
        "stories (run after load_demo). Idempotent."
    )

    def handle(self, *args, **options):
        created = load_demo_reviews()
        self.stdout.write(f"Demo reviews ready: {created} new.")
