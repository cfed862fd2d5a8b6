"""What a story shows up on, as cache tags (``core.cache``; issue 19).

A story's own tag (``story:<id>``) is on every page and fragment that loaded it: its
page, the cards of the lists showing it, the News Line. Changing its text reaches those
alone. Entering or leaving the lists (published, unpublished, rescheduled, moved to
another section, made breaking) reaches the lists it enters or leaves as well: the
language's home, News Line and feeds, its section, tags and authors, the sitemaps.
"""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import get_language

from core.cache import CacheTagged, invalidate_tags, record_tags

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


# The writes that reach a story's pages without its ``save()``: tags added or removed
# (``article.tags.add()``, the admin's ``save_related``), a byline or a related link
# written on its own, a tag renamed.


def tags_changed(sender, instance, action, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "pre_clear"}:
        return
    if not isinstance(instance, apps.get_model("articles", "Article")):
        return
    if action == "pre_clear":  # The set is gone by post_clear.
        pk_set = set(instance.tags.values_list("pk", flat=True))
    invalidate_tags({f"story:{instance.pk}", *(f"tag:{pk}" for pk in pk_set or ())})


def byline_or_link_changed(sender, instance, **kwargs):
    tags = {f"story:{instance.article_id}"}
    if contributor := getattr(instance, "contributor_id", None):
        tags.add(f"author:{contributor}")
    invalidate_tags(tags)


def tag_renamed(sender, instance, created, **kwargs):
    if not created:
        stories = apps.get_model("articles", "Article").objects.filter(tags=instance)
        pks = stories.values_list("pk", flat=True)
        invalidate_tags({f"tag:{instance.pk}", *(f"story:{pk}" for pk in pks)})


def register_signal_handlers():
    """Connect the receivers (from ``ArticlesConfig.ready()``; the uids make it idempotent).
    The models come from the app registry: the models import this module."""
    tag, tagged_item = apps.get_model("taggit", "Tag"), apps.get_model("taggit", "TaggedItem")
    m2m_changed.connect(tags_changed, sender=tagged_item, dispatch_uid="articles_cache_tags")
    post_save.connect(tag_renamed, sender=tag, dispatch_uid="articles_cache_tag_renamed")
    for name in ("Byline", "RelatedLink"):
        for signal in (post_save, post_delete):
            signal.connect(
                byline_or_link_changed,
                sender=apps.get_model("articles", name),
                dispatch_uid=f"articles_cache_{name}",
            )
