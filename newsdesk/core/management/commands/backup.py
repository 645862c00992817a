from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from newsdesk.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "Back up the database and uploaded media into one .tar.gz file."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            help="Where to write the backup (default: newsdesk-backup-<time>.tar.gz here).",
        )

    def handle(self, *args, output, **options):
        output = output or Path(f"newsdesk-backup-{timezone.now():%Y%m%d-%H%M%S}.tar.gz")
        try:
            create_backup(output, log=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from error
        size = output.stat().st_size
        self.stdout.write(self.style.SUCCESS(f"Backup written: {output} ({size:,} bytes)"))
