"""Demo comments on the seed article: a threaded conversation, all approved.

Idempotent: tops the seed article up to the wanted number of approved comments
(``newsdesk demo`` ensures 6; ``newsdesk comments_demo --approved 20`` what the benchmarks use).
"""

from datetime import timedelta

from django.db import transaction

from newsdesk.news.demo.loader import load_seed
from newsdesk.news.models import ArticlePage

from .models import Comment, Status
from .moderation import announce, refresh_count

DEMO_COMMENTS = 6
VOICES = [
    (
        "Maria Kowalski",
        "https://example.org/maria",
        "The Storm Shadow decision has been coming for months. Whether Washington signs off on Friday will tell us a lot about how coordinated the allies really are.",
    ),
    (
        "Tom Hadley",
        "",
        "Interesting that the condition is about US-supplied weapons only. Does that not simply move the question rather than answer it?",
    ),
    (
        "Aisha Rahman",
        "",
        "The intelligence warnings about Iran deserve more attention than they get here.\n\nEscalation does not happen in one theatre at a time.",
    ),
    (
        "Jonas Berg",
        "https://example.net/",
        "Good summary. The ATACMS timeline is the part to watch: see https://example.com/atacms-explainer for the background.",
    ),
    (
        "Priya Natarajan",
        "",
        "Starmer's first visit and a decision like this on the table. Quite a start.",
    ),
    (
        "Luis Ortega",
        "",
        "I would like to know what France has said publicly; the article mentions it only in passing.",
    ),
]


def ensure_comments(stdout, tally, now, approved: int = DEMO_COMMENTS) -> int:
    """Top the seed article up to ``approved`` approved comments; returns how many were added."""
    slug = load_seed().slug
    article = ArticlePage.objects.filter(slug=slug).first()
    if article is None:
        return 0
    have = Comment.objects.filter(article=article, status=Status.APPROVED).count()
    start = article.published_at or now
    added = 0
    with transaction.atomic():
        previous = list(Comment.objects.filter(article=article, status=Status.APPROVED))
        for number in range(have, approved):
            name, website, body = VOICES[number % len(VOICES)]
            if number >= len(VOICES):
                body = f"{body} (Comment {number + 1}.)"
            parent = previous[number - 1] if number % 3 == 1 and previous else None
            comment = Comment.objects.create(
                article=article,
                parent=parent,
                name=name,
                email=f"reader{number + 1}@demo.invalid",
                website=website,
                body=body,
                status=Status.APPROVED,
                created_at=min(now, start + timedelta(minutes=7 * (number + 1))),
            )
            previous.append(comment)
            added += 1
        for _ in range(have, approved):
            tally.add("comments", True)
        for _ in range(min(have, approved)):
            tally.add("comments", False)
        refresh_count(article.pk)
    if added:
        announce([article.pk])
    return added
