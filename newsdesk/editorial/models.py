"""The newsroom's own records: its settings and the breaking-news banner.

Corrections are part of the content model (``newsdesk.news.models.Correction``); this app only
gives editors the admin to append and remove them.
"""

from django import forms
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


@register_setting(icon="cogs")
class EditorialSettings(BaseGenericSetting):
    """Publishing rules and sign-in policy the newsroom's administrators change in the admin."""

    require_featured_image = models.BooleanField(
        "Featured image required for publishing",
        default=True,
        help_text="An article cannot be published, scheduled or sent for review without one.",
    )
    two_factor_groups = models.ManyToManyField(
        Group,
        blank=True,
        related_name="+",
        verbose_name="Groups that must use two-factor authentication",
        help_text="Members must set up an authenticator app before they can use the admin. "
        "Everybody else may turn it on for themselves.",
    )

    panels = [
        FieldPanel("require_featured_image"),
        FieldPanel("two_factor_groups", widget=forms.CheckboxSelectMultiple),
    ]

    class Meta:
        verbose_name = "Newsroom settings"


class BreakingNewsQuerySet(models.QuerySet):
    def showing(self, now=None):
        """Alerts whose banner shows now: not ended, on a published article, newest first."""
        now = now or timezone.now()
        return (
            self.filter(ends_at__gt=now, article__live=True)
            .select_related("article")
            .order_by("-created_at", "-pk")
        )


class BreakingNews(models.Model):
    """A site-wide banner linking to an article until its end time."""

    article = models.ForeignKey(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="+", verbose_name="Article"
    )
    headline = models.CharField(
        max_length=160,
        blank=True,
        help_text="Shown in the banner; leave empty to use the article's headline.",
    )
    ends_at = models.DateTimeField("Ends at", help_text="The banner disappears at this time.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = BreakingNewsQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "breaking news alert"
        verbose_name_plural = "breaking news"
        indexes = [models.Index(fields=["-ends_at"], name="breaking_ends")]

    def __str__(self) -> str:
        return self.banner_text

    @property
    def banner_text(self) -> str:
        return self.headline or (self.article.title if self.article_id else "")

    @property
    def is_showing(self) -> bool:
        return self.ends_at > timezone.now() and self.article.live

    def clean(self):
        errors = {}
        if self.ends_at and self.ends_at <= timezone.now():
            errors["ends_at"] = (
                "The end time is in the past: choose a time when the banner should go."
            )
        if self.article_id and not self.article.live:
            errors["article"] = "This article is not published: publish it before flagging it."
        if errors:
            raise ValidationError(errors)
