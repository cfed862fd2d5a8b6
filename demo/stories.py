"""The demo newsroom: sections, contributors, stories with pictures, social links.

The content is ``demo/data/newsroom.json`` (read by ``demo.content``): ``sections`` (slug,
name and its Russian and Azerbaijani names, description), ``contributors`` (slug, name,
bio), ``social_links`` (name, url, in the order shown) and ``stories``. A story has a stable
``key``, a translation ``group``, ``language``, ``section`` (a slug), ``headline``, ``lead``,
``paragraphs`` (plain text, escaped into the body), ``tags``, ``byline`` (contributor slug
and role) and the lead picture's ``image_caption`` and ``image_credit`` (its alt text
says what ``demo_picture`` drew, in all three languages: ``demo_picture_alt``);
optionally a ``kicker``, a ``subheading`` (placed after the second paragraph),
``hours_ago`` (publication time, default 1; negative for a scheduled story), ``status``
("draft" makes a draft; "scheduled" is a label only), ``breaking``, ``corrections`` (kind,
text), ``related`` (other stories' keys), ``related_external`` (kind, title, url) and
``live_updates`` (``minutes_ago``, ``text``, optional ``title`` and ``key_event``), which
make it a live story covered since its publication.

``pages.json`` holds the publication's own pages (About, Privacy...) per language; a
page an editor has made or changed is never touched (``load_pages``).

Everything is created with ``get_or_create`` on a stable key, so loading twice changes
nothing: a story that already exists is left exactly as it is (even if an editor has
changed it since).
"""

import bisect
import colorsys
import io
import random
import secrets
import uuid
from datetime import timedelta

import reversion
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from taggit.models import Tag

from articles.images import make_renditions
from articles.models import (
    Article,
    Byline,
    Contributor,
    Correction,
    Image,
    LiveUpdate,
    Page,
    RelatedLink,
    Section,
    TagLanguage,
)
from articles.text import slug_from_headline
from core.roles import ROLES
from newsroom.models import SocialLink

from . import content

DEMO_NAMESPACE = uuid.UUID("7b0c1f36-56a5-4c38-9d4b-0a9a8f7e1c11")
IMAGE_SIZE = (1200, 675)
DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def demo_translation_groups():
    """The translation groups of the demo stories: how later loaders tell them from an
    editor's own stories."""
    return {
        uuid.uuid5(DEMO_NAMESPACE, story["group"]) for story in content.read("newsroom")["stories"]
    }


# The drawn picture's colour, named in each language: the hue (in degrees) up to which
# each name holds, and the names in that order.
HUE_LIMITS = [15, 45, 70, 165, 195, 255, 290, 345, 360]
HUE_NAMES = {
    "en": ["red", "orange", "yellow", "green", "turquoise", "blue", "violet", "pink", "red"],
    "ru": ["красном", "оранжевом", "жёлтом", "зелёном", "бирюзовом", "синем", "фиолетовом",
           "розовом", "красном"],
    "az": ["qırmızı", "narıncı", "sarı", "yaşıl", "firuzəyi", "göy", "bənövşəyi", "çəhrayı",
           "qırmızı"],
}  # fmt: skip
PICTURE_ALT = {
    "en": "Illustration: the word “{label}” in white on a {colour} background with outlined "
    "circles",
    "ru": "Иллюстрация: белая надпись «{label}» на {colour} фоне с контурами кругов",
    "az": "İllüstrasiya: {colour} fonda konturlu dairələr və ağ rəngli «{label}» sözü",
}


def demo_picture_alt(key, label, language):
    """What ``demo_picture(key, label)`` draws, for readers who cannot see it."""
    degrees = random.Random(key).random() * 360
    colour = HUE_NAMES[language][bisect.bisect(HUE_LIMITS, degrees)]
    return PICTURE_ALT[language].format(label=label, colour=colour)


def demo_picture(key, label):
    """A 1200×675 JPEG drawn locally: a soft gradient, a few shapes and a label."""
    rng = random.Random(key)
    # The first draw is the hue, as in demo_picture_alt.
    hue = rng.random()
    top = tuple(int(c * 255) for c in colorsys.hls_to_rgb(hue, 0.32, 0.55))
    bottom = tuple(int(c * 255) for c in colorsys.hls_to_rgb((hue + 0.08) % 1, 0.62, 0.45))
    width, height = IMAGE_SIZE
    picture = PILImage.new("RGB", IMAGE_SIZE)
    draw = ImageDraw.Draw(picture)
    for y in range(height):
        t = y / (height - 1)
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)),
        )
    for _ in range(6):
        x, y, r = rng.randrange(width), rng.randrange(height), rng.randrange(80, 320)
        shade = tuple(min(255, c + 40) for c in top)
        draw.ellipse([x - r, y - r, x + r, y + r], outline=shade, width=6)
    font, text = label_font_and_text(label)
    draw.text((60, height - 120), text, fill=(255, 255, 255), font=font)
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=82, optimize=True, progressive=True)
    return buffer.getvalue()


