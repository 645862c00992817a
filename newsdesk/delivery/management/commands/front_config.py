"""Print the front-cache configuration (deploy/varnish/newsdesk.vcl) filled in for this site."""

import re
from pathlib import Path
from string import Template

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

TEMPLATE = Path(settings.BASE_DIR) / "deploy" / "varnish" / "newsdesk.vcl"


class Command(BaseCommand):
    help = "Print the Varnish configuration for this site, pointing at the app server."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["varnish"])
        parser.add_argument("--backend", default="127.0.0.1:8000", help="The app server HOST:PORT.")

    def handle(self, *args, kind, backend, **options):
        match = re.fullmatch(r"([\w.-]+):(\d{1,5})", backend)
        if not match:
            raise CommandError(f"--backend must be HOST:PORT, not {backend!r}.")
        cookies = [settings.SESSION_COOKIE_NAME, *settings.NEWSDESK_PERSONAL_COOKIES]
        if not all(re.fullmatch(r"[\w-]+", name) for name in cookies):
            raise CommandError("Cookie names in NEWSDESK_PERSONAL_COOKIES must be plain words.")
        self.stdout.write(
            Template(TEMPLATE.read_text()).safe_substitute(
                backend_host=match.group(1),
                backend_port=match.group(2),
                personal_cookies="|".join(cookies),
                # Full article addresses, /<section>/<slug>/: the only pages whose answer depends
                # on the device (a first segment the site reserves is never a section).
                article_paths=(
                    r"^/(?!(?:"
                    + "|".join(re.escape(slug) for slug in settings.NEWSDESK_RESERVED_SLUGS)
                    + r")/)[^/?]+/[^/?]+/(\?.*)?$"
                ),
            ),
            ending="",
        )
