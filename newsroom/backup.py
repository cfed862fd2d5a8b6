"""Export and re-import the newsroom's content: the database as Django fixtures (JSON;
references to content types and permissions by name, since their ids differ between
databases) and the media files, into one folder. Used by ``export_newsroom`` and
``import_newsroom``.

This is a portable copy for moving or restoring a newsroom on any supported database; the
routine backup of a PostgreSQL site is ``pg_dump`` (docs/operations.md).
"""

from pathlib import Path

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction

DATA_FILE = "newsroom.json"
MEDIA_DIR = "media"
# Rebuilt by migrations (content types, permissions) or only meaningful on the running site
# (sessions, login attempts, the admin's own log).
EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "admin.logentry",
    "axes",
]


def _storage_files(storage, directory=""):
    directories, files = storage.listdir(directory)
    for name in files:
        yield f"{directory}/{name}" if directory else name
    for name in directories:
        yield from _storage_files(storage, f"{directory}/{name}" if directory else name)


def export_newsroom(folder):
    """Write the database and the media files under ``folder``; return (objects, files)."""
    folder = Path(folder)
    media = folder / MEDIA_DIR
    media.mkdir(parents=True, exist_ok=True)
    call_command(
        "dumpdata",
        exclude=EXCLUDED,
        natural_foreign=True,
        # Not natural_primary: django-taggit's TaggedItem natural key is its object id
        # alone, so two tags on one story would collapse into one.
        indent=1,
        output=str(folder / DATA_FILE),
        verbosity=0,
    )
    copied = 0
    for name in _storage_files(default_storage) if default_storage.exists("") else []:
        target = media / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as source:
            target.write_bytes(source.read())
        copied += 1
    return copied


@transaction.atomic
def import_newsroom(folder):
    """Load an export into this site's database and media storage. Media first: saving an
    image looks for its file."""
    folder = Path(folder)
    media = folder / MEDIA_DIR
    copied = 0
    for path in sorted(p for p in media.rglob("*") if p.is_file()):
        name = path.relative_to(media).as_posix()
        if default_storage.exists(name):
            default_storage.delete(name)
        with path.open("rb") as source:
            default_storage.save(name, File(source))
        copied += 1
    call_command("loaddata", str(folder / DATA_FILE), verbosity=0)
    return copied
