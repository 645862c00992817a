"""Production: PostgreSQL and Redis expected, HTTPS in front, secrets from the environment."""

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, BASE_URL, SECRET_KEY, env_bool, env_int, require

require("NEWSDESK_SECRET_KEY", SECRET_KEY)
require("NEWSDESK_ALLOWED_HOSTS", ALLOWED_HOSTS)

DEBUG = False
# The proxy terminates TLS; it must set X-Forwarded-Proto (see docs/deploy.md).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("NEWSDESK_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("NEWSDESK_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# The header only makes the site eligible; submitting it to the preload list is a manual step.
SECURE_HSTS_PRELOAD = env_bool("NEWSDESK_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = [BASE_URL] if BASE_URL.startswith("https://") else []
