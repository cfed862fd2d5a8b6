"""Stored revisions of a story (django-reversion): a readable comparison of two, and
writing one back, the story's own rows only.

Who may revert or recover, and the record of it, are the services' (``article_revert``,
``article_recover`` in ``articles/services.py``); this module only reads and writes rows.
"""

from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reversion.models import Version

from .models import Article
from .text_diff import block_diff, html_blocks, text_blocks

COMPARED_FIELDS = ["headline", "lead", "body", "kicker"]
# Bookkeeping, not what the story says or where it stands: never listed as a change.
NOT_COMPARED = {"id", "version", "updated_at", "created_at", "search_vector", "translation_group"}

# What a revert brings back with the story: its bylines and related links as they were
# (rows added since are removed). Not its corrections: once a story is out they are the
# public record, append-only (see ``Correction``), so a revert keeps every correction as it
# stands now; it deletes none, rewrites none and brings back none. We keep rather than
# refuse: a revert undoes an edit, and a correction is never the edit being undone.
REVERTED_RELATIONS = ["bylines", "related_links"]
# A deleted story has no rows left to keep: recovering it brings its corrections back too.
RECOVERED_RELATIONS = [*REVERTED_RELATIONS, "corrections"]
# A revert changes what a story says, never where it stands in the workflow (that is
# ``article_transition``'s) nor whose it is; these keep their live values. ``version``
# too, so the form opened on the revision saves and forms opened before it stay stale; and
# the live coverage window, which the live panel moves, never the story form.
WORKFLOW_FIELDS = [
    "status", "published_at", "breaking_until", "created_by_id", "translation_group",
    "version", "live_from", "live_until",
]  # fmt: skip


def compare_versions(older, newer):
    """The two versions compared as readers read them: ``(text_fields, other_changes)``.

    ``text_fields``: for the headline, kicker, lead and body, ``(label, changed, blocks)``
    with the words inserted and deleted marked (``text_diff.block_diff``). Then
    ``other_changes``: ``(label, before, after)`` for every other field that differs, its
    values as the form shows them. All plain text; the template escapes it.
    """
    old, new = older.field_dict, newer.field_dict
    fields = []
    for name in COMPARED_FIELDS:
        read = html_blocks if name == "body" else text_blocks
        blocks = block_diff(read(old.get(name)), read(new.get(name)))
        changed = any(block["change"] != "same" for block in blocks)
        fields.append((Article._meta.get_field(name).verbose_name, changed, blocks))
    others = [
        (field.verbose_name, *(_shown(field, values.get(field.attname)) for values in (old, new)))
        for field in Article._meta.concrete_fields
        if field.name not in {*COMPARED_FIELDS, *NOT_COMPARED}
        and old.get(field.attname) != new.get(field.attname)
    ]
    return fields, others


def _shown(field, value):
    """A stored value as an editor knows it: a choice's label, a row's name, a local time."""
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        row = field.related_model._default_manager.filter(pk=value).first()
        return str(row) if row else "—"
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def story_versions():
    """Stored versions of stories only: a version id names a byline, a link or a
    correction just as well, so every lookup by id starts here."""
    return Version.objects.get_for_model(Article)


def restore_story(version, *, relations, keep=()):
    """Write back the story stored in ``version`` (one of ``story_versions()``) and, from
    the same revision, the rows of ``relations`` that belonged to it; rows of those
    relations it has gained since are deleted. Fields named in ``keep`` keep their live
    values. Returns the story as written.

    Nothing else in the revision is touched. Reversion's own ``Revision.revert`` writes
    back every row of a revision, and a revision can hold several stories (a changelist
    action takes all its steps in one): reverting one story would revert the others.
    """
    pk = int(version.object_id)
    stories = Article.objects.filter(pk=pk)
    live = stories.values(*keep).first() if keep else None
    version.revert()
    if live:
        stories.update(**live)
    in_revision = Version.objects.filter(revision_id=version.revision_id)
    for relation in relations:
        field = Article._meta.get_field(relation)
        model, article_id = field.related_model, field.field.attname
        rows = [
            row for row in in_revision.get_for_model(model) if row.field_dict[article_id] == pk
        ]
        gained = model._default_manager.filter(**{article_id: pk})
        gained.exclude(pk__in=[row.object_id for row in rows]).delete()
        for row in rows:
            row.revert()
    return stories.get()


def revision_note(version, *, recovered=False):
    """The history's line for bringing a story back to ``version``'s revision."""
    when = date_format(timezone.localtime(version.revision.date_created), "DATETIME_FORMAT")
    if recovered:
        return _("Recovered from the revision of %(date)s.") % {"date": when}
    return _("Reverted to the revision of %(date)s.") % {"date": when}
