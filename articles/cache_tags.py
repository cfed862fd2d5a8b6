"""What a story shows up on, as cache tags (``core.cache``; issue 19).

A story's own tag (``story:<id>``) is on every page and fragment that loaded it: its
page, the cards of the lists showing it, the News Line. Changing its text reaches those
alone. Entering or leaving the lists (published, unpublished, rescheduled, moved to
another section, made breaking) reaches the lists it enters or leaves as well: the
language's home, News Line and feeds, its section, tags and authors, the sitemaps.
"""

from django.utils.translation import get_language

from core.cache import CacheTagged, record_tags

# The fields that decide which lists a story is on and where.
LISTED_BY = ("status", "published_at", "section_id", "language", "breaking_until")


def list_tags(story, before=None):
    """The tags of every list ``story`` appears on (or did, as ``before`` it changed)."""
    before = before or {}
    language = story.language
    tags = {
        f"front:{language}",
        f"newsline:{language}",
        f"feeds:{language}",
        "sitemaps",
        "schedule",
        *(f"section:{pk}" for pk in {story.section_id, before.get("section_id")} if pk),
    }
    if story.pk is not None:
        tags.update(f"tag:{pk}" for pk in story.tags.values_list("pk", flat=True))
        tags.update(
            f"author:{pk}" for pk in story.bylines.values_list("contributor_id", flat=True)
        )
    if story.breaking_until is not None or before.get("breaking_until") is not None:
        tags.add("breaking")
    return tags


def lists(subject=None):
    """Record that the response being built lists the stories of ``subject`` (a section,
    tag or contributor; the language's latest stories for None)."""
    kind = {"Section": "section", "Tag": "tag", "Contributor": "author"}
    if subject is None:
        record_tags(f"front:{get_language()}")
    else:
        record_tags(f"{kind[type(subject).__name__]}:{subject.pk}")


class StoryCacheTags(CacheTagged):
    def shown_tags(self):
        return (f"story:{self.pk}",)

    @classmethod
    def from_db(cls, db, field_names, values):
        story = super().from_db(db, field_names, values)
        story._listed_as = {
            name: getattr(story, name) for name in LISTED_BY if name in story.__dict__
        }
        return story

    def changed_tags(self):
        before = getattr(self, "_listed_as", None)
        tags = {f"story:{self.pk}"}
        if before is None or any(getattr(self, name) != old for name, old in before.items()):
            tags |= list_tags(self, before)
        return tags

    def delete(self, *args, **kwargs):
        self._listed_as = None  # Gone from every list it was on.
        return super().delete(*args, **kwargs)

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self._listed_as = {name: getattr(self, name) for name in LISTED_BY}
