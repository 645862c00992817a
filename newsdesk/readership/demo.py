"""A simulated day of reading for the demo, sent through the real beacon endpoint.

Requests go through Django's full stack to ``readership:view`` (the test client, in process),
so de-duplication, bot filtering and rate limits all apply; only the clock is set back for each
simulated hour (:data:`clock.simulated_now`). Idempotent: skipped when any view is recorded.
"""

import random
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.test import Client
from django.urls import reverse

from newsdesk.core.progress import Progress
from newsdesk.news.models import ArticlePage, SectionPage

from . import clock, trending
from .maintenance import flush
from .models import DailyViews, HourlyViews

BROWSERS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
]
CRAWLERS = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
]
# Readers per simulated hour, midnight first: a news site's day.
READERS_PER_HOUR = [
    6,
    4,
    3,
    3,
    4,
    8,
    18,
    32,
    40,
    36,
    30,
    28,
    32,
    30,
    26,
    24,
    26,
    30,
    34,
    36,
    32,
    24,
    16,
    10,
]


def simulate_reading(stdout, tally, now, seed: int = 5) -> int:
    if HourlyViews.objects.exists() or DailyViews.objects.exists():
        tally.add("simulated reading", False)
        return 0
    rng = random.Random(seed)  # noqa: S311 - a repeatable demo, not a secret
    articles = list(
        ArticlePage.objects.live()
        .filter(published_at__lte=now)
        .order_by("-published_at")
        .values_list("pk", "published_at")
    )
    if not articles:
        return 0
    base = urlsplit(settings.BASE_URL)
    client = Client(HTTP_HOST=base.netloc)
    endpoint = reverse("readership:view")
    popularity = {pk: rng.paretovariate(1.2) for pk, _ in articles}
    counted = 0
    progress = Progress("Simulated reading (hours)", 24, stdout)
    visitor = 0
    token = None
    try:
        for hour, readers in enumerate(READERS_PER_HOUR):
            start = now - timedelta(hours=24 - hour)
            for _ in range(readers):
                visitor += 1
                moment = start + timedelta(seconds=rng.randrange(3600))
                if moment > now:
                    continue
                token = clock.simulated_now.set(moment)
                # Fresh stories are read most; the archive a little.
                available = [(pk, p) for pk, p in articles if p <= moment]
                weights = [
                    popularity[pk] * (4.0 if moment - p < timedelta(days=2) else 0.3)
                    for pk, p in available
                ]
                reads = rng.choices(
                    range(len(available)), weights=weights, k=rng.choice([1, 1, 2, 3])
                )
                crawler = rng.random() < 0.05
                agent = rng.choice(CRAWLERS if crawler else BROWSERS)
                for index in reads + ([reads[0]] if rng.random() < 0.1 else []):
                    response = client.post(
                        endpoint,
                        data=f"article={available[index][0]}",
                        content_type="application/x-www-form-urlencoded",
                        HTTP_USER_AGENT=agent,
                        REMOTE_ADDR=f"2001:db8::{visitor:x}",  # documentation addresses
                        secure=base.scheme == "https",
                    )
                    if response.headers.get("X-Readership") == "counted":
                        counted += 1
                clock.simulated_now.reset(token)
                token = None
            progress.advance()
    finally:
        if token is not None:
            clock.simulated_now.reset(token)
    progress.finish()
    flush()
    trending.forget(SectionPage.objects.values_list("pk", flat=True))
    for _ in range(counted):
        tally.add("simulated views", True)
    return counted
