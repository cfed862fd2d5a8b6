"""Demo reviews for the demo newsroom: a real queue for a moderator to try.

Loaded by their own command, ``manage.py load_demo_reviews``, after ``load_demo``.
Idempotent: rows are looked up by story, email and text before they are created.

The content is ``demo/data/reviews.json`` (read by ``demo.content``): ``blocked_terms``
(term, language or "" for all, action), ``reviews`` per language (status, name, email,
text, held_reasons, and how many reader reports to add), put under each of the language's
two newest published *demo* stories, and ``newsroom_reply`` per language, the desk's answer
to the first review.

It never touches real content (issue 18): ``make run`` runs it on every start, so it adds
only to the stories ``load_demo`` made (found by their demo translation group), never to a
story an editor wrote, and never a review by an author a moderator has banned.
"""

from datetime import timedelta

from django.db import transaction

from articles.models import Article
from comments.models import Ban, BlockedTerm, Comment, Report
from core.cache import invalidate_everything

from . import content
from .stories import demo_translation_groups


@transaction.atomic
def load_demo_reviews():
    """Returns the number of reviews created (0 on a second run)."""
    data = content.read("reviews")
    created = 0
    for term in data["blocked_terms"]:
        BlockedTerm.objects.get_or_create(
            term=term["term"], language=term["language"], defaults={"action": term["action"]}
        )
    for language, reviews in data["reviews"].items():
        stories = list(
            Article.objects.published()
            .in_language(language)
            .filter(translation_group__in=demo_translation_groups())
            .order_by("-published_at")[:2]
        )
        for story in stories:
            first = None
            for minutes, row in enumerate(reviews):
                if Ban.objects.matching(email=row["email"], ip_hash="").exists():
                    continue
                review, new = Comment.objects.get_or_create(
                    article=story,
                    email=row["email"],
                    body=row["text"],
                    defaults={
                        "author_name": row["name"],
                        "status": row["status"],
                        "held_reasons": row["held_reasons"],
                        "created_at": story.published_at + timedelta(minutes=10 + minutes * 7),
                    },
                )
                created += new
                first = first or review
                for n in range(row["reports"] if new else 0):
                    Report.objects.create(
                        comment=review,
                        reason=Report.Reason.ABUSE if n else Report.Reason.OFF_TOPIC,
                        reporter_hash=f"demo-reader-{n}",
                    )
            if first is None:
                continue  # Every demo author is banned here: no review for the desk to answer.
            _, new = Comment.objects.get_or_create(
                article=story,
                parent=first,
                email="desk@newsroom.example",
                body=data["newsroom_reply"][language],
                defaults={
                    "author_name": "Newsroom desk",
                    "is_newsroom": True,
                    "status": Comment.Status.APPROVED,
                    "created_at": first.created_at + timedelta(minutes=30),
                },
            )
            created += new
    if created:
        invalidate_everything()
    return created
