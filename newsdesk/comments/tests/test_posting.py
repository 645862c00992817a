"""Posting a comment through the real view: what is stored, where the reader goes, what they see."""

import pytest

from newsdesk.comments.models import Comment, CommentCount, Status
from newsdesk.core.testing import soup, text

from .conftest import approved_author, post_comment

pytestmark = pytest.mark.django_db


def test_the_article_offers_the_seed_form(client, article):
    page = soup(client.get(article.url).content)
    section = page.select_one("#comments")
    assert text(section.select_one("#reply-title")) == "Leave a Reply"
    assert "Your email address will not be published. Required fields are marked *" in text(section)
    labels = [text(label) for label in section.select("form label")]
    assert labels[:4] == ["Comment *", "Name *", "Email *", "Website"]
    assert "Save my name, email, and website in this browser for the next time I comment." in labels
    assert section.select_one("input[type=submit]")["value"] == "Post Comment"
    for name in ("comment", "author", "email"):
        field = section.select_one(f"[name={name}]")
        assert field.has_attr("required") and field["aria-required"] == "true"
    assert not section.select_one("[name=url]").has_attr("required")
    assert section.select_one("input[name=token]")["value"]


def test_an_approved_author_lands_on_their_comment(client, article):
    approved_author(article)
    response = post_comment(client, article, comment="Second thoughts.\n\nWith two paragraphs.")
    comment = Comment.objects.get(body__startswith="Second")
    assert comment.status == Status.APPROVED
    assert response.status_code == 302
    assert response["Location"] == f"{article.url}#comment-{comment.pk}"
    page = soup(client.get(article.url).content)
    shown = page.select_one(f"#comment-{comment.pk}")
    assert [text(p) for p in shown.select(".comment-content p")] == [
        "Second thoughts.",
        "With two paragraphs.",
    ]
    assert text(page.select_one("#comments-title")) == "2 comments"
    assert CommentCount.objects.get(article=article).approved == 2


def test_a_held_comment_is_seen_by_its_author_only(client, article, django_user_model):
    response = post_comment(client, article, comment="My very first comment.")
    comment = Comment.objects.get()
    assert comment.status == Status.PENDING
    assert response["Location"] == f"{article.url}#comment-{comment.pk}"
    mine = client.get(article.url)
    held = soup(mine.content).select_one(f"#comment-{comment.pk}")
    assert "Your comment is awaiting moderation." in text(held)
    assert "private" in mine["Cache-Control"]
    client.cookies.clear()
    other = client.get(article.url)
    assert "My very first comment." not in other.content.decode()
    assert "awaiting moderation" not in other.content.decode()


def test_the_approved_comment_is_shown_through_the_page_cache(client, article):
    approved_author(article)
    assert client.get(article.url)["X-Cache"] == "MISS"
    assert client.get(article.url)["X-Cache"] == "HIT"
    post_comment(client, article, comment="Fresh news from a reader.")
    client.cookies.clear()
    response = client.get(article.url)
    assert "Fresh news from a reader." in response.content.decode()
    assert response["X-Cache"] == "MISS"  # purged by the approval


def test_double_submit_stores_one_comment(client, article):
    approved_author(article)
    from .conftest import form_data

    data = form_data(article, comment="Clicked twice.")
    first = client.post("/comments/post", data, REMOTE_ADDR="203.0.113.5")
    second = client.post("/comments/post", data, REMOTE_ADDR="203.0.113.5")
    assert Comment.objects.filter(body="Clicked twice.").count() == 1
    assert first["Location"] == second["Location"]


def test_readers_sharing_a_front_cached_token_each_get_their_comment(client, article, rules):
    rules.require_previous_approval = False
    rules.save()
    from .conftest import form_data

    shared = form_data(article)["token"]
    for number in range(3):
        response = post_comment(
            client, article, token=shared, comment=f"Reader {number}.", email=f"r{number}@x.org"
        )
        assert response.status_code == 302
    assert Comment.objects.count() == 3
