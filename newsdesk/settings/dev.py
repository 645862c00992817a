"""The embedded default used by ``make run``: no servers needed, safe on a laptop."""

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, SECRET_KEY

# A fixed key is fine for a local demo; production refuses to start without its own.
SECRET_KEY = SECRET_KEY or "newsdesk-development-key-not-for-production"
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]", "testserver"]
