"""Stories: the ``Article`` model and the querysets every reader page and screen uses."""

import uuid

import reversion
from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q, Subquery, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_ckeditor_5.fields import CKEditor5Field
from taggit.managers import TaggableManager

from core.constraints import one_of

from ..cache_tags import StoryCacheTags
from ..cdn import purge_story_on_commit
from ..search_index import SearchVectorIndex, index_story
from ..text import clean_body, slug_from_headline, unique_slug
from . import visibility
from .images import Image, alt_text_errors
from .links import RelatedContent, RelatedContentQuerySet, RelatedLink
from .live import LiveCoverage
from .people import Byline
from .redirects import ArticleRedirect
from .sections import Section
from .visibility import published_q, scheduled_q, state_q
from .workflow import WORKFLOW_ACTIONS, ArticleStatus, StatusChange, WorkflowState

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]

# The breaking story rides along with the News Line query as scalar subqueries (evaluated
# once by the database), so the banner costs no query of its own on any page.
BREAKING_FIELDS = {
    "breaking_pk": "pk",
    "breaking_headline": "headline",
    "breaking_slug": "slug",
    "breaking_section": "section__slug",
}


class ArticleQuerySet(RelatedContentQuerySet):
    def published(self):
        """The one definition of what readers may see (``visibility.published_q``):
        published, and its time has come."""
        return self.filter(published_q())

    def scheduled(self, until=None):
        """Published with a time still to come: goes live on its own at ``published_at``.
        With ``until``, only those going live by then."""
        stories = self.filter(scheduled_q())
        return stories if until is None else stories.filter(published_at__lte=until)

    def in_state(self, state):
        """Stories in a workflow state as editors name it (``Article.State``)."""
        return self.filter(state_q(state))

    def visible_to(self, user):
        """What ``user`` may open at a story's public address. Those who may change or
        view stories preview any of them there (as djangoproject.com's blog lets its
        editors); everyone else, staff without those permissions included (a moderator,
        say), sees what readers see, and gets the reader's 404 for the rest."""
        if user.has_perm("articles.change_article") or user.has_perm("articles.view_article"):
            return self
        return self.published()

    def breaking(self):
        """Stories flagged breaking whose flag has not run out yet; it drops on its own."""
        return self.filter(breaking_until__gt=timezone.now())

    def in_language(self, language=None):
        return self.filter(language=language or get_language())

    def next_change_at(self):
        """When, with no save anywhere, what readers see next changes by itself: the next
        scheduled story goes live, a breaking flag runs out or a front-page slot ends (a
        minimum is the same over the join with the slots). Caches must not outlive it."""
        now = timezone.now()
        moments = self.aggregate(
            next_publication=models.Min("published_at", filter=scheduled_q()),
            next_breaking_end=models.Min("breaking_until", filter=Q(breaking_until__gt=now)),
            next_slot_end=models.Min(
                "front_slots__ends_at", filter=Q(front_slots__ends_at__gt=now)
            ),
        )
        return min(filter(None, moments.values()), default=None)

    def most_read(self, since, limit=5):
        """Ranked by anonymous views counted since ``since`` (see ``StoryViewCount``)."""
        return (
            self.filter(view_counts__hour__gte=since)
            .annotate(recent_views=models.Sum("view_counts__views"))
            .order_by("-recent_views", "-published_at")[:limit]
        )

    def translations_of(self, article):
        """The other language versions of ``article`` (same translation group)."""
        return self.filter(translation_group=article.translation_group).exclude(pk=article.pk)

    def for_listing(self):
        """What a list of story cards needs, newest first, in a fixed number of queries."""
        return self.select_related("section", "lead_image").order_by("-published_at", "-pk")

    def latest_per_section(self, size):
        """The newest ``size`` stories of every active section, section by section (in the
        sections' order), in one query whatever the number of sections: a row number per
        section, counted newest first."""
        return (
            self.filter(section__is_active=True)
            .annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=F("section_id"),
                    order_by=[F("published_at").desc(), F("pk").desc()],
                )
            )
            .filter(rank__lte=size)
            .order_by("section__position", "section__name", "rank")
        )

    def news_line(self, language):
        """The News Line: the latest stories readers may see in ``language``, newest first,
        with only the fields the ticker shows. Each row also carries the latest breaking
        story readers may see (``breaking_pk``, ``breaking_headline``, ``breaking_slug``,
        ``breaking_section``; ``None`` when there is none), so the banner costs no query."""
        visible = self.published().in_language(language).order_by("-published_at", "-pk")
        breaking = visible.breaking()
        return (
            visible.select_related("section")
            .only("headline", "slug", "language", "published_at", "breaking_until",
                  "section__slug")
            .annotate(**{alias: Subquery(breaking.values(field)[:1])
                         for alias, field in BREAKING_FIELDS.items()})
        )  # fmt: skip

    def for_story_page(self):
        """Everything the story page shows, whatever the number of tags, bylines or links."""
        return self.select_related("section", "lead_image").prefetch_related(
            "tags",
            models.Prefetch(
                "bylines",
                queryset=Byline.objects.select_related("contributor").order_by("position", "pk"),
            ),
            models.Prefetch(
                "related_links",
                queryset=RelatedLink.objects.visible().select_related("target_article__section"),
            ),
            "corrections",
        )


