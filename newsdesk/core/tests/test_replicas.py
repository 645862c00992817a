"""Read replicas: anonymous page views read a replica; writers, staff and the admin the primary.

The "replica" here is a snapshot of the primary taken before a story was published: a replica
lagging behind, so every read shows which database answered it.
"""

import json
import sqlite3
from pathlib import Path

import pytest

from newsdesk.core import testing


def sqlite_copy(source: Path, target: Path) -> None:
    with sqlite3.connect(source) as a, sqlite3.connect(target) as b:
        a.backup(b)


def shell(env, code: str) -> str:
    return testing.newsdesk(env, "shell", "-c", code).stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def lagging_replica(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("replica")
    env = testing.site_env(tmp_path)
    testing.newsdesk(env, "migrate", "--noinput")
    shell(
        env,
        "from newsdesk.news.factories import *; s = SectionPageFactory(title='World'); "
        "ArticlePageFactory(parent=s, title='Old story', slug='old'); print('ok')",
    )
    primary = tmp_path / "newsdesk.sqlite3"
    replica = tmp_path / "replica.sqlite3"
    sqlite_copy(primary, replica)
    session = shell(
        env,
        "from newsdesk.news.factories import *; from newsdesk.news.models import SectionPage; "
        "ArticlePageFactory(parent=SectionPage.objects.get(), title='New story', slug='new'); "
        "from django.contrib.auth.models import User; from importlib import import_module; "
        "from django.conf import settings; "
        "u = User.objects.create_superuser('ed', 'ed@example.com', 'pw'); "
        "s = import_module(settings.SESSION_ENGINE).SessionStore(); "
        "s['_auth_user_id'] = str(u.pk); "
        "s['_auth_user_backend'] = 'django.contrib.auth.backends.ModelBackend'; "
        "s['_auth_user_hash'] = u.get_session_auth_hash(); s.create(); print(s.session_key)",
    )
    env["NEWSDESK_DATABASE_REPLICA_URLS"] = f"sqlite:///{replica}"
    url, process = testing.start_server(env)
    yield testing.LiveSite(url=url, env=env, data_dir=tmp_path, process=process), session
    testing.stop(process)


def test_anonymous_reads_come_from_the_replica(lagging_replica):
    site, _ = lagging_replica
    assert site.get("/world/old/")[0] == 200
    assert site.get("/world/new/")[0] == 404  # not replicated yet
    _status, _, body = site.get("/healthz")
    assert json.loads(body)["checks"]["database"] == "ok"  # health asks the primary


def test_signed_in_staff_read_the_primary(lagging_replica):
    site, session = lagging_replica
    assert site.get("/world/new/", headers={"Cookie": f"sessionid={session}"})[0] == 200


def test_a_reader_who_just_wrote_reads_the_primary(lagging_replica):
    site, _ = lagging_replica
    _status, headers, _ = site.request("POST", "/world/old/", body=b"")
    assert "newsdesk_wrote=1" in headers.get("Set-Cookie", "")
    assert site.get("/world/new/", headers={"Cookie": "newsdesk_wrote=1"})[0] == 200


def test_admin_reads_the_primary(lagging_replica):
    site, session = lagging_replica
    section = shell(
        site.env,
        "from newsdesk.news.models import SectionPage; print(SectionPage.objects.get().pk)",
    )
    status, _, body = site.get(
        f"/admin/pages/{section}/", headers={"Cookie": f"sessionid={session}"}
    )
    assert status == 200
    assert "New story" in body  # only the primary has it
