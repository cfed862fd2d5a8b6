"""Word-level differences between two versions of a story's text, as readers read it.

The body is HTML; an editor comparing revisions wants the words, not the tags. Each
version is read into blocks of plain text (a paragraph, a heading, a list item, a quote),
the blocks are matched up, and within a changed block the words are compared. The result
is plain text in segments marked "equal", "insert" or "delete"; the template escapes it
and wraps the marks in ``<ins>``/``<del>``. Nothing from the stored HTML is ever output as
markup, so a revision written before sanitising, or tampered with, cannot inject any.
"""

import difflib
import re
from html.parser import HTMLParser

from django.utils.translation import gettext as _

# How a block of the body is shown in the comparison: as the story page shows it, in kind.
_BLOCK_KINDS = {
    "p": "p", "h2": "h2", "h3": "h3", "h4": "h4", "li": "li", "blockquote": "quote",
    "figcaption": "caption", "caption": "caption", "td": "p", "th": "p", "pre": "p",
    "figure": "p", "div": "p", "table": "p", "tr": "p", "ul": "p", "ol": "p",
}  # fmt: skip
_TOKENS = re.compile(r"\w+|[^\w\s]|\s+")
# Never text a reader reads (and never in a sanitised body): their content is skipped.
_HIDDEN = {"script", "style", "template"}


class _BlockReader(HTMLParser):
    """Reads body HTML into ``[(kind, text)]``: one entry per block, whitespace folded."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks, self.open, self.words, self.hidden = [], [], [], 0

    def flush(self):
        text = " ".join("".join(self.words).split())
        if text:
            kinds = [_BLOCK_KINDS[tag] for tag in self.open]
            # A paragraph in a quote or a list item reads as the quote or the item.
            kind = next((k for k in ("quote", "li") if k in kinds), kinds[-1] if kinds else "p")
            self.blocks.append((kind, text))
        self.words = []

    def handle_starttag(self, tag, attrs):
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag in _BLOCK_KINDS:
            self.flush()
            self.open.append(tag)
        elif tag == "br":
            self.words.append(" ")
        elif tag == "img":
            alt = dict(attrs).get("alt")
            picture = _("picture: %(alt)s") % {"alt": alt} if alt else _("picture")
            self.words.append(f" [{picture}] ")
        elif tag == "iframe":
            self.words.append(" [{}] ".format(_("video")))

    def handle_endtag(self, tag):
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCK_KINDS:
            self.flush()
            if tag in self.open:
                del self.open[len(self.open) - 1 - self.open[::-1].index(tag) :]

    def handle_data(self, data):
        if not self.hidden:
            self.words.append(data)


def html_blocks(html):
    reader = _BlockReader()
    reader.feed(html or "")
    reader.close()
    reader.flush()
    return reader.blocks


def text_blocks(text):
    """Plain text (a headline, a lead) as blocks: one per line."""
    return [("p", " ".join(line.split())) for line in (text or "").splitlines() if line.strip()]


def _merged(segments):
    merged = []
    for op, text in segments:
        if text and merged and merged[-1][0] == op:
            merged[-1] = (op, merged[-1][1] + text)
        elif text:
            merged.append((op, text))
    return merged


def word_diff(old, new):
    """``[(op, text)]`` turning ``old`` into ``new`` word by word (op: equal, insert,
    delete; a replaced run is its deletion, then its insertion)."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    segments = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            segments.append(("equal", "".join(a[i1:i2])))
        else:
            segments += [("delete", "".join(a[i1:i2])), ("insert", "".join(b[j1:j2]))]
    return _merged(segments)


def _alike(old, new):
    """Whether two blocks share enough words to be one paragraph edited (at least 40%)."""
    matcher = difflib.SequenceMatcher(None, old.split(), new.split(), autojunk=False)
    return matcher.ratio() >= 0.4


def block_diff(old_blocks, new_blocks):
    """The blocks of the newer version with the older one's words marked in them:
    ``[{"kind", "change", "segments"}]``, where change is same, changed, added or removed.
    Blocks are matched whole first, so an inserted paragraph does not smear word changes
    over the ones after it; a block edited in place is compared word by word."""
    keys_old, keys_new = [" ".join(b) for b in old_blocks], [" ".join(b) for b in new_blocks]
    matcher = difflib.SequenceMatcher(None, keys_old, keys_new, autojunk=False)
    result = []

    def whole(block, change, op):
        result.append({"kind": block[0], "change": change, "segments": [(op, block[1])]})

    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        olds, news = old_blocks[i1:i2], new_blocks[j1:j2]
        if op == "equal":
            for block in news:
                whole(block, "same", "equal")
            continue
        for old, new in zip(olds, news, strict=False):
            if _alike(old[1], new[1]):
                segments = word_diff(old[1], new[1])
                result.append({"kind": new[0], "change": "changed", "segments": segments})
            else:  # a paragraph rewritten whole reads better as the old one, then the new
                whole(old, "removed", "delete")
                whole(new, "added", "insert")
        for old in olds[len(news) :]:
            whole(old, "removed", "delete")
        for new in news[len(olds) :]:
            whole(new, "added", "insert")
    return result
