from django.core.management.base import BaseCommand

from demo.stories import DemoLoader


class Command(BaseCommand):
    help = "Load the demo newsroom (sections, stories in three languages, pictures). Idempotent."

    def handle(self, *args, **options):
        DemoLoader(stdout=self.stdout).load()
