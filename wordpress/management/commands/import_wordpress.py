import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from wordpress.importer import wordpress_import
from wordpress.wxr import NotAnExport


class Command(BaseCommand):
    help = (
        "Import a WordPress export (WXR): posts and pages as stories, comments as reviews, "
        "attachments as library images, and old addresses as redirects. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", help="the WXR file WordPress's Tools → Export wrote")
        parser.add_argument(
            "--media-dir", help="a local copy of wp-content/uploads; nothing is downloaded"
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            help="the stories' language (default: the export's <language>)",
        )
        parser.add_argument(
            "--section-map",
            help='a JSON file: {"category-slug": "section-slug", "page": "section-slug"}',
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="print the report and write nothing"
        )

    def handle(self, *args, **options):
        export = Path(options["export"])
        if not export.is_file():
            raise CommandError(f"No such file: {export}")
        if options["media_dir"] and not Path(options["media_dir"]).is_dir():
            raise CommandError(f"No such folder: {options['media_dir']}")
        section_map = self.read_section_map(options["section_map"])

        def progress(items, total):
            return tqdm(items, total=total, unit="post", file=self.stderr._out,
                        disable=None if options["verbosity"] else True)  # fmt: skip

        try:
            report = wordpress_import(
                path=str(export),
                media_dir=options["media_dir"],
                language=options["language"],
                section_map=section_map,
                dry_run=options["dry_run"],
                progress=progress,
            )
        except NotAnExport as error:
            raise CommandError(f"{export} is not a WordPress export: {error}") from error
        self.stdout.write(report.render(dry_run=options["dry_run"]))

    def read_section_map(self, path):
        if not path:
            return {}
        try:
            mapping = json.loads(Path(path).read_text())
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read the section map {path}: {error}") from error
        if not isinstance(mapping, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()
        ):
            raise CommandError(f'{path}: expected {{"category": "section", ...}}')
        return mapping
