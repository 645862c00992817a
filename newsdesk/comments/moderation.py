"""Moderation actions as plain functions, used by the reader's post, the admin and the demo.

Every change of status goes through :func:`set_status`, which keeps the approved count of each
article in step (:class:`~newsdesk.comments.models.CommentCount`) and, once the change is
committed, tells the page cache that the article changed (``page_changed``) when readers can
see the difference.
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from newsdesk.core.signals import page_changed
from newsdesk.news.models import ArticleByline, ArticlePage

from .models import Comment, CommentCount, Status


def refresh_count(article_id: int) -> int:
    """Recount the approved comments of an article under a row lock (call inside a transaction):
    concurrent approvals each see the others' committed rows, so no count is lost."""
    row = CommentCount.objects.select_for_update().filter(article_id=article_id).first()
    if row is None:
        CommentCount.objects.bulk_create(
            [CommentCount(article_id=article_id)], ignore_conflicts=True
        )
        row = CommentCount.objects.select_for_update().get(article_id=article_id)
    row.approved = Comment.objects.filter(article_id=article_id, status=Status.APPROVED).count()
    row.save(update_fields=["approved"])
    return row.approved


def announce(article_ids: Iterable[int]) -> None:
    """After the commit: purge the pages that show these articles' comments."""
    ids = set(article_ids)

    def send():
        # What the purge reads (section, bylines with their authors, tags), read with the
        # article: three queries whatever the number of bylines.
        articles = ArticlePage.objects.filter(pk__in=ids).prefetch_related(
            Prefetch("bylines", queryset=ArticleByline.objects.select_related("author")), "tags"
        )
        for article in articles:
            page_changed.send(sender=Comment, page=article)

    transaction.on_commit(send)


def set_status(comments: Iterable[Comment], status: str, user=None) -> int:
    """Move comments to a queue; returns how many moved."""
    changed = []
    visible_change = set()
    with transaction.atomic():
        for comment in comments:
            if comment.status == status:
                continue
            if Status.APPROVED in (comment.status, status):
                visible_change.add(comment.article_id)
            if status in (Status.TRASH, Status.SPAM):
                comment.previous_status = comment.status
            comment.status = status
            comment.moderated_at = timezone.now()
            comment.moderated_by = user
            comment.save(
                update_fields=["status", "previous_status", "moderated_at", "moderated_by"]
            )
            changed.append(comment)
        for article_id in sorted(visible_change):
            refresh_count(article_id)
    announce(visible_change)
    return len(changed)


def perform_approve(comments, user=None) -> int:
    return set_status(comments, Status.APPROVED, user)


def perform_spam(comments, user=None) -> int:
    return set_status(comments, Status.SPAM, user)


def perform_trash(comments, user=None) -> int:
    return set_status(comments, Status.TRASH, user)


def perform_restore(comments, user=None) -> int:
    """Back to where a trashed or spammed comment came from (pending when unknown)."""
    moved = 0
    for comment in comments:
        if comment.status in (Status.TRASH, Status.SPAM):
            target = comment.previous_status
            if target in ("", Status.TRASH, Status.SPAM):
                target = Status.PENDING
            moved += set_status([comment], target, user)
    return moved


def perform_edit(comment: Comment, user=None) -> None:
    """Save a moderator's edit of the text or author details."""
    with transaction.atomic():
        comment.moderated_at = timezone.now()
        comment.moderated_by = user
        comment.save()
        refresh_count(comment.article_id)
    if comment.status == Status.APPROVED:
        announce([comment.article_id])


def perform_reply(parent: Comment, user, body: str) -> Comment:
    """A staff reply: approved at once, under the newsroom member's name."""
    name = (user.get_full_name() or user.get_username())[:100]
    if parent.status != Status.APPROVED:
        perform_approve([parent], user)  # replying to a held comment publishes it (as WordPress)
    with transaction.atomic():
        reply = Comment.objects.create(
            article_id=parent.article_id,
            parent=parent,
            name=name,
            email=user.email or "",
            body=body,
            status=Status.APPROVED,
            user=user,
            moderated_at=timezone.now(),
            moderated_by=user,
        )
        refresh_count(parent.article_id)
    announce([parent.article_id])
    return reply
