"""Demo comments: the seed article gets approved, threaded comments, idempotently."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from newsdesk.comments.models import Comment, CommentCount, Status
from newsdesk.news.demo.loader import load_seed
from newsdesk.news.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("comments_demo", *args, stdout=out)
    return out.getvalue()


def test_the_seed_article_gets_exactly_the_wanted_approved_comments(section):
    seed = ArticlePageFactory(parent=section, slug=load_seed().slug, title="Seed")
    assert "20 added" in run("--approved", "20")
    assert "0 added" in run("--approved", "20")
    assert "5 added" in run("--approved", "25")
    comments = Comment.objects.filter(article=seed)
    assert comments.count() == comments.filter(status=Status.APPROVED).count() == 25
    assert comments.filter(parent__isnull=False).exists()
    assert CommentCount.objects.get(article=seed).approved == 25


def test_without_the_seed_article_the_command_says_what_to_do(db):
    with pytest.raises(CommandError, match="newsdesk demo"):
        run("--approved", "3")
