"""What readers see under an article: approved comments only, oldest first, threaded, as plain
text; counts on the article and in listings; closed articles."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from newsdesk.comments.models import Comment, CommentCount, Status
from newsdesk.comments.moderation import refresh_count
from newsdesk.core.testing import soup, text, validate_html
from newsdesk.news.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


def add(article, body, status=Status.APPROVED, minutes_ago=60, parent=None, **extra):
    comment = Comment.objects.create(
        article=article,
        parent=parent,
        name=extra.pop("name", "Reader"),
        email=extra.pop("email", "reader@example.com"),
        body=body,
        status=status,
        created_at=timezone.now() - timedelta(minutes=minutes_ago),
        **extra,
    )
    refresh_count(article.pk)
    return comment


def shown_bodies(html) -> list[str]:
    return [text(c) for c in soup(html).select("#comments .comment-content")]


def test_only_approved_comments_oldest_first(client, article):
    add(article, "Second, approved.", minutes_ago=30)
    add(article, "First, approved.", minutes_ago=50)
    for status in (Status.PENDING, Status.SPAM, Status.TRASH):
        add(article, f"Not shown: {status}.", status=status, minutes_ago=40)
    assert shown_bodies(client.get(article.url).content) == [
        "First, approved.",
        "Second, approved.",
    ]


def test_text_is_plain_with_paragraphs_and_nofollow_links(client, article):
    add(
        article,
        "<b>bold?</b> see https://example.org/page and write to me@example.com\nnext line\n\nPara 2",
        name="Web Person",
        website="https://person.example/",
    )
    page = soup(client.get(article.url).content)
    content = page.select_one(".comment-content")
    assert content.select_one("b") is None
    assert "<b>bold?</b>" in text(content)
    link = content.select_one("a")
    assert link["href"] == "https://example.org/page"
    assert link["rel"] == ["nofollow", "ugc"]
    assert len(content.select("a")) == 1  # the e-mail address is not linked
    assert len(content.select("p")) == 2 and content.select_one("p br") is not None
    author = page.select_one(".comment-author a")
    assert author["href"] == "https://person.example/"
    assert set(author["rel"]) >= {"nofollow", "ugc"}
    assert text(author) == "Web Person"


def test_permalinks_and_reply_links_thread_to_the_configured_depth(client, article, rules):
    top = add(article, "Top.", minutes_ago=50)
    reply = add(article, "Reply.", minutes_ago=40, parent=top)
    deep = add(article, "Deeper.", minutes_ago=30, parent=reply)
    page = soup(client.get(article.url).content)
    for comment in (top, reply, deep):
        assert page.select_one(f"#comment-{comment.pk} .comment-metadata a")["href"] == (
            f"#comment-{comment.pk}"
        )
    assert page.select_one(f"#comment-{top.pk} > ol.children > #comment-{reply.pk}")
    assert page.select_one(f"#comment-{reply.pk} > ol.children > #comment-{deep.pk}")
    reply_link = page.select_one(f"#comment-{top.pk} > .comment-body .comment-reply-link")
    assert reply_link["href"] == f"?replytocom={top.pk}#respond"
    # Depth 3 (the default): the third level offers no Reply.
    assert page.select_one(f"#comment-{deep.pk} .comment-reply-link") is None

    replying = soup(client.get(f"{article.url}?replytocom={top.pk}").content)
    assert text(replying.select_one("#reply-title")).startswith("Reply to Reader")
    assert replying.select_one("input[name=parent]")["value"] == str(top.pk)
    assert replying.select_one("#cancel-comment-reply-link")["href"] == f"{article.url}#respond"

    rules.thread_depth = 1
    rules.save()
    page = soup(client.get(article.url + "?again").content)
    assert page.select(".comment-reply-link") == []
    assert len(page.select("ol.comment-list > li")) == 3  # flattened, none lost


def test_counts_on_the_article_and_in_listings_in_one_query(client, section, article):
    others = [ArticlePageFactory(parent=section, title=f"Other {n}") for n in range(5)]
    for number, story in enumerate([article, *others]):
        for n in range(number):
            add(story, f"Comment {n} on {story.title}", minutes_ago=100 - n)
    page = soup(client.get(article.url).content)
    assert text(page.select_one("#comments-title")) == "Comments"  # none yet, heading hidden
    page = soup(client.get(others[0].url).content)
    assert text(page.select_one("#comments-title")) == "One comment"

    with CaptureQueriesContext(connection) as queries:
        listing = soup(client.get(section.url).content)
    count_queries = [q for q in queries.captured_queries if "comments_commentcount" in q["sql"]]
    assert len(count_queries) == 1
    counts = {
        text(item.select_one("h2")): text(item.select_one(".meta"))
        for item in listing.select("ol.story-list > li")
    }
    assert "5 comments" in counts["Other 4"]
    assert "1 comment" in counts["Other 0"] and "comments" not in counts["Other 0"]
    assert "comment" not in counts[article.title]
    link = listing.find("a", string="5 comments")
    assert link["href"] == others[4].url + "#comments"
    home = soup(client.get("/").content)
    assert home.find("a", string="5 comments") is not None
    # Reading the counts leaves the listings cacheable (no cookie, no Vary: Cookie).
    for path in ["/", section.url, "/tags/x/"]:
        first = client.get(path)
        assert "Set-Cookie" not in first and "Cookie" not in first.get("Vary", "")
    assert client.get(section.url)["X-Cache"] == "HIT"
    assert client.get("/")["X-Cache"] == "HIT"


def test_article_queries_do_not_grow_with_comments(client, article, django_assert_max_num_queries):
    add(article, "One.")
    client.get(article.url + "?warm")
    with CaptureQueriesContext(connection) as few:
        client.get(article.url + "?one")
    parent = None
    for n in range(50):
        parent = add(article, f"Comment {n}", minutes_ago=500 - n, parent=parent if n % 2 else None)
    with CaptureQueriesContext(connection) as many:
        html = client.get(article.url + "?fifty").content
    assert len(shown_bodies(html)) == 51
    assert len(many.captured_queries) == len(few.captured_queries)


def test_closed_articles_show_no_form_and_refuse_posts(client, section):
    closed = ArticlePageFactory(parent=section, title="Closed story", comments_open=False)
    page = soup(client.get(closed.url).content)
    assert page.select_one("#commentform") is None
    assert text(page.select_one(".comments-closed")) == "Comments are closed."
    from .conftest import post_comment

    response = post_comment(client, closed)
    assert response.status_code == 403
    assert "closed" in response.content.decode()
    assert not Comment.objects.exists()


@override_settings(NEWSDESK_COMMENTS_CLOSE_AFTER_DAYS=14)
def test_comments_close_automatically_after_the_set_days(client, section):
    old = ArticlePageFactory(
        parent=section, title="Old story", first_published_at=timezone.now() - timedelta(days=15)
    )
    recent = ArticlePageFactory(
        parent=section, title="Recent story", first_published_at=timezone.now() - timedelta(days=13)
    )
    assert soup(client.get(old.url).content).select_one("#commentform") is None
    assert soup(client.get(recent.url).content).select_one("#commentform") is not None
    from .conftest import post_comment

    assert post_comment(client, old).status_code == 403


def test_article_with_comments_and_form_errors_is_valid_html(client, article):
    top = add(article, "Top with a link https://example.org/x", website="https://a.example/")
    add(article, "A reply.", parent=top, minutes_ago=10)
    from .conftest import post_comment

    errors = post_comment(client, article, comment="", email="not an address", url="ftp://x")
    assert errors.status_code == 400
    documents = {
        "article": client.get(article.url).content.decode(),
        "reply": client.get(f"{article.url}?replytocom={top.pk}").content.decode(),
        "errors": errors.content.decode(),
    }
    assert validate_html(documents) == []
    assert CommentCount.objects.get(article=article).approved == 2
