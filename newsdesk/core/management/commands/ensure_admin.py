"""Create the first administrator if none exists, and print how to sign in."""

import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create an administrator account when there is none, then print its login."

    def add_arguments(self, parser):
        parser.add_argument("--username", default=os.environ.get("NEWSDESK_ADMIN_USER", "admin"))

    def handle(self, *args, **options):
        User = get_user_model()
        username = options["username"]
        password_file = settings.DATA_DIR / ".newsdesk-admin-password"
        admin_url = f"{settings.BASE_URL}/admin/"
        if not User.objects.filter(is_superuser=True).exists():
            password = os.environ.get("NEWSDESK_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
            User.objects.create_superuser(username, f"{username}@localhost", password)
            password_file.write_text(password + "\n")
            password_file.chmod(0o600)
            self.stdout.write(self.style.SUCCESS("Created administrator account."))
        user = User.objects.filter(username=username, is_superuser=True).first()
        stored = password_file.read_text().strip() if password_file.exists() else ""
        if user and stored and user.check_password(stored):
            self.stdout.write(f"Admin: {admin_url}  user: {username}  password: {stored}")
        else:
            self.stdout.write(
                f"Admin: {admin_url}  (an administrator exists; reset a password with "
                f"`newsdesk changepassword <user>`)"
            )
