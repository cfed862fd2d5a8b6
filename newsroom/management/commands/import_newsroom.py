from django.core.management.base import BaseCommand

from newsroom.backup import import_newsroom


class Command(BaseCommand):
    help = (
        "Load a folder written by export_newsroom into this site (run migrate first; meant "
        "for an empty database: rows with the same ids are overwritten)."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder")

    def handle(self, *, folder, **options):
        files = import_newsroom(folder)
        self.stdout.write(f"Imported the database and {files} media files from {folder}")
