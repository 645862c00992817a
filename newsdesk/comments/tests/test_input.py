"""Bad input: limits, invisible characters, errors beside their fields with everything kept."""

import pytest

from newsdesk.comments.models import Comment
from newsdesk.comments.text import clean_body, clean_line
from newsdesk.core.testing import soup, text

from .conftest import approved_author, post_comment

pytestmark = pytest.mark.django_db


def field_error(response, name) -> str:
    element = soup(response.content).select_one(f"#{name}-error")
    return text(element) if element else ""


def test_every_error_is_beside_its_field_and_everything_typed_is_kept(client, article):
    response = post_comment(
        client,
        article,
        comment="  ",
        author="N" * 101,
        email="not-an-address",
        url="javascript:alert(1)",
        remember="yes",
    )
    assert response.status_code == 400
    page = soup(response.content)
    assert field_error(response, "comment") == "Please type your comment."
    assert "at most 100 characters" in field_error(response, "author")
    assert (
        field_error(response, "email") == "Enter a real e-mail address, such as name@example.com."
    )
    assert field_error(response, "url") == "Enter a web address starting with http:// or https://."
    assert page.select_one("input[name=author]")["value"] == "N" * 101
    assert page.select_one("input[name=email]")["value"] == "not-an-address"
    assert page.select_one("input[name=url]")["value"] == "javascript:alert(1)"
    assert page.select_one("input[name=remember]").has_attr("checked")
    assert page.select_one("#email")["aria-describedby"] == "email-error email-notes"
    assert page.select_one("#email")["aria-invalid"] == "true"
    assert response["Cache-Control"] == "no-store"
    assert not Comment.objects.exists()


def test_a_long_comment_is_refused_and_kept(client, article):
    body = "word " * 2001
    response = post_comment(client, article, comment=body)
    assert response.status_code == 400
    assert "at most 10000 characters" in field_error(response, "comment")
    assert soup(response.content).select_one("textarea").string.strip() == body.strip()


def test_limits_accept_exactly_the_maximum(client, article, rules):
    rules.require_previous_approval = False
    rules.save()
    assert post_comment(client, article, author="N" * 100, comment="b" * 10_000).status_code == 302
    assert Comment.objects.get().name == "N" * 100


@pytest.mark.parametrize(
    "address", ["plainaddress", "@example.com", "a@", "a b@example.com", "a@example..com"]
)
def test_only_real_email_addresses(client, article, address):
    assert post_comment(client, article, email=address).status_code == 400


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,<script>", "ftp://files.example/", "vbscript:x"]
)
def test_websites_must_be_http_or_https(client, article, url):
    assert post_comment(client, article, url=url).status_code == 400


def test_a_website_without_a_scheme_gets_https(client, article, rules):
    rules.require_previous_approval = False
    rules.save()
    post_comment(client, article, url="example.org/me")
    assert Comment.objects.get().website == "https://example.org/me"


def test_control_bidi_and_invisible_characters_are_stripped(client, article, rules):
    rules.require_previous_approval = False
    rules.save()
    response = post_comment(
        client,
        article,
        author="Ev\u202eil\u200b Na\x00me\u2066",
        comment="Line\x00 one\x07\r\nLine\u202e two\u200b\ufeff\n\U0001f468\u200d\U0001f469 ok",
        email="r\u200bosa@example.com",
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.name == "Evil Name"
    assert comment.body == "Line one\nLine two\n\U0001f468\u200d\U0001f469 ok"
    assert comment.email == "rosa@example.com"


def test_cleaning_functions():
    assert clean_line("\tTab\u200cbed\u2069 ") == "Tabbed"
    assert clean_body("a\u200cb\u0085c\x7f") == "a\u200cbc"


def test_a_comment_that_is_only_invisible_characters_is_empty(client, article):
    response = post_comment(client, article, comment="\u200b\u202e\x00")
    assert field_error(response, "comment") == "Please type your comment."


def test_forged_expired_or_foreign_tokens_are_refused_with_a_fresh_form(client, article, section):
    from newsdesk.comments import tokens
    from newsdesk.news.factories import ArticlePageFactory

    other = ArticlePageFactory(parent=section, title="Another story")
    for token in [
        "forged",
        tokens.issue(article.pk, now=0),
        tokens.issue(other.pk, now=1e9)[:-2] + "xx",
        tokens.issue(other.pk),
    ]:
        response = post_comment(client, article, token=token)
        assert response.status_code == 400
        assert "expired" in text(soup(response.content).select_one(".comment-form__errors"))
        fresh = soup(response.content).select_one("input[name=token]")["value"]
        assert fresh != token and tokens.read(fresh).article == article.pk
    assert not Comment.objects.exists()


def test_tokens_in_the_earlier_signed_json_form_still_post(client, article, settings):
    """Pages cached before the token became plain signed text still carry the JSON form."""
    import time

    from django.core import signing

    from newsdesk.comments import tokens

    earlier = signing.dumps(
        {"a": article.pk, "t": round(time.time() - 10, 3), "n": "n" * 24},
        salt=tokens.SALT,
        compress=False,
    )
    assert tokens.read(earlier).article == article.pk
    response = post_comment(client, article, token=earlier)
    assert response.status_code in (302, 303)
    assert Comment.objects.count() == 1


def test_tokens_follow_the_secret_key_and_its_fallbacks(article, settings):
    from newsdesk.comments import tokens

    token = tokens.issue(article.pk)
    settings.SECRET_KEY = "a-new-secret-key"
    assert tokens.read(token) is None
    settings.SECRET_KEY_FALLBACKS = ["newsdesk-test-key"]
    assert tokens.read(token).article == article.pk
    assert tokens.read(tokens.issue(article.pk)).article == article.pk


def test_garbage_posts_get_4xx_with_a_reason(client, article):
    assert client.post("/comments/post", {}).status_code == 400
    assert client.post("/comments/post", {"article": "x" * 40}).status_code == 400
    assert client.post("/comments/post", {"article": "999999"}).status_code == 404
    assert client.get("/comments/post").status_code == 405
    response = post_comment(client, article, parent="12345")
    assert response.status_code == 400
    approved_author(article)
    assert (
        client.post("/comments/post", {"article": str(article.pk), "comment": "x"}).status_code
        == 400
    )


def test_private_and_unpublished_articles_take_no_comments(client, article, section):
    from wagtail.models import PageViewRestriction

    restriction = PageViewRestriction.objects.create(
        page=section, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    assert post_comment(client, article).status_code == 404
    restriction.delete()
    approved_author(article)
    assert post_comment(client, article, comment="Now public.").status_code == 302
    article.unpublish()
    assert post_comment(client, article, comment="Now gone.").status_code == 404
