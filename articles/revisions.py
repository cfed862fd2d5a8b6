"""A readable comparison of two stored revisions of a story (django-reversion)."""

import difflib
import re

from .models import Article

COMPARED_FIELDS = ["headline", "kicker", "lead", "body"]
# Body HTML is compared block by block: one line per paragraph, heading or list item.
_BLOCK_BREAK = re.compile(r"(?<=>)\s*(?=<(?:p|h\d|li|ul|ol|blockquote|figure|table)\b)")


def _lines(field, value):
    value = value or ""
    if field == "body":
        return [line for line in _BLOCK_BREAK.split(value) if line.strip()]
    return value.splitlines()


def compare_versions(older, newer):
    """For each compared field, its label and the diff lines as ``(kind, text)``, where
    kind is "added", "removed" or "same". Text is plain; the template escapes it."""
    kinds = {"+ ": "added", "- ": "removed", "  ": "same"}
    old, new = older.field_dict, newer.field_dict
    fields = []
    for name in COMPARED_FIELDS:
        diff = [
            (kinds[line[:2]], line[2:])
            for line in difflib.ndiff(_lines(name, old.get(name)), _lines(name, new.get(name)))
            if line[:2] in kinds
        ]
        changed = any(kind != "same" for kind, _text in diff)
        fields.append((Article._meta.get_field(name).verbose_name, changed, diff))
    return fields
