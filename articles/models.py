import uuid

import reversion
from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Greatest
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_ckeditor_5.fields import CKEditor5Field
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItem

from core.cache import BumpsContentVersion
from core.constraints import one_of

from . import search
from .cdn import purge_story_on_commit
from .images import generate_renditions
from .text import clean_body, slug_from_headline, unique_slug

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
# First path segments that belong to other pages (see articles/urls.py).
RESERVED_SECTION_SLUGS = {
    "news-line", "tags", "authors", "search", "feed", "beacon", "reviews", "preview",
}  # fmt: skip


def validate_section_slug(value):
    if value in RESERVED_SECTION_SLUGS:
        raise ValidationError(
            _("“%(slug)s” is the address of another page; choose another slug."),
            params={"slug": value},
            code="reserved",
        )


class SectionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Section(BumpsContentVersion, models.Model):
    name = models.CharField(_("name (English)"), max_length=80)
    name_ru = models.CharField(_("name (Russian)"), max_length=80, blank=True)
    name_az = models.CharField(_("name (Azerbaijani)"), max_length=80, blank=True)
    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        validators=[validate_section_slug],
        help_text=_(
            "Part of the section's and its stories' addresses. If you change it, the old "
            "addresses keep working: they redirect to the new ones."
        ),
    )
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Sections are listed in this order, lowest first.")
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Only active sections appear in the navigation.")
    )

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        stored = Section.objects.filter(pk=self.pk).values_list("slug", flat=True).first()
        with transaction.atomic():
            super().save(*args, **kwargs)
            # A slug in use is nobody's old address (a rename back, or a new section).
            SectionRedirect.objects.filter(old_slug=self.slug).delete()
            if stored and stored != self.slug:
                SectionRedirect.objects.update_or_create(
                    old_slug=stored, defaults={"section": self}
                )

    def get_absolute_url(self):
        return reverse("articles:section", kwargs={"section": self.slug})

    @property
    def display_name(self):
        """The name in the active language, falling back to English."""
        return getattr(self, f"name_{get_language()}", "") or self.name


class SectionRedirect(models.Model):
    """A slug a section had before it was renamed: addresses under it answer with a
    permanent redirect to the same page under the section's slug now
    (``articles.views.follow_renamed_section``)."""

    old_slug = models.SlugField(_("old slug"), max_length=80, unique=True)
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="old_slugs", verbose_name=_("section")
    )

    class Meta:
        verbose_name = _("old section address")
        verbose_name_plural = _("old section addresses")

    def __str__(self):
        return self.old_slug


