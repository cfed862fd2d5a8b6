from django.core.management.base import BaseCommand

from demo.newsletters import load_demo_newsletters
from demo.stories import DemoLoader


class Command(BaseCommand):
    help = (
        "Load the demo newsroom (sections, stories in three languages, pictures, a morning "
        "briefing newsletter per language with a sent issue). Idempotent."
    )

    def handle(self, *args, **options):
        DemoLoader(stdout=self.stdout).load()
        # After the stories: each newsletter's sent issue holds the newest of them.
        created = load_demo_newsletters()
        self.stdout.write(f"Demo newsletters ready: {created} new objects.")
