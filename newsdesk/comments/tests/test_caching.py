"""Posting from cached pages: fresh tokens on every hit, cross-site posts refused, a reader's
own state (held comments, saved details) never in a shared copy, approval purges the page."""

import re

import pytest

from newsdesk.comments import tokens
from newsdesk.comments.display import AUTHOR_COOKIE, HELD_COOKIE
from newsdesk.comments.models import Comment, Status
from newsdesk.comments.moderation import perform_approve
from newsdesk.core.testing import soup

from .conftest import approved_author, form_data, post_comment

pytestmark = pytest.mark.django_db


def token_of(response) -> str:
    return soup(response.content).select_one("input[name=token]")["value"]


def test_every_cached_view_gets_its_own_token(client, article):
    first = client.get(article.url)
    second = client.get(article.url)
    assert (first["X-Cache"], second["X-Cache"]) == ("MISS", "HIT")
    assert token_of(first) != token_of(second)
    for response in (first, second):
        token = tokens.read(token_of(response))
        assert token.article == article.pk and 0 <= token.age < 5
    # The form's token never touches Django's CSRF cookie (which would make pages personal).
    assert not first.cookies and not second.cookies


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "http://testserver"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},
        {"HTTP_REFERER": "https://evil.example/page.html"},
    ],
    ids=["other-origin", "null-origin", "fetch-cross-site", "fetch-same-site", "other-referer"],
)
def test_cross_site_posts_are_refused(client, article, headers):
    approved_author(article)
    response = post_comment(client, article, headers=headers)
    assert response.status_code == 403
    assert "this site's own pages" in response.content.decode()
    assert Comment.objects.count() == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "http://testserver", "HTTP_SEC_FETCH_SITE": "same-origin"},
        {"HTTP_REFERER": "http://testserver/world/story/"},
        {"HTTP_ORIGIN": "http://127.0.0.1:8000"},  # NEWSDESK_BASE_URL
        {},
    ],
    ids=["same-origin", "own-referer", "base-url", "no-headers"],
)
def test_own_pages_may_post(client, article, headers):
    approved_author(article)
    assert post_comment(client, article, headers=headers).status_code == 302


def test_held_comments_bypass_the_page_cache_for_their_author_only(client, article):
    client.get(article.url)  # cached for everybody
    post_comment(client, article, comment="Please approve me.")
    assert HELD_COOKIE in client.cookies
    mine = client.get(article.url)
    assert "X-Cache" not in mine and "private" in mine["Cache-Control"]
    assert "Your comment is awaiting moderation." in mine.content.decode()
    client.cookies.clear()
    shared = client.get(article.url)
    assert shared["X-Cache"] == "HIT"
    assert "Please approve me." not in shared.content.decode()


def test_a_forged_held_cookie_shows_nothing(client, article):
    post_comment(client, article, comment="Somebody else's held comment.")
    held = Comment.objects.get()
    client.cookies.clear()
    client.cookies[HELD_COOKIE] = f"[{held.pk}]"
    assert "Somebody else" not in client.get(article.url).content.decode()


def test_details_are_remembered_only_when_ticked_and_never_cached(client, article, rules):
    rules.flood_seconds = 0
    rules.save()
    approved_author(article, email="saver@example.com", name="Sam Saver")
    post_comment(
        client,
        article,
        comment="Not ticked.",
        author="Sam Saver",
        email="saver@example.com",
        ip="192.0.2.90",
    )
    assert client.cookies[AUTHOR_COOKIE].value == ""  # cleared, not set
    client.cookies.clear()
    response = post_comment(
        client,
        article,
        comment="Ticked.",
        author="Sam Saver",
        email="saver@example.com",
        url="https://sam.example/",
        remember="yes",
        ip="192.0.2.91",
    )
    assert response.status_code == 302
    assert client.cookies[AUTHOR_COOKIE]["httponly"]
    del client.cookies["newsdesk_wrote"]
    prefilled = client.get(article.url)
    page = soup(prefilled.content)
    assert page.select_one("input[name=author]")["value"] == "Sam Saver"
    assert page.select_one("input[name=email]")["value"] == "saver@example.com"
    assert page.select_one("input[name=url]")["value"] == "https://sam.example/"
    assert page.select_one("input[name=remember]").has_attr("checked")
    assert "private" in prefilled["Cache-Control"]
    client.cookies.clear()
    for _ in range(2):
        shared = client.get(article.url).content.decode()
        assert "saver@example.com" not in shared and "Sam Saver" in shared  # name on the comment
        assert 'value="Sam Saver"' not in shared