class Image(BumpsContentVersion, models.Model):
    file = models.ImageField(
        _("file"), upload_to="images/%Y/%m/", width_field="width", height_field="height"
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    alt_text = models.CharField(
        _("alt text (English)"),
        max_length=250,
        blank=True,
        help_text=_(
            "What the picture shows, for readers who cannot see it. Required before a "
            "story using it as its lead image can be published."
        ),
    )
    alt_text_ru = models.CharField(_("alt text (Russian)"), max_length=250, blank=True)
    alt_text_az = models.CharField(_("alt text (Azerbaijani)"), max_length=250, blank=True)
    caption = models.CharField(_("caption"), max_length=400, blank=True)
    credit = models.CharField(_("credit"), max_length=200, blank=True)
    focal_x = models.FloatField(
        _("focal point x"), default=0.5, help_text=_("0 is the left edge, 1 the right edge.")
    )
    focal_y = models.FloatField(
        _("focal point y"), default=0.5, help_text=_("0 is the top edge, 1 the bottom edge.")
    )
    width = models.PositiveIntegerField(_("width"), editable=False, default=0)
    height = models.PositiveIntegerField(_("height"), editable=False, default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("image")
        verbose_name_plural = _("images")
        constraints = [
            models.CheckConstraint(
                condition=Q(focal_x__gte=0, focal_x__lte=1, focal_y__gte=0, focal_y__lte=1),
                name="image_focal_point_in_frame",
            ),
        ]

    def __str__(self):
        return self.title or self.file.name

    def save(self, *args, **kwargs):
        # Django's width_field/height_field miss files saved with FieldFile.save(save=False).
        if self.file and (not self.file._committed or not (self.width and self.height)):
            self.width, self.height = self.file.width, self.file.height
        super().save(*args, **kwargs)
        # Renditions are written now, so no reader request ever has to make one.
        generate_renditions(self)

    def alt_for(self, language):
        """Alt text in a story's language; English is the fallback for the admin's eyes
        only: a story cannot be published without alt text in its own language."""
        if language == "en":
            return self.alt_text
        return getattr(self, f"alt_text_{language}", "")


class Contributor(BumpsContentVersion, models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    bio = models.TextField(_("biography"), blank=True)
    photo = models.ForeignKey(
        Image, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("photo")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("staff account"),
        help_text=_("Links the contributor to a login, so their own stories can be found."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("contributor")
        verbose_name_plural = _("contributors")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:author", kwargs={"slug": self.slug})


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """The one definition of what readers may see: published, and its time has come.

        A story scheduled for later is simply published with a future ``published_at``;
        it goes live on its own, with no job to run.
        """
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def scheduled(self):
        """Published with a time still to come: goes live on its own at ``published_at``."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())

    def breaking(self):
        """Stories flagged breaking whose flag has not run out yet; it drops on its own."""
        return self.filter(breaking_until__gt=timezone.now())

    def in_language(self, language=None):
        return self.filter(language=language or get_language())

    def next_change_at(self):
        """When, with no save anywhere, what readers see next changes by itself: the next
        scheduled story goes live or a breaking flag runs out. Caches must not outlive it."""
        now = timezone.now()
        moments = self.aggregate(
            next_publication=models.Min(
                "published_at", filter=Q(status=Article.Status.PUBLISHED, published_at__gt=now)
            ),
            next_breaking_end=models.Min("breaking_until", filter=Q(breaking_until__gt=now)),
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


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("In review")
    PUBLISHED = "published", _("Published")
    UNPUBLISHED = "unpublished", _("Unpublished")


class WorkflowState(models.TextChoices):
    """Where a story stands, as editors say it: a status, plus "scheduled" for a
    published story whose time has not come yet."""

    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("In review")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")
    UNPUBLISHED = "unpublished", _("Unpublished")


class StaleVersionError(Exception):
    """Someone else saved the story after this copy of it was read."""


class CommentsMode(models.TextChoices):
    OPEN = "open", _("Open: reviews appear at once unless held")
    PREMODERATED = "premoderated", _("Pre-moderated: every review waits for a moderator")
    CLOSED = "closed", _("Closed: no new reviews")


class Article(BumpsContentVersion, models.Model):
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
        choices=CommentsMode.choices,
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
    # Filled on PostgreSQL only; see articles/search.py for SQLite.
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
            search.SearchVectorIndex(fields=["search_vector"], name="article_search_vector"),
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
        """What must be true before readers see the story (now or at a scheduled time)."""
        if self.lead_image and not self.lead_image.alt_for(self.language):
            raise ValidationError(
                {
                    "lead_image": _(
                        "The lead image has no alt text in this story's language. Add it in "
                        "the image library before publishing."
                    )
                }
            )

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
        ``save()``, so a receiver on taggit's ``m2m_changed`` (below) calls it too. The index
        is therefore right however a story or its tags are written, and a reader's search
        never writes anything.
        """
        search.index_story(self, list(self.tags.names()))

    @property
    def is_published(self):
        """Whether readers can see the story now (see ``ArticleQuerySet.published``)."""
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

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


class WorkflowAction:
    """One editorial step: which states it starts from, where it leads, who may take it."""

    def __init__(self, name, label, sources, target, permission=None, author_may=False):
        self.name, self.label, self.sources, self.target = name, label, sources, target
        self.permission, self.author_may = permission, author_may

    def allows(self, article, user):
        if article.state not in self.sources:
            return False
        if self.permission and user.has_perm(self.permission):
            return True
        return self.author_may and article.is_editable_by(user)


_S = WorkflowState
WORKFLOW_ACTIONS = {
    action.name: action
    for action in [
        WorkflowAction("submit", _("Submit for review"), {_S.DRAFT}, _S.REVIEW,
                       "articles.publish_article", author_may=True),
        WorkflowAction("return", _("Return to author"), {_S.REVIEW}, _S.DRAFT,
                       "articles.return_article"),
        WorkflowAction("publish", _("Publish now"),
                       {_S.DRAFT, _S.REVIEW, _S.SCHEDULED, _S.UNPUBLISHED}, _S.PUBLISHED,
                       "articles.publish_article"),
        WorkflowAction("schedule", _("Schedule"),
                       {_S.DRAFT, _S.REVIEW, _S.SCHEDULED, _S.UNPUBLISHED}, _S.SCHEDULED,
                       "articles.publish_article"),
        WorkflowAction("unpublish", _("Unpublish"), {_S.PUBLISHED, _S.SCHEDULED},
                       _S.UNPUBLISHED, "articles.publish_article"),
    ]
}  # fmt: skip


@transaction.atomic
def article_transition(*, article, user, action, note="", published_at=None):
    """Take a workflow step on a story, as ``user``, and record it in its history.

    The permission check lives here, not only in the admin: whatever sends the request,
    a journalist cannot publish. Returns the saved story.
    """
    step = WORKFLOW_ACTIONS[action]
    article = Article.objects.select_for_update().get(pk=article.pk)
    if not step.allows(article, user):
        raise PermissionDenied(
            _("You may not %(action)s this story.") % {"action": str(step.label).lower()}
        )
    now = timezone.now()
    before = article.state
    if step.target in {WorkflowState.SCHEDULED, WorkflowState.PUBLISHED}:
        article.check_publishable()
    if step.target == WorkflowState.SCHEDULED:
        if published_at is None or published_at <= now:
            raise ValidationError(_("Choose a publication time in the future to schedule."))
        article.status, article.published_at = Article.Status.PUBLISHED, published_at
    elif step.target == WorkflowState.PUBLISHED:
        article.status = Article.Status.PUBLISHED
        if article.published_at is None or article.published_at > now:
            article.published_at = now
    else:
        article.status = Article.Status(step.target)
    with reversion.create_revision():
        article.save()
        reversion.set_user(user)
        reversion.set_comment(f"{before.label} → {article.state.label}")
    article.record_state_change(user=user, before=before, note=note)
    return article


class StatusChange(models.Model):
    """One step in a story's workflow: who moved it, when, from where to where, and why."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="status_changes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    from_state = models.CharField(_("from"), max_length=12, choices=WorkflowState.choices)
    to_state = models.CharField(_("to"), max_length=12, choices=WorkflowState.choices)
    note = models.TextField(_("note"), blank=True)
    published_at = models.DateTimeField(_("publication time"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status history")
        constraints = [
            models.CheckConstraint(
                condition=Q(from_state__in=WorkflowState.values)
                & Q(to_state__in=WorkflowState.values),
                name="statuschange_states_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_from_state_display()} → {self.get_to_state_display()}"


class ArticleRedirectQuerySet(models.QuerySet):
    def remember(self, article):
        """Record the address a published story has now, so it keeps working later."""
        self.update_or_create(
            language=article.language,
            section_slug=article.section.slug,
            slug=article.slug,
            defaults={"article": article},
        )

    def moved_story(self, language, section_slug, slug):
        """The published story that once lived at this address, if any."""
        found = (
            self.filter(language=language, section_slug=section_slug, slug=slug)
            .filter(article__in=Article.objects.published())
            .select_related("article__section")
            .first()
        )
        return found.article if found else None


class ArticleRedirect(models.Model):
    """An address a story had while published. After a slug or section change the old
    address answers with a permanent redirect to the current one."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="old_urls")
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    section_slug = models.SlugField(_("section slug"), max_length=80)
    slug = models.SlugField(_("slug"), max_length=100)

    objects = ArticleRedirectQuerySet.as_manager()

    class Meta:
        verbose_name = _("old address")
        verbose_name_plural = _("old addresses")
        constraints = [
            models.UniqueConstraint(
                fields=["language", "section_slug", "slug"], name="articleredirect_unique_url"
            ),
        ]

    def __str__(self):
        return f"/{self.language}/{self.section_slug}/{self.slug}/"


@receiver(m2m_changed, sender=TaggedItem, dispatch_uid="articles_reindex_on_tags")
def reindex_on_tag_change(sender, instance, action, pk_set, **kwargs):
    changed = action == "post_clear" or (action in {"post_add", "post_remove"} and pk_set)
    if changed and isinstance(instance, Article):
        instance.update_search_vector()


@receiver(post_save, sender=Tag, dispatch_uid="articles_reindex_on_tag_rename")
def reindex_on_tag_rename(sender, instance, created, **kwargs):
    if not created:
        for article in Article.objects.filter(tags=instance):
            article.update_search_vector()


@receiver(post_delete, sender=Article, dispatch_uid="articles_forget_deleted")
def forget_deleted_story(sender, instance, using, **kwargs):
    search.forget_story(instance.pk, using=using)


class BylineRole(models.TextChoices):
    REPORTER = "reporter", _("Reporter")
    EDITOR = "editor", _("Editor")
    TRANSLATOR = "translator", _("Translator")
    PHOTOGRAPHER = "photographer", _("Photographer")
    VIDEO_PRODUCER = "video", _("Video producer")


class Byline(models.Model):
    Role = BylineRole

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    contributor = models.ForeignKey(
        Contributor,
        on_delete=models.PROTECT,
        related_name="bylines",
        verbose_name=_("contributor"),
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.REPORTER)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("byline")
        verbose_name_plural = _("bylines")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "contributor", "role"], name="byline_unique_role"
            ),
            one_of("role", BylineRole.values, "byline_role_valid"),
        ]

    def __str__(self):
        return f"{self.contributor} ({self.get_role_display()})"

    @property
    def credit_phrase(self):
        """How the role reads before a name on the story page: "Reported by"."""
        return {
            self.Role.REPORTER: _("Reported by"),
            self.Role.EDITOR: _("Edited by"),
            self.Role.TRANSLATOR: _("Translated by"),
            self.Role.PHOTOGRAPHER: _("Photographs by"),
            self.Role.VIDEO_PRODUCER: _("Video by"),
        }[self.role]


class RelatedLinkQuerySet(models.QuerySet):
    def visible(self):
        """External links, and links to stories readers may see (in any language)."""
        return self.filter(
            Q(target_article__isnull=True) | Q(target_article__in=Article.objects.published())
        )


class RelatedLinkKind(models.TextChoices):
    STORY = "story", _("Story")
    VIDEO = "video", _("Video")
    PROGRAMME = "programme", _("Programme")
    INTERVIEW = "interview", _("Interview")
    EXTERNAL = "external", _("External")


class RelatedLink(models.Model):
    Kind = RelatedLinkKind

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_links")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.STORY)
    target_article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="inbound_links",
        verbose_name=_("story"),
        help_text=_("A story of ours, in any language..."),
    )
    url = models.URLField(_("external address"), blank=True, help_text=_("...or another site."))
    title = models.CharField(
        _("title"),
        max_length=255,
        blank=True,
        help_text=_("Shown to readers. Left empty, the story's headline is used."),
    )

    objects = RelatedLinkQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("related link")
        verbose_name_plural = _("related content")
        constraints = [
            models.CheckConstraint(
                condition=(Q(target_article__isnull=False) & Q(url=""))
                | (Q(target_article__isnull=True) & ~Q(url="")),
                name="relatedlink_story_or_url",
                violation_error_message=_("Link either to one of our stories or to an address."),
            ),
            one_of("kind", RelatedLinkKind.values, "relatedlink_kind_valid"),
        ]

    def __str__(self):
        return self.display_title

    @property
    def href(self):
        return self.target_article.get_absolute_url() if self.target_article_id else self.url

    @property
    def display_title(self):
        if self.title:
            return self.title
        return self.target_article.headline if self.target_article_id else self.url

    @property
    def is_external(self):
        return not self.target_article_id

    @property
    def target_language(self):
        """The target story's language, when it differs from the story linking to it."""
        if self.target_article_id and self.target_article.language != self.article.language:
            return self.target_article.language
        return None


class CorrectionKind(models.TextChoices):
    CORRECTION = "correction", _("Correction")
    CLARIFICATION = "clarification", _("Clarification")
    UPDATE = "update", _("Update")


class Correction(BumpsContentVersion, models.Model):
    Kind = CorrectionKind

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(
        _("kind"), max_length=14, choices=Kind.choices, default=Kind.CORRECTION
    )
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        constraints = [
            one_of("kind", CorrectionKind.values, "correction_kind_valid"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60]}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.refuse_if_published()
        super().save(*args, **kwargs)
        # A note is an update readers should see: it moves the story's "Updated" time on to
        # the note's own time (never backwards).
        Article.objects.filter(pk=self.article_id).update(
            updated_at=Greatest(F("updated_at"), Value(self.created_at))
        )

    def delete(self, *args, **kwargs):
        self.refuse_if_published()
        return super().delete(*args, **kwargs)

    @property
    def is_locked(self):
        """Once the story is out, its corrections are part of the public record."""
        return (
            self.pk is not None
            and Article.objects.filter(
                pk=self.article_id, status=Article.Status.PUBLISHED
            ).exists()
        )

    def refuse_if_published(self):
        if self.is_locked:
            raise PermissionDenied(
                _("Corrections on a published story cannot be changed or deleted.")
            )


reversion.register(Byline)
reversion.register(RelatedLink)
reversion.register(Correction)
reversion.register(Article, follow=["bylines", "related_links", "corrections"])


class StoryViewCount(models.Model):
    """Anonymous reads of a story in one hour: an aggregate, never a record of a reader.

    Filled by the story page's beacon (``articles.views.beacon``), not by the page request,
    so cached pages are counted and reading a story writes nothing.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="view_counts")
    hour = models.DateTimeField(_("hour"))
    views = models.PositiveIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("story views in an hour")
        verbose_name_plural = _("story views")
        constraints = [
            models.UniqueConstraint(fields=["article", "hour"], name="storyviews_one_row_per_hour")
        ]
        indexes = [models.Index(fields=["hour", "article"], name="storyviews_recent")]

    def __str__(self):
        return f"{self.article_id} @ {self.hour:%Y-%m-%d %H:00}: {self.views}"

    @classmethod
    def count(cls, article_id, when):
        """Add one view to the article's row for the hour of ``when``, race-safely."""
        hour = when.replace(minute=0, second=0, microsecond=0)
        rows = cls.objects.filter(article_id=article_id, hour=hour)
        if rows.update(views=models.F("views") + 1):
            return
        try:
            with transaction.atomic():
                cls.objects.create(article_id=article_id, hour=hour, views=1)
        except IntegrityError:  # Another request created the row first.
            rows.update(views=models.F("views") + 1)
