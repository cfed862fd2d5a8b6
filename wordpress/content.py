"""Turning a WordPress post's text into a Newsroom story's: headline, body and lead.

WordPress stores classic-editor posts without paragraphs (``wpautop()`` adds them when it
shows a post) and block-editor posts with ``<!-- wp:… -->`` comments around finished HTML;
both carry shortcodes (``[caption]``, ``[gallery]``…) that only WordPress understands. What
comes out here is HTML that the story's own sanitiser (``articles.text.clean_body``) then
cleans like any editor's.
"""

import html
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.utils.html import strip_tags
from django.utils.text import Truncator

from articles.search_index import body_text
from articles.text import clean_body

BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:[^>]*?-->", re.S)
MORE = re.compile(r"<!--more(?:\s[^>]*)?-->")
NEXTPAGE = re.compile(r"<!--nextpage-->")
BLOCK_TAGS = (
    "table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|"
    "blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|"
    "hgroup|header|footer|nav|figure|figcaption|details|menu|summary|iframe|script"
)
BLOCK_OPEN = re.compile(rf"(<(?:{BLOCK_TAGS})[\s/>])", re.I)
BLOCK_CLOSE = re.compile(rf"(</(?:{BLOCK_TAGS})>)", re.I)
STARTS_WITH_BLOCK = re.compile(rf"^</?(?:{BLOCK_TAGS})[\s/>]", re.I)
PRE = re.compile(r"<pre[\s>].*?</pre>", re.S | re.I)
SHORTCODE = re.compile(r"\[(\w[\w-]*)((?:\s[^\]]*)?)\](?:(.*?)\[/\1\])?", re.S)
ATTRIBUTE = re.compile(r"""(\w+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")
CONVERTED = {"caption", "wp_caption", "gallery", "embed", "audio", "video"}
IMG = re.compile(r"<img\b[^>]*>", re.I)
SRC = re.compile(r"""\bsrc\s*=\s*["']([^"']+)["']""", re.I)
HREF = re.compile(r"""(<a\b[^>]*?\bhref\s*=\s*["'])([^"']+)(["'])""", re.I)
# WordPress's resized copies: boat-300x200.jpg is boat.jpg.
SIZE_SUFFIX = re.compile(r"-\d+x\d+(?=\.\w+$)")
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


@dataclass
class Converted:
    body: str
    lead: str
    notes: list = field(default_factory=list)
    missing_pictures: list = field(default_factory=list)


def title_text(title):
    """A headline is text: markup in a WordPress title is dropped, entities decoded."""
    return " ".join(html.unescape(strip_tags(html.unescape(title or ""))).split())[:255]


def title_from_body(body_html):
    """The first words of a story without a title, as its headline."""
    words = " ".join(body_text(body_html).split())
    return Truncator(words).words(8, truncate="…")[:255]


def autop(text):
    """WordPress's ``wpautop()``, in short: blank lines separate paragraphs and a single
    line break is a ``<br>``; block elements are left as they are, ``<pre>`` untouched."""
    kept = []

    def keep(match):
        kept.append(match.group(0))
        return f'\n\n<pre data-kept="{len(kept) - 1}"></pre>\n\n'

    text = PRE.sub(keep, text.replace("\r\n", "\n").replace("\r", "\n"))
    text = BLOCK_CLOSE.sub(r"\1\n\n", BLOCK_OPEN.sub(r"\n\n\1", text))
    paragraphs = []
    for chunk in re.split(r"\n\s*\n", text):
        chunk = chunk.strip()
        if not chunk:
            continue
        if STARTS_WITH_BLOCK.match(chunk):
            paragraphs.append(chunk)
        else:
            paragraphs.append("<p>" + chunk.replace("\n", "<br>\n") + "</p>")
    text = "\n".join(paragraphs)
    return re.sub(r'<pre data-kept="(\d+)"></pre>', lambda m: kept[int(m.group(1))], text)


def attributes(text):
    return {m.group(1).lower(): next(v for v in m.groups()[1:] if v is not None)
            for m in ATTRIBUTE.finditer(text or "")}  # fmt: skip


def picture_key(url):
    """What an attachment and its resized copies share: the path after ``/uploads/`` (or
    the whole path), without WordPress's ``-300x200`` size suffix."""
    path = url.split("?", 1)[0].split("#", 1)[0]
    path = path.split("/uploads/", 1)[-1] if "/uploads/" in path else path.rsplit("/", 1)[-1]
    return SIZE_SUFFIX.sub("", path.lstrip("/"))


class BodyConverter:
    """Converts post bodies for one import. ``pictures`` maps ``picture_key`` and
    attachment ids to ``(url, alt)`` of library images; ``links`` maps an old post
    address (``old_path``) to its new one, for links on the old site (``host``, or
    relative): the same path on another site is another page."""

    def __init__(self, *, pictures, pictures_by_id, links, old_path, host):
        self.pictures, self.pictures_by_id = pictures, pictures_by_id
        self.links, self.old_path, self.host = links, old_path, host

    def convert(self, content, excerpt):
        notes, missing = [], []
        has_blocks = bool(BLOCK_COMMENT.search(content))
        text = BLOCK_COMMENT.sub("", content)
        teaser = ""
        more = MORE.search(text)
        if more:
            teaser = text[: more.start()]
            text = MORE.sub("", text)
        if NEXTPAGE.search(text):
            # One page per story: WordPress's page breaks become a rule between the parts.
            text = NEXTPAGE.sub("\n\n<hr>\n\n", text)
        text = SHORTCODE.sub(lambda m: self.shortcode(m, notes), text)
        if not has_blocks:
            text = autop(text)
        text = IMG.sub(lambda m: self.picture(m.group(0), missing), text)
        text = HREF.sub(self.link, text)
        body = clean_body(text)
        lead = lead_text(excerpt) or lead_text(teaser) or first_sentences(body)
        return Converted(body=body, lead=lead, notes=notes, missing_pictures=missing)

    def shortcode(self, match, notes):
        name, attrs, inner = match.group(1).lower(), attributes(match.group(2)), match.group(3)
        if name not in CONVERTED and inner is None and "=" not in match.group(2):
            return match.group(0)  # "[sic]" or "[1]": words in brackets, not a shortcode.
        if name in {"caption", "wp_caption"}:
            inner = inner or ""
            images = IMG.findall(inner)
            caption = attrs.get("caption") or strip_tags(IMG.sub("", inner)).strip()
            return (f'<figure class="image">{"".join(images)}'
                    f"<figcaption>{html.escape(caption)}</figcaption></figure>")  # fmt: skip
        if name == "gallery":
            ids = [int(i) for i in re.findall(r"\d+", attrs.get("ids", ""))]
            found = [self.pictures_by_id[i] for i in ids if i in self.pictures_by_id]
            if not found:
                notes.append("[gallery] removed: none of its pictures is in the export")
                return ""
            return "".join(
                f'<figure class="image"><img src="{html.escape(url)}" alt="{html.escape(alt)}">'
                "</figure>"
                for url, alt in found
            )
        if name in {"embed", "audio", "video"}:
            url = (inner or "").strip() or attrs.get("src") or next(
                (v for k, v in attrs.items() if k in {"mp3", "m4a", "ogg", "wav", "mp4",
                                                        "webm", "ogv", "url"}), "")  # fmt: skip
            if not url:
                notes.append(f"[{name}] removed: it names no address")
                return ""
            notes.append(f"[{name}] converted to a link")
            return f'<p><a href="{html.escape(url)}">{html.escape(url)}</a></p>'
        notes.append(f"[{name}] removed: Newsroom has no equivalent")
        return inner or ""

    def picture(self, tag, missing):
        src = SRC.search(tag)
        if not src:
            return ""
        found = self.pictures.get(picture_key(html.unescape(src.group(1))))
        if found is None:
            missing.append(src.group(1))
            return ""
        url, library_alt = found
        alt = attributes(tag).get("alt") or library_alt
        return f'<img src="{html.escape(url)}" alt="{html.escape(alt)}">'

    def link(self, match):
        url = html.unescape(match.group(2))
        if urlsplit(url).netloc.lower().removeprefix("www.") not in {"", self.host}:
            return match.group(0)
        new = self.links.get(self.old_path(url))
        return f"{match.group(1)}{html.escape(new)}{match.group(3)}" if new else match.group(0)


def lead_text(html_text):
    return " ".join(body_text(html_text).split())


def first_sentences(body, limit=300):
    """The lead of a post without an excerpt: its first sentences, up to ``limit``."""
    text = lead_text(body)
    lead = ""
    for sentence in SENTENCE_END.split(text):
        if lead and len(lead) + len(sentence) > limit:
            break
        lead = f"{lead} {sentence}".strip()
    return lead if len(lead) <= limit else Truncator(lead).chars(limit)
