"""Which reader pages a change to a story (or to its picture's renditions) shows up on,
for the CDN purge (``core.cdn``), and the purge planned for a scheduled story's time.

At that time the lists the story enters are invalidated by tag too (``core.cache``), for
edges purged by tag; the app's own cache needs no task for it (no entry outlives
``next_change_at``)."""

from django.apps import apps
from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from core.cache import invalidate_tags
from core.cdn import purge_on_commit, purge_paths
from core.tasks import enqueue_at, is_waiting

from .cache_tags import list_tags


def story_paths(article):
    """The reader pages a change to ``article`` shows up on, in its language."""
    section = article.section.slug
    with translation.override(article.language):
        return [
            article.get_absolute_url(),
            reverse("articles:home"),
            reverse("articles:news_line"),
            reverse("articles:section", kwargs={"section": section}),
            reverse("articles:feed"),
            reverse("articles:section_feed", kwargs={"section": section}),
        ]


def purge_story_on_commit(article):
    """Purge the story's pages now, and if it is scheduled, again when it goes live: no
    request happens at that moment, so a task is planned for it."""
    if settings.CDN_PURGE_URL:
        purge_on_commit(story_paths(article))
        if article.is_scheduled:
            plan_go_live_purge(article)


def purge_image_pages(image):
    """Purge the pages of the published stories that show ``image``: an edge cache
    may hold them with the placeholder (or the previous crops) shown before its renditions
    were made."""
    if settings.CDN_PURGE_URL:
        # By name: the models import this module (through articles.images).
        stories = apps.get_model("articles", "Article").objects.published()
        paths = {
            path
            for story in stories.filter(Q(lead_image=image) | Q(body_images=image))
            .distinct()
            .select_related("section")
            for path in story_paths(story)
        }
        purge_on_commit(sorted(paths))


def plan_go_live_purge(article):
    enqueue_at(
        article.published_at, purge_story_at_go_live, article.pk, article.published_at.isoformat()
    )


def plan_every_go_live_purge():
    """Plan the go-live purge of every scheduled story again (``manage.py plan_tasks``,
    after the queue was emptied); how many. A copy that was still waiting purges the same
    pages once more; one that waits with the same time is not planned twice."""
    if not settings.CDN_PURGE_URL:
        return 0
    stories = list(apps.get_model("articles", "Article").objects.scheduled().only("published_at"))
    for story in stories:
        if not is_waiting(purge_story_at_go_live, story.pk, story.published_at.isoformat()):
            plan_go_live_purge(story)
    return len(stories)


@task()
def purge_story_at_go_live(pk, planned):
    """At a scheduled story's time, purge the pages it now appears on. Idempotent, and
    re-planned by the story: a task whose time no longer matches the story's (moved,
    unscheduled, deleted) does nothing, the one planned for the new time does it."""
    # By name: the models import this module (Article.save plans the purge).
    story = apps.get_model("articles", "Article").objects.filter(pk=pk).first()
    if story is None or not story.is_published or story.published_at.isoformat() != planned:
        return "not planned any more"
    invalidate_tags(list_tags(story) | {f"story:{story.pk}"})
    purge_paths.enqueue(story_paths(story))
    return "purge enqueued"
