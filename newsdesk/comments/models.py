"""Reader comments, their denormalised counts, and the moderation rules editors tune.

A comment is never deleted by moderation: it moves between queues (pending, approved, spam,
trash) and ``previous_status`` remembers where a trashed or spammed comment came from, so
*restore* puts it back. The spam score and its reasons are stored with the comment and shown to
moderators; the reader's address and user agent are kept for moderation only and blanked after
``NEWSDESK_COMMENTS_IP_RETENTION_DAYS`` by the worker.
"""

from django.conf import settings
from django.core.cache import cache
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from newsdesk.news.models import ArticlePage


class Status(models.TextChoices):
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    SPAM = "spam", "Spam"
    TRASH = "trash", "Trash"


class Comment(models.Model):
    article = models.ForeignKey(ArticlePage, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    name = models.CharField(max_length=100)
    email = models.EmailField(max_length=254)
    website = models.URLField(max_length=200, blank=True)
    body = models.TextField(max_length=10_000)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    previous_status = models.CharField(max_length=10, choices=Status.choices, blank=True)
    spam_score = models.FloatField(default=0)
    spam_reasons = models.JSONField(default=list, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # The form's one-time token: a double click or a retried request stores one comment.
    client_token = models.CharField(max_length=64, null=True, blank=True, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Set when a member of the newsroom replied from the admin.",
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        permissions = [("moderate_comment", "Can moderate reader comments")]
        indexes = [
            models.Index(fields=["article", "status", "created_at"], name="comment_article_status"),
            models.Index(fields=["email", "status"], name="comment_author_status"),
            models.Index(fields=["ip", "created_at"], name="comment_ip_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.name} on {self.article_id}: {self.body[:40]}"

    @property
    def anchor(self) -> str:
        return f"comment-{self.pk}"

    @property
    def is_staff_reply(self) -> bool:
        return self.user_id is not None


class CommentCount(models.Model):
    """Approved comments per article, kept in step by the moderation actions, so a listing
    page reads every count it shows in one query."""

    article = models.OneToOneField(
        ArticlePage, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    approved = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.article_id}: {self.approved}"


def word_list(text: str) -> list[str]:
    return [line.strip().lower() for line in text.splitlines() if line.strip()]


@register_setting(icon="comment")
class CommentSettings(BaseGenericSetting):
    """The moderation rules, WordPress's defaults; editors tune them in Settings → Comments."""

    require_previous_approval = models.BooleanField(
        default=True,
        help_text="Hold a comment unless its author (by e-mail) already has an approved one.",
    )
    hold_links = models.PositiveSmallIntegerField(
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Hold a comment with this many links or more.",
    )
    moderation_words = models.TextField(
        blank=True, help_text="One word or phrase a line: a comment containing one is held."
    )
    disallowed_words = models.TextField(
        blank=True,
        help_text="One word or phrase a line: a comment containing one goes straight to spam.",
    )
    flood_seconds = models.PositiveSmallIntegerField(
        default=15,
        validators=[MaxValueValidator(3600)],
        help_text="Refuse a comment from the same address or e-mail within this many seconds.",
    )
    minimum_seconds = models.PositiveSmallIntegerField(
        default=3,
        validators=[MaxValueValidator(600)],
        help_text="Refuse a comment posted sooner than this after the page was loaded (bots).",
    )
    rate_per_minute = models.PositiveSmallIntegerField(
        default=5, validators=[MinValueValidator(1)], help_text="Comments a minute per address."
    )
    rate_per_hour = models.PositiveSmallIntegerField(
        default=30, validators=[MinValueValidator(1)], help_text="Comments an hour per address."
    )
    thread_depth = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="How deep replies may nest (1: no replies).",
    )
    notify_moderators = models.BooleanField(
        default=True, help_text="E-mail the comment moderators when a comment is held."
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("require_previous_approval"),
                FieldPanel("hold_links"),
                FieldPanel("moderation_words"),
                FieldPanel("disallowed_words"),
            ],
            heading="Holding and spam",
        ),
        MultiFieldPanel(
            [
                FieldPanel("flood_seconds"),
                FieldPanel("minimum_seconds"),
                FieldPanel("rate_per_minute"),
                FieldPanel("rate_per_hour"),
            ],
            heading="Flood and bots",
        ),
        FieldPanel("thread_depth"),
        FieldPanel("notify_moderators"),
    ]

    class Meta:
        verbose_name = "Comments"

    def __str__(self) -> str:
        return "Comment settings"

    CACHE_KEY = "comments:settings"

    @classmethod
    def current(cls, request=None) -> "CommentSettings":
        """The settings, from the shared cache (every comment POST and article page reads
        them); saving them forgets the cached copy in every process at once."""
        if request is not None and hasattr(request, "_comment_settings"):
            return request._comment_settings
        found = cache.get(cls.CACHE_KEY)
        if found is None:
            found = cls.load()
            cache.set(cls.CACHE_KEY, found, 300)
        if request is not None:
            request._comment_settings = found
        return found

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        cache.delete(self.CACHE_KEY)
