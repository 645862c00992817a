from django.db import models


class PeriodicRun(models.Model):
    """When each periodic job may next be enqueued; claimed atomically by one worker."""

    name = models.CharField(max_length=100, unique=True)
    next_run_at = models.DateTimeField()
    last_run_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name