def label_font_and_text(label):
    """DejaVu draws Cyrillic and Azerbaijani letters; Pillow's bundled font cannot, so
    without DejaVu the label is transliterated."""
    try:
        return ImageFont.truetype(DEJAVU, 48), label
    except OSError:
        return ImageFont.load_default(size=48), slug_from_headline(label).replace("-", " ")


def body_html(story):
    paragraphs = [f"<p>{escape(p)}</p>" for p in story["paragraphs"]]
    if story.get("subheading"):
        paragraphs.insert(min(2, len(paragraphs)), f"<h2>{escape(story['subheading'])}</h2>")
    return "\n".join(paragraphs)


def page_body_html(page):
    blocks = []
    for section in page["sections"]:
        if section.get("heading"):
            blocks.append(f"<h2>{escape(section['heading'])}</h2>")
        blocks.extend(f"<p>{escape(p)}</p>" for p in section["paragraphs"])
    return "\n".join(blocks)


def publication_time(story, now):
    return now - timedelta(hours=story.get("hours_ago", 1))


class DemoLoader:
    def __init__(self, stdout=None):
        self.stdout = stdout
        self.created = 0
        self.now = timezone.now().replace(second=0, microsecond=0)
        # Tag id → the one language its stories are written in (None: several).
        self.tag_language = {}
        # Translation group → (language, tags) of its first story loaded.
        self.group_tags = {}

    def log(self, message):
        if self.stdout:
            self.stdout.write(message)

    def get_or_create(self, model, defaults=None, **lookup):
        obj, created = model.objects.get_or_create(defaults=defaults or {}, **lookup)
        self.created += created
        return obj, created

    @transaction.atomic
    def load(self):
        # Stories created here get a first revision, so editors can compare their edits to it.
        with reversion.create_revision():
            reversion.set_comment("Demo newsroom")
            return self._load()

    def _load(self):
        data = content.read("newsroom")
        self.staff = self.load_staff()
        sections = self.load_sections(data["sections"])
        contributors = self.load_contributors(data["contributors"])
        stories = {story["key"]: self.load_story(story, sections, contributors)
                   for story in data["stories"]}  # fmt: skip
        for story in data["stories"]:
            self.load_related(story, stories)
        for position, link in enumerate(data["social_links"]):
            self.get_or_create(
                SocialLink, name=link["name"], defaults={"url": link["url"], "position": position}
            )
        self.load_pages(content.read("pages")["pages"])
        self.log(f"Demo newsroom ready: {self.created} new objects, {len(stories)} stories.")
        return self.created

    def load_staff(self):
        """One staff login per role. A new one gets a random password, printed once."""
        User = get_user_model()
        staff = {}
        for username, (group_name, _description) in ROLES.items():
            user = User.objects.filter(username=username).first()
            if user:
                self.log(f"Demo {username}: log in as “{username}” (reset the password with "
                         f".venv/bin/python manage.py changepassword {username}).")  # fmt: skip
            else:
                password = secrets.token_urlsafe(12)
                user = User.objects.create_user(username, password=password, is_staff=True)
                user.groups.add(Group.objects.get(name=group_name))
                self.created += 1
                self.log(f"Demo {username} created: log in as “{username}” with password: "
                         f"{password} (shown only this once).")  # fmt: skip
            staff[username] = user
        return staff

    def load_sections(self, rows):
        sections = {}
        for position, row in enumerate(rows):
            sections[row["slug"]], _ = self.get_or_create(
                Section,
                slug=row["slug"],
                defaults={
                    "name": row["name"],
                    "name_ru": row["name_ru"],
                    "name_az": row["name_az"],
                    "description": row["description"],
                    "position": position,
                },
            )
        return sections

    def load_contributors(self, rows):
        return {
            person["slug"]: self.get_or_create(
                Contributor,
                slug=person["slug"],
                defaults={"name": person["name"], "bio": person["bio"]},
            )[0]
            for person in rows
        }

    def load_image(self, story):
        """The picture of the story's translation group, one library entry shared by its
        translations, with this story's caption and credit in its language (its alt text
        says what ``demo_picture`` drew, in every language)."""
        name = f"images/demo/{story['group']}.jpg"
        suffix = "" if story["language"] == "en" else f"_{story['language']}"
        texts = {
            f"caption{suffix}": story["image_caption"],
            f"credit{suffix}": story["image_credit"],
        }
        image = Image.objects.filter(file=name).first()
        if image is not None:
            # Written once per language: an editor's later change is kept.
            Image.objects.filter(pk=image.pk, **{f"caption{suffix}": ""}).update(**texts)
            image.refresh_from_db()
            return image
        # A file left over from an earlier database would make the storage pick another
        # name, and the next load would not find this picture again.
        if default_storage.exists(name):
            default_storage.delete(name)
        label = story.get("kicker") or story["section"].title()
        default_storage.save(name, ContentFile(demo_picture(story["group"], label)))
        image = Image.objects.create(
            file=name,
            width=IMAGE_SIZE[0],
            height=IMAGE_SIZE[1],
            title=story["headline"][:200],
            # What the picture shows is the word drawn on it, in every language.
            alt_text=demo_picture_alt(story["group"], label, "en"),
            alt_text_ru=demo_picture_alt(story["group"], label, "ru"),
            alt_text_az=demo_picture_alt(story["group"], label, "az"),
            **texts,
        )
        # Made here, not left to the worker its save enqueued (which then finds them
        # written and only records them): a command may take its time, and the demo
        # shows its pictures on the first page view after `make run`.
        make_renditions.call(image.pk, image.file.name)
        self.created += 1
        return image

    def load_story(self, story, sections, contributors):
        slug = slug_from_headline(story["headline"])
        existing = Article.objects.filter(language=story["language"], slug=slug).first()
        if existing:
            return existing
        status = story.get("status", "published")
        article = Article.objects.create(
            language=story["language"],
            translation_group=uuid.uuid5(DEMO_NAMESPACE, story["group"]),
            headline=story["headline"],
            slug=slug,
            kicker=story.get("kicker", ""),
            lead=story["lead"],
            body=body_html(story),
            section=sections[story["section"]],
            lead_image=self.load_image(story),
            status=Article.Status.DRAFT if status == "draft" else Article.Status.PUBLISHED,
            # The demo journalist finds the drafts on their dashboard.
            created_by=self.staff["journalist"] if status == "draft" else None,
            published_at=None if status == "draft" else publication_time(story, self.now),
            breaking_until=self.now + timedelta(hours=6) if story.get("breaking") else None,
            comments_mode=Article.CommentsMode.PREMODERATED,
        )
        self.created += 1
        # A demo story has not been edited since it went out: no "Updated" line.
        Article.objects.filter(pk=article.pk).update(updated_at=article.published_at or self.now)
        article.tags.add(*story["tags"])
        self.tag_languages(article, story)
        for position, credit in enumerate(story["byline"]):
            Byline.objects.create(
                article=article,
                contributor=contributors[credit["contributor"]],
                role=credit["role"],
                position=position,
            )
        for minutes, correction in enumerate(story.get("corrections", []), start=1):
            Correction.objects.create(
                article=article,
                kind=correction["kind"],
                text=correction["text"],
                created_at=article.published_at + timedelta(hours=1, minutes=minutes),
            )
        if story.get("live_updates"):
            self.load_live_updates(article, story["live_updates"])
        return article

    def tag_languages(self, article, story):
        """The story's tags are in its language, unless a story of another language wrote
        the same name (then it is every language's, as "Baku Rapid Open" is). They
        translate the tags of the group's first story, place by place, where both lists
        are as long."""
        own = [Tag.objects.get(name=name) for name in story["tags"]]
        for tag in own:
            if self.tag_language.setdefault(tag.pk, article.language) != article.language:
                self.tag_language[tag.pk] = None
        TagLanguage.objects.filter(
            tag__in=[tag for tag in own if self.tag_language[tag.pk] is None]
        ).delete()
        TagLanguage.objects.claim(
            [tag for tag in own if self.tag_language[tag.pk]], article.language
        )
        language, first = self.group_tags.setdefault(story["group"], (article.language, own))
        if language != article.language and len(first) == len(own):
            for original, tag in zip(first, own, strict=True):
                if original != tag:
                    TagLanguage.objects.filter(tag=tag, language=article.language).update(
                        original=original
                    )

    def load_live_updates(self, article, updates):
        """Oldest first, so that the order of posting is the order of time."""
        rows = [
            LiveUpdate(
                article=article,
                author=self.staff["editor"],
                title=update.get("title", ""),
                body=f"<p>{escape(update['text'])}</p>",
                is_key_event=update.get("key_event", False),
                created_at=self.now - timedelta(minutes=update["minutes_ago"]),
            )
            for update in sorted(updates, key=lambda update: -update["minutes_ago"])
        ]
        LiveUpdate.objects.bulk_create(rows)
        Article.objects.filter(pk=article.pk).update(
            live_from=article.published_at, updated_at=rows[-1].created_at
        )
        self.created += len(rows)

    def load_pages(self, rows):
        """One page per language and kind, created only where there is none: a page an
        editor has written (or changed from the demo's) stays as it is."""
        for page in rows:
            self.get_or_create(
                Page,
                language=page["language"],
                kind=page["kind"],
                defaults={
                    "title": page["title"],
                    "summary": page["summary"],
                    "body": page_body_html(page),
                },
            )

    def load_related(self, story, stories):
        article = stories[story["key"]]
        if article.related_links.exists():
            return
        links = []
        for key in story.get("related", []):
            target = stories[key]
            kind = (
                RelatedLink.Kind.VIDEO
                if target.section.slug == "video"
                else RelatedLink.Kind.STORY
            )
            links.append(RelatedLink(article=article, target_article=target, kind=kind))
        for link in story.get("related_external", []):
            links.append(
                RelatedLink(
                    article=article, kind=link["kind"], title=link["title"], url=link["url"]
                )
            )
        for position, link in enumerate(links):
            link.position = position
        RelatedLink.objects.bulk_create(links)
        self.created += len(links)
