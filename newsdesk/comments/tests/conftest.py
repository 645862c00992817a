"""Fixtures of the comment tests: an article, and a reader posting through the real view."""

import itertools
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from newsdesk.comments import tokens
from newsdesk.comments.models import Comment, CommentSettings, Status
from newsdesk.conftest import live_site_env
from newsdesk.core import testing
from newsdesk.news.factories import ArticlePageFactory, SectionPageFactory

_addresses = itertools.count(1)


@pytest.fixture
def section(db):
    return SectionPageFactory(title="World", slug="world")


@pytest.fixture
def article(section):
    return ArticlePageFactory(parent=section, title="A story worth discussing", slug="story")


@pytest.fixture
def rules(db):
    return CommentSettings.load()


@pytest.fixture
def client(client, django_capture_on_commit_callbacks):
    """The test client, running what views defer to the commit (purges, e-mails) at once."""
    post = client.post

    def post_and_commit(*args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return post(*args, **kwargs)

    client.post = post_and_commit
    return client


def fresh_ip() -> str:
    number = next(_addresses)
    return f"198.51.{number // 250}.{number % 250 + 1}"


def form_data(article, token=None, age: float = 10, **fields) -> dict:
    data = {
        "comment": "A thoughtful comment about the story.",
        "author": "Rosa Reader",
        "email": "rosa@example.com",
        "url": "",
        "article": str(article.pk),
        "parent": "",
        "token": token or tokens.issue(article.pk, now=time.time() - age),
        "fax": "",
    }
    data.update(fields)
    return data


def post_comment(client, article, ip=None, headers=None, **fields):
    """One reader's POST, as the browser sends the form (from a fresh address by default)."""
    return client.post(
        "/comments/post",
        form_data(article, **fields),
        REMOTE_ADDR=ip or fresh_ip(),
        HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0",
        **(headers or {}),
    )


def approved_author(article, email="rosa@example.com", name="Rosa Reader"):
    """An author with an approved comment already (so the first-comment rule lets them through)."""
    return Comment.objects.create(
        article=article,
        name=name,
        email=email,
        body="An earlier comment.",
        status=Status.APPROVED,
        created_at=timezone.now() - timedelta(hours=1),
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory, request):
    """A live site of this module's own: the demo's seed article, no generated stories."""
    env = live_site_env(tmp_path_factory, f"comments-{request.module.__name__[-12:]}")
    testing.newsdesk(env, "migrate", "--noinput")
    testing.newsdesk(env, "collectstatic", "--noinput", "--verbosity", "0")
    testing.newsdesk(env, "demo", "--per-section", "0")
    url, process = testing.start_server(env)
    yield testing.LiveSite(
        url=url, env=env, data_dir=testing.Path(env["NEWSDESK_DATA_DIR"]), process=process
    )
    testing.stop(process)
