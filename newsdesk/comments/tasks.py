import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)


def retention_days() -> int:
    return getattr(settings, "NEWSDESK_COMMENTS_IP_RETENTION_DAYS", 60)


def moderator_addresses() -> list[str]:
    """Everyone who may moderate comments (through a group, directly, or as superuser)."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    perm = Q(content_type__app_label="comments", codename="moderate_comment")
    users = users.filter(
        Q(groups__permissions__in=Permission.objects.filter(perm))
        | Q(user_permissions__in=Permission.objects.filter(perm))
        | Q(is_superuser=True)
    )
    return sorted(set(users.values_list("email", flat=True)))


@task()
def notify_moderators(comment_id: int) -> int:
    """E-mail the moderators that a comment waits for them; returns how many were told."""
    from .models import Comment, Status

    comment = Comment.objects.select_related("article").filter(pk=comment_id).first()
    if comment is None or comment.status != Status.PENDING:
        return 0
    recipients = moderator_addresses()
    if not recipients:
        return 0
    queue = settings.BASE_URL + reverse("comments_admin:queue") + "?status=pending"
    reasons = "; ".join(f"{r['rule']} ({r['detail']})" for r in comment.spam_reasons) or "none"
    send_mail(
        f"[{settings.SITE_NAME}] Please moderate: “{comment.article.title}”",
        (
            f"A new comment on “{comment.article.title}” is waiting for your approval.\n\n"
            f"Author: {comment.name}\nE-mail: {comment.email}\nWebsite: {comment.website}\n"
            f"Spam score: {comment.spam_score} (reasons: {reasons})\n\n"
            f"{comment.body}\n\nModerate it: {queue}\n"
        ),
        None,
        recipients,
    )
    return len(recipients)


@task()
def forget_addresses() -> int:
    """Blank the IP address and user agent of comments older than the retention period."""
    from .models import Comment

    cutoff = timezone.now() - timedelta(days=retention_days())
    old = Comment.objects.filter(created_at__lt=cutoff).exclude(ip__isnull=True, user_agent="")
    forgotten = old.update(ip=None, user_agent="")
    if forgotten:
        logger.info("Forgot the addresses of %s comments", forgotten)
    return forgotten
