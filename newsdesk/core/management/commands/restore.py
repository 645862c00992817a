from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsdesk.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Replace the database and uploaded media with those in a backup file."

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path, help="A file made by `newsdesk backup`.")
        parser.add_argument(
            "--yes", action="store_true", help="Do not ask before replacing the current data."
        )

    def handle(self, *args, backup, yes, **options):
        if not yes and input(f"Replace all current data with {backup}? [y/N] ").lower() != "y":
            raise CommandError("Restore cancelled; nothing was changed.")
        try:
            manifest = restore_backup(backup, log=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Restored the backup made {manifest['created_at']}."))
