"""Demo reviews for the demo newsroom: a real queue for a moderator to try.

Kept in ``comments`` (``articles`` never imports this app) and loaded by its own command,
``manage.py load_demo_reviews``, after ``load_demo``. Idempotent: rows are looked up by
story, email and text before they are created.
"""

from datetime import timedelta

from django.db import transaction

from articles.models import Article
from core.cache import bump_content_version

from .models import BlockedTerm, Comment, Report

A, P, R, S = "approved", "pending", "rejected", "spam"

# language: [(status, name, email, text, held reasons, reports)]
REVIEWS = {
    "en": [
        (A, "Sarah Whitfield", "sarah@example.com",
         "Clear reporting. I'd like to know more about the funding behind this.", [], 0),
        (A, "Tom Becker", "tom@example.com",
         "Good to see the numbers.\nThe second chart answers my question from last week.",
         [], 2),
        (P, "Ann Lee", "ann@example.com", "Is there a source for the figures in paragraph two?",
         ["pre-moderated story"], 0),
        (P, "Mark D.", "mark@example.com", "Full document here: www.example.org/report.pdf",
         ["link from a commenter without approved reviews"], 0),
        (S, "Cheap Pills", "pills@spam.example", "Best prices!!! visit cheap-pills.example.com",
         ["link from a commenter without approved reviews"], 0),
    ],
    "ru": [
        (A, "Ирина Павлова", "irina@example.com",
         "Спасибо за подробный материал. Ждём продолжения.", [], 0),
        (A, "Олег Смирнов", "oleg@example.com", "Интересно, что скажут эксперты через год.",
         [], 2),
        (P, "Гость", "guest@example.com", "А где можно прочитать полный текст заявления?",
         ["pre-moderated story"], 0),
        (S, "Заработок", "money@spam.example", "Заработок от 1000$ в день без вложений!!!",
         ["blocked term (Hold for a moderator): “заработок”"], 0),
    ],
    "az": [
        (A, "Leyla Əliyeva", "leyla@example.com",
         "Çox maraqlı yazıdır. Təşəkkür edirik!", [], 0),
        (A, "Elçin Quliyev", "elcin@example.com",
         "Bu barədə daha ətraflı məlumat olacaqmı?", [], 1),
        (P, "Qonaq", "qonaq@example.com", "Rəqəmlərin mənbəyi haradandır?",
         ["pre-moderated story"], 0),
        (R, "Anonim", "anon@example.com", "Bu, tamamilə cəfəngiyatdır!",
         ["blocked term (Reject): “cəfəngiyat”"], 0),
    ],
}  # fmt: skip

NEWSROOM_REPLY = {
    "en": "Thank you. The funding is set out in the regional budget; we will follow up.",
    "ru": "Спасибо! Мы продолжим следить за темой.",
    "az": "Təşəkkür edirik! Mövzunu izləməyə davam edəcəyik.",
}

BLOCKED_TERMS = [
    ("заработок", "ru", BlockedTerm.Action.HOLD),
    ("cəfəngiyat", "az", BlockedTerm.Action.REJECT),
    ("viagra", "", BlockedTerm.Action.REJECT),
]


@transaction.atomic
def load_demo_reviews():
    """Returns the number of reviews created (0 on a second run)."""
    created = 0
    for term, language, action in BLOCKED_TERMS:
        BlockedTerm.objects.get_or_create(
            term=term, language=language, defaults={"action": action}
        )
    for language, reviews in REVIEWS.items():
        stories = list(
            Article.objects.published().in_language(language).order_by("-published_at")[:2]
        )
        for story in stories:
            first = None
            for minutes, (status, name, email, text, reasons, reports) in enumerate(reviews):
                review, new = Comment.objects.get_or_create(
                    article=story,
                    email=email,
                    body=text,
                    defaults={
                        "author_name": name,
                        "status": status,
                        "held_reasons": reasons,
                        "created_at": story.published_at + timedelta(minutes=10 + minutes * 7),
                    },
                )
                created += new
                first = first or review
                for n in range(reports if new else 0):
                    Report.objects.create(
                        comment=review,
                        reason=Report.Reason.ABUSE if n else Report.Reason.OFF_TOPIC,
                        reporter_hash=f"demo-reader-{n}",
                    )
            _, new = Comment.objects.get_or_create(
                article=story,
                parent=first,
                email="desk@newsroom.example",
                body=NEWSROOM_REPLY[language],
                defaults={
                    "author_name": "Newsroom desk",
                    "is_newsroom": True,
                    "status": Comment.Status.APPROVED,
                    "created_at": first.created_at + timedelta(minutes=30),
                },
            )
            created += new
    if created:
        bump_content_version()
    return created