def test_approving_purges_the_cached_article(client, article, django_capture_on_commit_callbacks):
    post_comment(client, article, comment="Held for now.")
    client.cookies.clear()
    assert "Held for now." not in client.get(article.url).content.decode()
    assert client.get(article.url)["X-Cache"] == "HIT"
    with django_capture_on_commit_callbacks(execute=True):
        perform_approve(Comment.objects.all())
    fresh = client.get(article.url)
    assert fresh["X-Cache"] == "MISS"
    assert "Held for now." in fresh.content.decode()
    assert "awaiting moderation" not in fresh.content.decode()


def test_a_reply_through_the_form_lands_under_its_parent(client, article):
    parent = approved_author(article)
    data = form_data(article, comment="Replying here.", parent=str(parent.pk))
    response = client.post("/comments/post", data, REMOTE_ADDR="192.0.2.99")
    reply = Comment.objects.get(body="Replying here.")
    assert reply.parent == parent and reply.status == Status.APPROVED
    assert response["Location"].endswith(f"#comment-{reply.pk}")
    page = soup(client.get(article.url + "?x").content)
    assert page.select_one(f"#comment-{parent.pk} > ol.children > #comment-{reply.pk}")


def test_the_varnish_configuration_passes_readers_with_comment_cookies():
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("front_config", "varnish", "--backend", "127.0.0.1:8000", stdout=out)
    rule = next(line for line in out.getvalue().splitlines() if "req.http.Cookie ~" in line)
    assert HELD_COOKIE in rule and AUTHOR_COOKIE in rule


def test_the_fresh_token_leaves_etags_and_conditional_requests_working(client, article):
    first = client.get(article.url)
    second = client.get(article.url)
    assert token_of(first) != token_of(second)
    assert first["ETag"] == second["ETag"]
    again = client.get(article.url, headers={"If-None-Match": second["ETag"]})
    assert again.status_code == 304


def test_rendered_threads_show_every_change_at_once_without_any_purge(client, article, rules):
    """Pages rendered for readers the page cache passes by reuse the comment section rendered
    before (the shared cache, under a digest of what it shows): changes made without a save
    signal or a purge (queryset updates) must still show on the next view, with a new token."""
    client.cookies["newsdesk_wrote"] = "1"  # a personal cookie: every view is rendered
    first = approved_author(article, name="Ann Early")

    def view():
        response = client.get(article.url)
        assert "X-Cache" not in response
        return response, response.content.decode()

    before, html = view()
    again, html_again = view()
    assert "Ann Early" in html and token_of(before) != token_of(again)
    strip = lambda text: re.sub(r"<!--volatile-->.*?<!--/volatile-->", "", text, flags=re.S)  # noqa: E731
    assert strip(html) == strip(html_again)

    Comment.objects.filter(pk=first.pk).update(body="Edited by the moderator.")
    assert "Edited by the moderator." in view()[1]
    Comment.objects.filter(pk=first.pk).update(name="Ann Renamed", website="https://ann.example/")
    html = view()[1]
    assert "Ann Renamed" in html and 'href="https://ann.example/"' in html

    later = Comment.objects.create(
        article=article, name="Bo Later", email="bo@example.com", body="Held at first."
    )
    assert "Held at first." not in view()[1]
    Comment.objects.filter(pk=later.pk).update(status=Status.APPROVED)
    html = view()[1]
    assert "Held at first." in html and "2 comments" in html
    Comment.objects.filter(pk=later.pk).update(parent=first)
    assert soup(view()[1]).select_one(f"#comment-{first.pk} .children #comment-{later.pk}")

    rules.thread_depth = 1
    rules.save()
    assert not soup(view()[1]).select(".comment-reply-link")
    article.comments_open = False
    article.save_revision().publish()
    assert "Comments are closed." in view()[1]

    Comment.objects.filter(pk=first.pk).update(status=Status.SPAM)
    html = view()[1]
    assert "Ann Renamed" not in html and "Held at first." not in html  # a reply goes with it
    assert "One comment" in html


def test_a_reply_form_is_rendered_for_its_parent(client, article):
    client.cookies["newsdesk_wrote"] = "1"
    one = approved_author(article, name="Ann Early")
    two = approved_author(article, name="Bo Second", email="bo@example.com")
    for parent in (one, two, one):
        page = soup(client.get(f"{article.url}?replytocom={parent.pk}").content)
        assert page.select_one("input[name=parent]")["value"] == str(parent.pk)
        assert page.select_one("#reply-title").get_text().startswith(f"Reply to {parent.name}")
    plain = soup(client.get(article.url).content)
    assert plain.select_one("input[name=parent]")["value"] == ""
