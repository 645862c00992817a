"""/healthz: 200 with JSON when the database answers, 503 naming it when it does not."""

import json

import pytest

from newsdesk.core import testing


@pytest.mark.django_db
def test_healthy(client, settings):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    expected = {"database": "ok", "cache": "ok"} if settings.REDIS_URL else {"database": "ok"}
    assert response.json() == {"status": "ok", "checks": expected}
    assert "no-cache" in response["Cache-Control"]


def test_database_down_gives_503_and_a_page_not_a_traceback(tmp_path):
    """A real server whose PostgreSQL does not answer (nothing listens on port 9)."""
    env = testing.site_env(tmp_path, NEWSDESK_DATABASE_URL="postgres://nobody@127.0.0.1:9/nowhere")
    port = testing.free_port()
    url, process = None, None
    try:
        url, process = testing.start_server(env, port)
        site = testing.LiveSite(url=url, env=env, data_dir=tmp_path, process=process)
        status, _, body = site.get("/healthz")
        assert status == 503
        assert json.loads(body) == {"status": "unavailable", "checks": {"database": "unreachable"}}
        status, _, body = site.get("/world/some-story/")
        assert status == 503
        assert "Temporarily unavailable" in body
        assert "Traceback" not in body and "OperationalError" not in body
    finally:
        if process:
            testing.stop(process)
