import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
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