class StaleVersionError(Exception):
    """Someone else saved the story after this copy of it was read."""


class CommentsMode(models.TextChoices):
    OPEN = "open", _("Open: reviews appear at once unless held")
    PREMODERATED = "premoderated", _("Pre-moderated: every review waits for a moderator")
    CLOSED = "closed", _("Closed: no new reviews")


class Article(StoryCacheTags, LiveCoverage, RelatedContent, models.Model):
    Status = ArticleStatus
    State = WorkflowState
    CommentsMode = CommentsMode

    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="en"
    )
    translation_group = models.UUIDField(
        _("translation group"),
        default=uuid.uuid4,
        editable=False,
        help_text=_("Shared by the translations of one story."),
    )
    headline = models.CharField(_("headline"), max_length=255)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        blank=True,
        help_text=_("Part of the story's address. Left empty, it is made from the headline."),
    )
    kicker = models.CharField(
        _("kicker"), max_length=120, blank=True, help_text=_("A few words above the headline.")
    )
    lead = models.TextField(_("lead"), blank=True, help_text=_("One or two sentences."))
    body = CKEditor5Field(_("body"), blank=True, config_name="default")
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="articles", verbose_name=_("section")
    )
    tags = TaggableManager(_("tags"), blank=True)
    lead_image = models.ForeignKey(
        Image,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lead image"),
    )
    # The library pictures the body shows, read from it on every save (so revisions leave
    # them out): what keeps them in the library, and whose pages a picture's change touches.
    body_images = models.ManyToManyField(
        Image, blank=True, editable=False, related_name="+", verbose_name=_("body pictures")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("publication time"),
        null=True,
        blank=True,
        help_text=_("Readers see the story from this time on. A future time schedules it."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("created by"),
    )
    comments_mode = models.CharField(
        _("reviews"),
        max_length=12,
        choices=CommentsMode,
        default=CommentsMode.PREMODERATED,
    )
    breaking_until = models.DateTimeField(
        _("breaking until"),
        null=True,
        blank=True,
        help_text=_("The site shows a breaking-news banner for this story until this time."),
    )
    seo_title = models.CharField(_("SEO title"), max_length=120, blank=True)
    seo_description = models.CharField(_("SEO description"), max_length=300, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # Filled on PostgreSQL only; see articles/search_index.py for SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        permissions = [
            ("publish_article", _("Can publish, schedule and unpublish stories")),
            ("return_article", _("Can return stories in review to their authors")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["language", "slug"], name="article_slug_per_language"),
            # A story has at most one version per language; the switcher relies on it. Its
            # index also serves the lookups of a story's translations.
            models.UniqueConstraint(
                fields=["translation_group", "language"], name="article_one_per_language"
            ),
            one_of("language", LANGUAGE_CODES, "article_language_valid"),
            one_of("status", ArticleStatus.values, "article_status_valid"),
            one_of("comments_mode", CommentsMode.values, "article_comments_mode_valid"),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="article_published_has_time",
            ),
            models.CheckConstraint(condition=~Q(slug=""), name="article_slug_not_empty"),
        ]
        indexes = [
            models.Index(
                fields=["language", "status", "-published_at"], name="article_lang_published"
            ),
            models.Index(
                fields=["section", "language", "status", "-published_at"],
                name="article_section_published",
            ),
            models.Index(fields=["status", "-published_at"], name="article_dashboard_latest"),
            SearchVectorIndex(fields=["search_vector"], name="article_search_vector"),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        self.body = clean_body(self.body)
        self.fill_slug()
        with transaction.atomic():
            if not self._state.adding:
                self.claim_next_version()
            super().save(*args, **kwargs)
            self.body_images.set(Image.objects.in_body(self.body))
            if self.status == self.Status.PUBLISHED:
                ArticleRedirect.objects.remember(self)
            self.update_search_vector()
            if self.status in {self.Status.PUBLISHED, self.Status.UNPUBLISHED}:
                purge_story_on_commit(self)

    def get_absolute_url(self):
        with translation.override(self.language):
            return reverse(
                "articles:story", kwargs={"section": self.section.slug, "slug": self.slug}
            )

    def claim_next_version(self):
        """Optimistic locking: move the stored version from the one this copy was read at
        to the next, in one ``UPDATE ... WHERE version = N``. If another save got there
        first, nothing matches and this save is refused instead of overwriting theirs."""
        claimed = Article.objects.filter(pk=self.pk, version=self.version).update(
            version=F("version") + 1
        )
        if not claimed:
            raise StaleVersionError(self.pk)
        self.version += 1

    def clean(self):
        # Forms validate constraints before save(), so the slug must exist by then.
        self.fill_slug()
        self.check_language_free()
        if self.status == self.Status.PUBLISHED:
            self.check_publishable()

    def check_language_free(self):
        """Forms leave the translation group out (it is not editable), so they would not
        check its constraint: say it here, naming the version that has the language."""
        group = Article.objects.filter(translation_group=self.translation_group)
        taken = group.filter(language=self.language).exclude(pk=self.pk).first()
        if taken:
            raise ValidationError(
                {
                    "language": _(
                        "This story already has a version in that language: “%(headline)s”. "
                        "Edit that one instead."
                    )
                    % {"headline": taken.headline}
                }
            )

    def check_publishable(self):
        """What must be true before readers see the story (now or at a scheduled time):
        every picture it shows has alt text in its language (``images.alt_text_errors``)."""
        if errors := alt_text_errors(self.lead_image, self.body, self.language):
            raise ValidationError(errors)

    def fill_slug(self):
        """Make a slug from the headline if there is none, unique in the story's language."""
        if not self.slug:
            self.slug = unique_slug(
                slug_from_headline(self.headline),
                lambda s: (
                    Article.objects.filter(language=self.language, slug=s)
                    .exclude(pk=self.pk)
                    .exists()
                ),
            )

    def update_search_vector(self):
        """Rewrite the story's entry in the search index (see articles/search.py).

        Called by ``save()``, and again whenever the story's tags change: the admin saves
        tags after the story (``save_related``), and ``article.tags.add()`` never calls
        ``save()``, so a receiver on taggit's ``m2m_changed`` (in ``articles/search.py``) calls
        it too. The index
        is therefore right however a story or its tags are written, and a reader's search
        never writes anything.
        """
        index_story(self, list(self.tags.names()))

    @property
    def is_published(self):
        """Whether readers can see the story now (see ``visibility.published_q``)."""
        return visibility.is_published(self)

    @property
    def is_scheduled(self):
        return visibility.is_scheduled(self)

    @property
    def state(self):
        if self.is_scheduled:
            return self.State.SCHEDULED
        return self.State(self.status)

    def get_state_display(self):
        return self.state.label

    def is_editable_by(self, user):
        """Editors (who may publish) edit any story; a journalist only their own drafts,
        which includes stories returned to them."""
        if not user.has_perm("articles.change_article"):
            return False
        if user.has_perm("articles.publish_article"):
            return True
        return self.created_by_id == user.pk and self.status == self.Status.DRAFT

    def is_deletable_by(self, user):
        return user.has_perm("articles.delete_article") and self.is_editable_by(user)

    def record_state_change(self, *, user, before, note=""):
        return StatusChange.objects.create(
            article=self,
            user=user,
            from_state=before,
            to_state=self.state,
            note=note,
            published_at=self.published_at if self.status == self.Status.PUBLISHED else None,
        )

    def missing_languages(self):
        """The languages the story has no version in yet, in the settings' order."""
        taken = set(
            Article.objects.filter(translation_group=self.translation_group).values_list(
                "language", flat=True
            )
        )
        return [code for code in LANGUAGE_CODES if code not in taken]

    def allowed_actions(self, user):
        """The workflow actions ``user`` may take on the story as it stands."""
        return [action for action in WORKFLOW_ACTIONS.values() if action.allows(self, user)]

    @property
    def is_breaking(self):
        return self.breaking_until is not None and self.breaking_until > timezone.now()

    def byline_groups(self):
        """Bylines grouped by role, in order: [("Reported by", [Ann, Bob]), ...]."""
        groups = {}
        for byline in self.bylines.all():
            _phrase, contributors = groups.setdefault(byline.role, (byline.credit_phrase, []))
            contributors.append(byline.contributor)
        return list(groups.values())

    @property
    def was_updated(self):
        """Worth an "Updated" line: changed more than a few minutes after publication."""
        return bool(
            self.published_at
            and self.updated_at
            and (self.updated_at - self.published_at).total_seconds() > 300
        )


reversion.register(
    Article, follow=["bylines", "related_links", "corrections"], exclude=["body_images"]
)
