r"""Text without control characters: what every saved text field holds (issue 14).

A control character cannot appear in XML 1.0 at all. One U+000B in a headline (the line
break Word pastes) made every feed listing the story answer 500 (Django's feed writer
refuses it) and served ``/news-sitemap.xml`` as malformed XML, which Google News rejects
whole. So C0 and C1 controls never reach the database:

- in a one-line field (``CharField``: headlines, names, alt texts, tags) a control that
  separates words (tab, line breaks, U+000B, U+000C, U+0085...) becomes a space, so
  "Baku\vtalks" stays two words, and every other control is dropped;
- in a multi-line field (``TextField``: leads, bios, descriptions, the story body) tabs
  and line breaks stay as browsers send them (``\r\n``, which XML reads as ``\n``), the
  other line-breaking controls (U+000B, U+000C, U+001C–U+001E, U+0085) become ``\n``, and
  every other control is dropped (the body, being HTML, through its sanitiser: see
  ``text_fields``).

U+FFFE and U+FFFF are dropped too: they are not characters (XML 1.0 excludes them).

``strip_text_fields`` is a ``pre_save`` receiver: ``newsroom`` connects it to every model
of the project's apps (and taggit's tags) in ``NewsroomConfig.ready()``, so every way a row
is saved goes through it: the admin, services, ``objects.create()``, ``import_newsroom``
(fixtures are saved with ``raw=True``, which still sends ``pre_save``). ``bulk_create()``
and ``QuerySet.update()`` send no signal; nothing writes typed text that way.

Readers' reviews go through the same function in ``comments.pipeline.normalise_text``.
"""

from django_ckeditor_5.fields import CKEditor5Field

# C0 and C1, Unicode's category Cc; and the two noncharacters.
CONTROLS = [*range(0x00, 0x20), *range(0x7F, 0xA0)]
NONCHARACTERS = {0xFFFE: None, 0xFFFF: None}
KEPT_IN_LINES = "\t\n\r"  # The three controls XML 1.0 allows.
LINE_BREAKS = "\v\f\x1c\x1d\x1e\x85"

ONE_LINE = {
    **{code: " " if chr(code).isspace() else None for code in CONTROLS},
    **NONCHARACTERS,
}
MULTI_LINE = {
    **{code: None for code in CONTROLS if chr(code) not in KEPT_IN_LINES},
    **{ord(char): "\n" for char in LINE_BREAKS},
    **NONCHARACTERS,
}


def strip_control_characters(text, *, multiline=False):
    """``text`` without C0/C1 control characters; see the module docstring for which
    become a space or a line break. Keeps ``None`` and non-text values as they are."""
    if not isinstance(text, str):
        return text
    return text.translate(MULTI_LINE if multiline else ONE_LINE)


def text_fields(model):
    """The model's stored plain-text columns, each with whether it holds several lines.

    By internal type, so fields built on ``CharField``/``TextField`` (URLs, emails) count
    too; slugs have their own type and refuse controls anyway. Rich text (CKEditor) is
    left to its model's sanitiser, ``articles.text.clean_body``, which drops controls
    between two passes: dropping one from sanitised HTML could join ``jav\x01ascript:``.
    """
    for field in model._meta.concrete_fields:
        kind = field.get_internal_type()
        if kind in {"CharField", "TextField"} and not isinstance(field, CKEditor5Field):
            yield field.attname, kind == "TextField"


def strip_text_fields(sender, instance, **kwargs):
    """``pre_save`` receiver: every text field of ``instance`` without control characters."""
    for attname, multiline in text_fields(sender):
        value = getattr(instance, attname)
        cleaned = strip_control_characters(value, multiline=multiline)
        if cleaned != value:
            setattr(instance, attname, cleaned)
