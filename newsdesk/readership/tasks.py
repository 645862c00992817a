import logging

from django_tasks import task

logger = logging.getLogger(__name__)


# Ahead of other queued work: a backlog (search indexing after a bulk import) must not delay
# counts, and the flush interval is the promise about what a Redis crash can lose.
@task(priority=50)
def flush_views() -> int:
    """Buffered views into hourly rows (Redis store); the periodic job runs it every
    NEWSDESK_READERSHIP_FLUSH_SECONDS."""
    from .maintenance import flush

    return flush()


@task()
def prune_views() -> None:
    """Destroy old salts and de-duplication entries; roll old hourly rows into days."""
    from .maintenance import prune

    prune()


@task(priority=40)
def refresh_trending() -> int:
    """Every Trending list, ranked once and stored for readers (see trending.refresh_all)."""
    from .trending import refresh_all

    return refresh_all()
