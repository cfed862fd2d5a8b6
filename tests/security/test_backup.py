"""Export and import: the demo newsroom survives a round trip into an empty database."""

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection

from articles.models import Article, Image
from comments.models import Comment, ModerationDecision

pytestmark = pytest.mark.django_db


def content_counts():
    """Rows of every model we own or depend on for content."""
    labels = ["articles", "comments", "newsroom", "taggit", "reversion", "auth"]
    return {
        model._meta.label: model._default_manager.count()
        for label in labels
        for model in apps.get_app_config(label).get_models()
        if model._meta.label != "auth.Permission"
    }


def test_demo_newsroom_round_trips_through_export_and_import(tmp_path):
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo_reviews", stdout=StringIO())
    before = content_counts()
    seed = Article.objects.get(headline__startswith="Restoring hope")
    seed_fields = (seed.slug, seed.body, seed.section.slug, seed.published_at, seed.version)
    seed_tags = sorted(seed.tags.names())
    seed_bylines = list(seed.bylines.values_list("contributor__slug", "role", "position"))
    review = Comment.objects.filter(held_reasons__len__gt=0).first() or Comment.objects.first()
    review_fields = (review.body, review.email, review.status, review.ip_hash, review.held_reasons)
    image = Image.objects.exclude(file="").first()
    image_bytes = Path(settings.MEDIA_ROOT, image.file.name).read_bytes()
    groups = {g.name: sorted(g.permissions.values_list("codename", flat=True))
              for g in apps.get_model("auth.Group").objects.all()}  # fmt: skip

    call_command("export_newsroom", str(tmp_path / "export"), stdout=StringIO())
    if connection.vendor == "postgresql":
        # The test runs in a transaction; PostgreSQL refuses to TRUNCATE tables with
        # deferred foreign-key checks still pending in it.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", "--no-input", verbosity=0)
    if connection.vendor == "postgresql":
        # Back to how a real import's own transaction starts: foreign keys checked at
        # commit, so the export's order of models (stories after their links) is no matter.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    shutil.rmtree(settings.MEDIA_ROOT)
    assert Article.objects.count() == 0 and get_user_model().objects.count() == 0

    call_command("import_newsroom", str(tmp_path / "export"), stdout=StringIO())

    assert content_counts() == before
    seed = Article.objects.get(headline__startswith="Restoring hope")
    assert (seed.slug, seed.body, seed.section.slug, seed.published_at, seed.version) == (
        seed_fields
    )
    assert sorted(seed.tags.names()) == seed_tags
    assert list(seed.bylines.values_list("contributor__slug", "role", "position")) == seed_bylines
    review.refresh_from_db()
    assert (review.body, review.email, review.status, review.ip_hash, review.held_reasons) == (
        review_fields
    )
    assert Path(settings.MEDIA_ROOT, image.file.name).read_bytes() == image_bytes
    assert ModerationDecision.objects.count() == before["comments.ModerationDecision"]
    assert {g.name: sorted(g.permissions.values_list("codename", flat=True))
            for g in apps.get_model("auth.Group").objects.all()} == groups  # fmt: skip
