"""The breaking-news banner, fresh on cached pages too.

The banner is a fragment (``newsdesk.core.fragments``): the page cache renders it again on
every hit, so a page stored before an alert shows it, and stops showing it the moment it ends,
in every process. Rendering it reads one key of the shared cache; the key holds the alerts still
to end, and is deleted whenever an alert or a published article changes.

Front caches (Varnish, a CDN) keep whole pages and never run the fragment, so a change of alert
also sends ``site_changed`` (which purges them), and a task deferred to the alert's end time
sends it again then.
"""

import time

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone

from newsdesk.core import fragments

CACHE_KEY = "editorial:breaking:v1"
# Longest a process trusts the list without asking the database (a safety net only: every
# change deletes the key at once).
CACHE_SECONDS = 300


def upcoming(request=None) -> list[dict]:
    """Alerts not yet ended, newest first, as plain data (url, text, end as a timestamp)."""
    alerts = fragments.cache_get(request, CACHE_KEY)
    if alerts is None:
        from .models import BreakingNews

        alerts = [
            {
                "text": alert.banner_text,
                "url": alert.article.get_url(),
                "ends": alert.ends_at.timestamp(),
            }
            for alert in BreakingNews.objects.showing()[:5]
        ]
        cache.set(CACHE_KEY, alerts, CACHE_SECONDS)
    return alerts


def current(now: float | None = None, request=None) -> dict | None:
    now = timezone.now().timestamp() if now is None else now
    return next((alert for alert in upcoming(request) if alert["ends"] > now), None)


def forget() -> None:
    cache.delete(CACHE_KEY)


def schedule_end(ends_at) -> None:
    """Ask the worker to purge front caches when the banner ends (backends that cannot defer a
    task, like the tests' immediate one, leave it to the fragment)."""
    from .tasks import banner_ended

    if banner_ended.get_backend().supports_defer and ends_at > timezone.now():
        banner_ended.using(run_after=ends_at).enqueue()


def banner_html(request=None) -> str:
    alert = current(time.time(), request)
    if alert is None:
        return ""
    return render_to_string("editorial/includes/breaking_banner.html", {"alert": alert})
