"""Readership counts (hourly, then daily), the day's salt, and the trending settings.

Counts are keyed by article and hour without a surrogate id: at tens of millions of rows the
composite primary key is the only index the ranking needs (see BENCHMARKS.md).
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from newsdesk.news.models import ArticlePage


class HourlyViews(models.Model):
    """Views of one article in one hour; ``hour`` counts hours since 1970-01-01 00:00 UTC.

    ``absorbed``: how many of the views the Trending scoreboard has added (see
    :mod:`.scoreboard`); the rows with views it has not added yet sit in a small partial index.
    NULL on rows written before the scoreboard existed (it rebuilds from the window's rows).
    """

    pk = models.CompositePrimaryKey("article", "hour")
    article = models.ForeignKey(
        ArticlePage, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    hour = models.IntegerField()
    views = models.PositiveIntegerField(default=0)
    absorbed = models.PositiveIntegerField(null=True, db_default=0, editable=False)

    class Meta:
        verbose_name_plural = "hourly views"
        indexes = [
            models.Index(fields=["hour"], name="hourlyviews_hour"),
            models.Index(
                fields=["hour"],
                name="hourlyviews_pending",
                condition=models.Q(views__gt=models.F("absorbed")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} @ {self.hour}: {self.views}"


class TrendingScore(models.Model):
    """One young article's decayed views over the window, kept up to date incrementally.

    ``weighted`` is the sum of ``views × 2 ** ((hour − epoch) / half-life)`` over the window's
    hours, against the scoreboard's epoch hour: every article shares the factor that turns it
    into the decayed score at any moment, so ordering by it is ordering by score, and the ranking
    is an index read instead of a sum over every recent hourly row.
    """

    article = models.OneToOneField(
        ArticlePage, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    weighted = models.FloatField(default=0)
    views = models.IntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["-weighted"], name="trendingscore_weighted")]

    def __str__(self) -> str:
        return f"{self.article_id}: {self.views} views"


class Scoreboard(models.Model):
    """The one row describing :class:`TrendingScore`: which hours and settings it reflects.
    Whoever updates the scores holds this row's lock, so views are never added twice."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    epoch_hour = models.IntegerField(null=True)
    first_hour = models.IntegerField(null=True)  # the window's oldest hour in the scores
    half_life_hours = models.FloatField(null=True)
    window_hours = models.IntegerField(null=True)
    max_age_days = models.IntegerField(null=True)

    def __str__(self) -> str:
        return f"Trending scoreboard from hour {self.first_hour}"


class DailyViews(models.Model):
    """Views of one article on one day, for hours older than the hourly retention."""

    pk = models.CompositePrimaryKey("article", "day")
    article = models.ForeignKey(
        ArticlePage, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    day = models.DateField()
    views = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "daily views"

    def __str__(self) -> str:
        return f"{self.article_id} on {self.day}: {self.views}"


class SeenView(models.Model):
    """The database store's de-duplication: a salted visitor key saw an article at a moment.

    The key is an HMAC of IP address and user agent under the day's salt; rows are removed once
    older than the de-duplication window, and the salt itself after its day.
    """

    pk = models.CompositePrimaryKey("visitor", "article")
    visitor = models.CharField(max_length=32)
    article = models.IntegerField()
    seen_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["seen_at"], name="seenview_seen_at")]

    def __str__(self) -> str:
        return f"{self.visitor[:8]}… read {self.article}"


class DailySalt(models.Model):
    """The database store's salt for one UTC day; deleted once the day is over."""

    day = models.DateField(primary_key=True)
    salt = models.CharField(max_length=64)

    def __str__(self) -> str:
        return str(self.day)


class FlushedBatch(models.Model):
    """A batch of buffered counts already written, so a flush that crashed after writing and
    before deleting its batch from Redis never counts it twice."""

    id = models.CharField(max_length=40, primary_key=True)
    flushed_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name_plural = "flushed batches"

    def __str__(self) -> str:
        return self.id


@register_setting(icon="pick")
class TrendingSettings(BaseGenericSetting):
    """How the Trending list ranks articles; editors tune it in Settings → Trending."""

    half_life_hours = models.FloatField(
        default=6,
        validators=[MinValueValidator(0.25), MaxValueValidator(168)],
        help_text="A view counts half as much after this many hours.",
    )
    window_hours = models.PositiveSmallIntegerField(
        default=48,
        validators=[MinValueValidator(1), MaxValueValidator(168)],
        help_text="Only views from the last this many hours count.",
    )
    max_age_days = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="Only articles first published within this many days can trend.",
    )
    minimum_articles = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=(
            "With fewer articles read than this, the list shows the latest stories instead "
            "(and says so)."
        ),
    )
    hourly_retention_days = models.PositiveSmallIntegerField(
        default=90,
        validators=[MinValueValidator(8), MaxValueValidator(3650)],
        help_text="Hourly counts older than this are added up per day.",
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("half_life_hours"),
                FieldPanel("window_hours"),
                FieldPanel("max_age_days"),
                FieldPanel("minimum_articles"),
            ],
            heading="Ranking",
        ),
        FieldPanel("hourly_retention_days"),
    ]

    class Meta:
        verbose_name = "Trending"

    def __str__(self) -> str:
        return "Trending settings"
