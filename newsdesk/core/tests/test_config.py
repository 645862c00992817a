"""Configuration from NEWSDESK_* variables: clear one-line errors naming the variable."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from newsdesk.core import config, testing


def test_unset_database_url_means_sqlite_in_wal_mode(tmp_path):
    database = config.parse_database_url("NEWSDESK_DATABASE_URL", "", tmp_path / "x.sqlite3")
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]


def test_postgres_url_is_parsed():
    database = config.parse_database_url(
        "NEWSDESK_DATABASE_URL", "postgres://u:p@db:5433/news", None
    )
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["PORT"], database["NAME"]) == ("db", 5433, "news")


@pytest.mark.parametrize(
    "url", ["mysql://x/y", "not a url", "postgres://host:notaport/db", "postgres://host"]
)
def test_malformed_database_url_names_the_variable(url):
    with pytest.raises(ImproperlyConfigured, match="NEWSDESK_DATABASE_URL"):
        config.parse_database_url("NEWSDESK_DATABASE_URL", url, None)


@pytest.mark.parametrize("url", ["http://localhost", "redis://localhost:port/0", "redis://"])
def test_malformed_redis_url_names_the_variable(url):
    with pytest.raises(ImproperlyConfigured, match="NEWSDESK_REDIS_URL"):
        config.parse_cache_url("NEWSDESK_REDIS_URL", url)


def test_bad_boolean_is_refused(monkeypatch):
    monkeypatch.setenv("NEWSDESK_DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="NEWSDESK_DEBUG"):
        config.env_bool("NEWSDESK_DEBUG", False)


def test_the_command_reports_a_bad_setting_in_one_line(tmp_path):
    env = testing.site_env(tmp_path, NEWSDESK_DATABASE_URL="mysql://somewhere/db")
    result = testing.newsdesk(env, "check", check=False)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1].startswith("newsdesk: configuration error:")
    assert "NEWSDESK_DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr
