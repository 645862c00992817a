from django.core.management import call_command
from django_tasks import task

from newsdesk.core.signals import site_changed


@task()
def publish_scheduled() -> None:
    """Publish revisions whose go-live time has come and unpublish pages past their expiry.

    Wagtail's own command does the work and sends ``page_published`` / ``page_unpublished``,
    so the page cache, the menu and search follow as for a publication by hand.
    """
    call_command("publish_scheduled", verbosity=0)


@task()
def banner_ended() -> None:
    """Run at an alert's end time: the app's cached pages drop the banner by themselves (it is a
    fragment checked on every hit), but a front cache or CDN keeps whole pages and is purged."""
    from . import breaking

    breaking.forget()
    site_changed.send(sender=None)
