"""What editors tune about feeds, crawlers and social cards, in the Wagtail admin."""

import re

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

DISALLOW_LINE = re.compile(r"/[^\s#]*")
TWITTER_HANDLE = re.compile(r"@\w{1,15}")


@register_setting(icon="site")
class SyndicationSettings(BaseGenericSetting):
    feed_items = models.PositiveSmallIntegerField(
        "Stories per feed",
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="How many of the newest stories each feed lists (1–100).",
    )
    feed_full_content = models.BooleanField(
        "Full text in feeds",
        default=True,
        help_text="Untick to give feed readers the standfirst only, so they click through.",
    )
    robots_disallow = models.TextField(
        "Paths crawlers must not visit",
        blank=True,
        default="/admin/\n/search/",
        help_text="One path per line, each starting with “/”, for example /search/. "
        "Listed in robots.txt for every crawler.",
    )
    logo = models.ForeignKey(
        "news.NewsImage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The publisher's logo search engines show (at least 112 × 112 pixels); "
        "empty uses the built-in one.",
    )
    share_image = models.ForeignKey(
        "news.NewsImage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown when a page without its own picture is shared on social networks.",
    )
    twitter_site = models.CharField(
        "X (Twitter) account",
        max_length=16,
        blank=True,
        help_text="The newsroom's handle, for example @newsdesk; shown in link cards.",
    )

    panels = [
        MultiFieldPanel([FieldPanel("feed_items"), FieldPanel("feed_full_content")], "Feeds"),
        FieldPanel("robots_disallow"),
        MultiFieldPanel(
            [FieldPanel("logo"), FieldPanel("share_image"), FieldPanel("twitter_site")],
            "Search engines and social networks",
        ),
    ]

    class Meta:
        verbose_name = "Feeds and search engines"

    def clean(self):
        super().clean()
        bad = [line for line in self.disallowed_paths() if not DISALLOW_LINE.fullmatch(line)]
        if bad:
            raise ValidationError(
                {
                    "robots_disallow": "Each line must be one path starting with “/” and without "
                    f"spaces; check: {', '.join(bad[:3])}"
                }
            )
        if self.twitter_site and not TWITTER_HANDLE.fullmatch(self.twitter_site):
            raise ValidationError(
                {"twitter_site": "An account is “@” and up to 15 letters, digits or “_”."}
            )

    CACHE_KEY = "syndication:settings"

    @classmethod
    def current(cls, request=None) -> "SyndicationSettings":
        """The settings for what readers see, from the shared cache (every page's head reads
        them); saving them, or deleting a picture they name, forgets the cached copy in every
        process at once (``signal_handlers``). The newsroom's forms read ``load()``."""
        attr_name = cls.get_cache_attr_name()
        if request is not None and hasattr(request, attr_name):
            return getattr(request, attr_name)
        found = cache.get(cls.CACHE_KEY)
        if found is None:
            found = cls.load()
            cache.set(cls.CACHE_KEY, found, 300)
        if request is not None:
            setattr(request, attr_name, found)
        return found

    @classmethod
    def forget(cls) -> None:
        cache.delete(cls.CACHE_KEY)

    def disallowed_paths(self) -> list[str]:
        return [line.strip() for line in self.robots_disallow.splitlines() if line.strip()]
