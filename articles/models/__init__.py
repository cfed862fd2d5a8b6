"""The articles app's models, one module per concern, all re-exported here so that
``from articles.models import Article`` works wherever it is written.

The submodules import one another in one direction only, lowest first (as Wagtail's
``wagtail/models/__init__.py`` asks of its own):

* ``workflow``: statuses, workflow states and steps, the status history. Imports no
  sibling (``StatusChange`` names ``Article`` by string).
* ``visibility``: what readers may see, as ``Q`` builders (``published_q()``) and their
  Python twins. Imports ``workflow`` only.
* ``redirects``, ``links``, ``metrics``, ``autosaves``: models that point at stories and
  sections by string, so they need nothing above ``visibility``.
* ``images``; ``people`` (contributors, bylines) imports ``images``; ``sections`` imports
  ``redirects`` (a renamed section records its old slug) and ``pages`` (their
  addresses are not section slugs).
* ``notifications`` (workflow steps told to the people they concern) names ``Article`` by
  string and imports no sibling.
* ``previews`` (shared preview links) imports ``visibility`` and ``workflow``.
* ``frontpage`` (the slots editors arrange, and their record) imports ``visibility``
  and names ``Article`` by string.
* ``tags`` (tags' languages and translations) imports no sibling.
* ``live`` (the coverage window ``Article`` inherits, updates and their record) names
  ``Article`` by string and imports no sibling.
* ``pages`` (the publication's own pages: About, Privacy...) imports no sibling.
* ``stories``: ``Article`` and its queryset, built on all of the above.
* ``corrections``: imports ``stories`` (a correction moves its story's "Updated" time).

Nothing here imports ``articles.search``, ``articles.services`` or the admin: those sit
above the models. The search index's writing half (``articles.search_index``) imports no
model, so ``stories`` may use it; its signal receivers live in ``articles.search``.
A new module goes where its imports put it; an import the other way means a model is in
the wrong module (or should name its relation by string).
"""

from .autosaves import AUTOSAVE_MAX_AGE, StoryAutosave, story_key
from .corrections import Correction, CorrectionKind
from .frontpage import FrontPageChange, FrontPageSlot, FrontPageSlotQuerySet
from .images import Image
from .links import RelatedLink, RelatedLinkKind, RelatedLinkQuerySet, SuggestedStory
from .live import LiveCoverage, LiveUpdate, LiveUpdateChange, LiveUpdateQuerySet
from .metrics import StoryViewCount, StoryViewDay, newsroom_day
from .notifications import Notification, NotificationKind, NotificationPreference
from .pages import Page, PageKind
from .people import Byline, BylineRole, Contributor
from .previews import PreviewLink, PreviewLinkQuerySet
from .redirects import ArticleRedirect, ArticleRedirectQuerySet, SectionRedirect
from .sections import (
    RESERVED_SECTION_SLUGS,
    Section,
    SectionQuerySet,
    validate_section_slug,
)
from .stories import (
    BREAKING_FIELDS,
    LANGUAGE_CODES,
    Article,
    ArticleQuerySet,
    CommentsMode,
    StaleVersionError,
)
from .tags import TagLanguage
from .visibility import published_q, released_q, scheduled_q, state_q
from .workflow import (
    WORKFLOW_ACTIONS,
    ArticleStatus,
    StatusChange,
    WorkflowAction,
    WorkflowState,
    returned_q,
)

__all__ = [
    "AUTOSAVE_MAX_AGE",
    "BREAKING_FIELDS",
    "LANGUAGE_CODES",
    "RESERVED_SECTION_SLUGS",
    "WORKFLOW_ACTIONS",
    "Article",
    "ArticleQuerySet",
    "ArticleRedirect",
    "ArticleRedirectQuerySet",
    "ArticleStatus",
    "Byline",
    "BylineRole",
    "CommentsMode",
    "Contributor",
    "Correction",
    "CorrectionKind",
    "FrontPageChange",
    "FrontPageSlot",
    "FrontPageSlotQuerySet",
    "Image",
    "LiveCoverage",
    "LiveUpdate",
    "LiveUpdateChange",
    "LiveUpdateQuerySet",
    "Notification",
    "NotificationKind",
    "NotificationPreference",
    "Page",
    "PageKind",
    "PreviewLink",
    "PreviewLinkQuerySet",
    "RelatedLink",
    "RelatedLinkKind",
    "RelatedLinkQuerySet",
    "Section",
    "SectionQuerySet",
    "SectionRedirect",
    "StaleVersionError",
    "StatusChange",
    "StoryAutosave",
    "StoryViewCount",
    "StoryViewDay",
    "SuggestedStory",
    "TagLanguage",
    "WorkflowAction",
    "WorkflowState",
    "newsroom_day",
    "published_q",
    "released_q",
    "returned_q",
    "scheduled_q",
    "state_q",
    "story_key",
    "validate_section_slug",
]
