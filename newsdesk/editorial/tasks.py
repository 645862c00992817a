from django.core.management import call_command
from django_tasks import task


@task()
def publish_scheduled() -> None:
    """Publish revisions whose go-live time has come and unpublish pages past their expiry.

    Wagtail's own command does the work and sends ``page_published`` / ``page_unpublished``,
    so the page cache, the menu and search follow as for a publication by hand.
    """
    call_command("publish_scheduled", verbosity=0)
