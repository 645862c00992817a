"""Parsing of ``NEWSDESK_*`` environment variables, with errors that name the variable.

Used only by ``newsdesk.settings.base``; kept here so the parsing can be tested.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import dj_email_url
from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a yes/no value (use 1 or 0).")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def parse_database_url(name: str, url: str, default_sqlite: Path | None) -> dict:
    """A DATABASES entry from a URL; SQLite in WAL mode when the URL is empty."""
    if not url:
        if default_sqlite is None:
            raise ImproperlyConfigured(f"{name} contains an empty database URL.")
        return sqlite_database(default_sqlite)
    scheme = urlsplit(url).scheme
    if scheme not in {"postgres", "postgresql", "pgsql", "sqlite"}:
        raise ImproperlyConfigured(
            f"{name} must be a postgres:// (or sqlite://) URL, not {scheme or 'something without a scheme'}."
        )
    try:
        config = dj_database_url.parse(url)
    except Exception as error:  # dj-database-url raises several kinds for a bad URL
        raise ImproperlyConfigured(f"{name} is not a valid database URL: {error}") from None
    if config["ENGINE"] == "django.db.backends.sqlite3":
        return sqlite_database(Path(config["NAME"]))
    if not config.get("NAME"):
        raise ImproperlyConfigured(f"{name} does not name a database (postgres://host/NAME).")
    # Persistent connections, checked before reuse so a restarted server is survived.
    config["CONN_MAX_AGE"] = env_int("NEWSDESK_DATABASE_CONN_MAX_AGE", 600)
    config["CONN_HEALTH_CHECKS"] = True
    config.setdefault("OPTIONS", {})
    config["OPTIONS"].setdefault("connect_timeout", 5)
    return config


def sqlite_database(path: Path) -> dict:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        # Kept open between requests: opening one and running the pragmas below cost a few
        # milliseconds on every request otherwise.
        "CONN_MAX_AGE": env_int("NEWSDESK_DATABASE_CONN_MAX_AGE", 600),
        "OPTIONS": {
            # WAL lets readers carry on while one writer commits; IMMEDIATE takes the write
            # lock up front so concurrent writers queue instead of failing with "locked".
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }


def parse_cache_url(name: str, url: str) -> dict:
    """The default cache: Redis when a URL is given, else an in-process cache."""
    if not url:
        return {
            "BACKEND": "newsdesk.core.cache.InProcessCache",
            "LOCATION": "newsdesk",
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    parts = urlsplit(url)
    if parts.scheme not in {"redis", "rediss", "unix"}:
        raise ImproperlyConfigured(f"{name} must be a redis:// URL, not {url!r}.")
    try:
        parts.port  # noqa: B018 - raises ValueError for a malformed port
    except ValueError:
        raise ImproperlyConfigured(f"{name} has a malformed port: {url!r}.") from None
    if parts.scheme != "unix" and not parts.hostname:
        raise ImproperlyConfigured(f"{name} does not name a host: {url!r}.")
    return {
        "BACKEND": "newsdesk.core.cache.ResilientRedisCache",
        "LOCATION": url,
        "KEY_PREFIX": "newsdesk",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }


def parse_email_url(name: str, url: str) -> dict:
    """EMAIL_* settings from a URL; console output when unset."""
    if not url:
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    try:
        config = dj_email_url.parse(url)
    except Exception as error:
        raise ImproperlyConfigured(f"{name} is not a valid e-mail URL: {error}") from None
    return {
        "EMAIL_BACKEND": config["EMAIL_BACKEND"],
        "EMAIL_HOST": config["EMAIL_HOST"] or "localhost",
        "EMAIL_PORT": config["EMAIL_PORT"] or 25,
        "EMAIL_HOST_USER": config["EMAIL_HOST_USER"] or "",
        "EMAIL_HOST_PASSWORD": config["EMAIL_HOST_PASSWORD"] or "",
        "EMAIL_USE_TLS": bool(config["EMAIL_USE_TLS"]),
        "EMAIL_USE_SSL": bool(config["EMAIL_USE_SSL"]),
    }
