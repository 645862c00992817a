"""Production mode: refuses to start without its secrets, passes Django's deploy checks."""

import secrets

import pytest

from newsdesk.core import testing


def production_env(tmp_path, **extra):
    env = testing.site_env(
        tmp_path,
        NEWSDESK_ENV="production",
        NEWSDESK_SECRET_KEY=secrets.token_urlsafe(50),
        NEWSDESK_ALLOWED_HOSTS="news.example.com",
        NEWSDESK_BASE_URL="https://news.example.com",
    )
    env.pop("DJANGO_SETTINGS_MODULE")  # `newsdesk` picks production from NEWSDESK_ENV
    env.update(extra)
    return env


def test_check_deploy_passes_without_warnings(tmp_path):
    result = testing.newsdesk(
        production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING", check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["NEWSDESK_SECRET_KEY", "NEWSDESK_ALLOWED_HOSTS"])
def test_refuses_to_start_without_secret_key_or_hosts(tmp_path, missing):
    env = production_env(tmp_path)
    env.pop(missing)
    result = testing.newsdesk(env, "check", check=False)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert lines == [
        f"newsdesk: configuration error: {missing} must be set when NEWSDESK_ENV=production."
    ]


def test_production_serves_https_headers(tmp_path):
    env = production_env(tmp_path)
    testing.newsdesk(env, "migrate", "--noinput")
    testing.newsdesk(env, "collectstatic", "--noinput", "--verbosity", "0")
    url, process = testing.start_server(env)
    try:
        site = testing.LiveSite(url=url, env=env, data_dir=tmp_path, process=process)
        status, headers, _ = site.get(
            "/", headers={"Host": "news.example.com", "X-Forwarded-Proto": "https"}
        )
        assert status == 200
        assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
        status, headers, _ = site.get("/", headers={"Host": "news.example.com"})
        assert status == 301 and headers["Location"].startswith("https://news.example.com/")
        status, _, _ = site.get("/", headers={"Host": "evil.example.org"})
        assert status == 400
    finally:
        testing.stop(process)
