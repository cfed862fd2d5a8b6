from django.core.management.base import BaseCommand

from newsroom.backup import export_newsroom


class Command(BaseCommand):
    help = "Export every story, review, user and media file to FOLDER (see import_newsroom)."

    def add_arguments(self, parser):
        parser.add_argument("folder")

    def handle(self, *, folder, **options):
        files = export_newsroom(folder)
        self.stdout.write(f"Exported the database and {files} media files to {folder}")
