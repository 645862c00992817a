"""The moderation rules, one at a time, through the real POST (WordPress's defaults)."""

import time

import pytest
from django.core.cache import cache, caches
from django.test import override_settings

from newsdesk.comments import policy
from newsdesk.comments.models import Comment, Status
from newsdesk.core.cache import ResilientRedisCache
from newsdesk.core.testing import soup, text

from .conftest import approved_author, post_comment

pytestmark = pytest.mark.django_db


def stored(body: str) -> Comment:
    return Comment.objects.get(body=body)


def error_text(response) -> str:
    return text(soup(response.content).select_one(".comment-form__errors"))


def test_a_first_time_author_is_held_and_an_approved_author_is_not(client, article):
    post_comment(client, article, comment="Hello, first time here.", email="new@example.com")
    first = stored("Hello, first time here.")
    assert first.status == Status.PENDING
    assert [r["rule"] for r in first.spam_reasons] == ["first comment"]
    approved_author(article, email="known@example.com")
    post_comment(client, article, comment="Known author again.", email="KNOWN@example.com")
    assert stored("Known author again.").status == Status.APPROVED


def test_the_previous_approval_rule_can_be_turned_off(client, article, rules):
    rules.require_previous_approval = False
    rules.save()
    post_comment(client, article, comment="Straight through.", email="new@example.com")
    assert stored("Straight through.").status == Status.APPROVED


def test_two_links_hold_a_comment(client, article, rules):
    rules.flood_seconds = 0
    rules.save()
    approved_author(article)
    post_comment(client, article, comment="One link https://a.example/ is fine.")
    assert stored("One link https://a.example/ is fine.").status == Status.APPROVED
    body = "Two links https://a.example/ and www.b.example here."
    post_comment(client, article, comment=body, ip="192.0.2.77")
    comment = stored(body)
    assert comment.status == Status.PENDING
    assert {"rule": "links", "detail": "2 links", "weight": 0.2} in comment.spam_reasons


def test_moderation_words_hold_and_disallowed_words_are_spam(client, article, rules):
    approved_author(article)
    approved_author(article, email="other@example.com", name="Other")
    rules.moderation_words = "casino\n"
    rules.disallowed_words = "cheap pills\nbadsite.example"
    rules.save()
    post_comment(client, article, comment="I won at the Casino last night.")
    held = stored("I won at the Casino last night.")
    assert held.status == Status.PENDING
    assert held.spam_reasons[0]["rule"] == "moderation words"
    response = post_comment(
        client,
        article,
        comment="A normal looking comment.",
        email="other@example.com",
        url="https://badsite.example/",
    )
    spam = stored("A normal looking comment.")
    assert spam.status == Status.SPAM
    assert spam.spam_score == 1.0
    assert spam.spam_reasons[0] == {
        "rule": "disallowed words",
        "detail": "badsite.example",
        "weight": 1.0,
    }
    assert response["Location"].endswith("#comments")  # spam is not shown, even to its author
    assert "A normal looking comment." not in client.get(article.url).content.decode()


def test_flood_from_one_address_is_refused_with_a_message(client, article):
    approved_author(article)
    post_comment(client, article, comment="First.", ip="192.0.2.10")
    response = post_comment(
        client, article, comment="Second.", ip="192.0.2.10", email="else@example.com"
    )
    assert response.status_code == 429
    assert error_text(response) == policy.REFUSED_FLOOD
    assert soup(response.content).select_one("textarea[name=comment]").string.strip() == "Second."
    assert not Comment.objects.filter(body="Second.").exists()


def test_flood_from_one_email_is_refused(client, article):
    approved_author(article)
    post_comment(client, article, comment="First.", ip="192.0.2.11")
    response = post_comment(client, article, comment="Second.", ip="192.0.2.12")
    assert response.status_code == 429
    assert not Comment.objects.filter(body="Second.").exists()


def test_flood_window_follows_the_setting(client, article, rules):
    rules.flood_seconds = 0
    rules.save()
    approved_author(article)
    post_comment(client, article, comment="First.", ip="192.0.2.13")
    assert post_comment(client, article, comment="Second.", ip="192.0.2.13").status_code == 302


def test_exact_duplicates_are_refused(client, article, rules):
    rules.flood_seconds = 0
    rules.save()
    approved_author(article)
    post_comment(client, article, comment="Same words.")
    response = post_comment(client, article, comment="Same words.")
    assert response.status_code == 409
    assert error_text(response) == policy.REFUSED_DUPLICATE
    assert Comment.objects.filter(body="Same words.").count() == 1


def test_the_honeypot_refuses_bots(client, article):
    approved_author(article)
    response = post_comment(client, article, comment="Buy now.", fax="+1 555 0100")
    assert response.status_code == 400
    assert error_text(response) == policy.REFUSED_HONEYPOT
    assert not Comment.objects.filter(body="Buy now.").exists()


def test_posting_sooner_than_the_minimum_time_is_refused_then_accepted(client, article, rules):
    approved_author(article)
    from newsdesk.comments import tokens

    token = tokens.issue(article.pk, now=time.time() - 1)
    response = post_comment(client, article, comment="Typed fast.", token=token)
    assert response.status_code == 400
    assert error_text(response) == policy.REFUSED_TOO_FAST
    # The form comes back with the same token: posting it again a moment later works.
    again = soup(response.content).select_one("input[name=token]")["value"]
    assert again == token
    rules.minimum_seconds = 1
    rules.save()
    time.sleep(1)
    assert post_comment(client, article, comment="Typed fast.", token=again).status_code == 302


def test_rate_limit_five_a_minute_per_address(client, article, rules):
    rules.flood_seconds = 0
    rules.require_previous_approval = False
    rules.save()
    codes = [
        post_comment(
            client, article, comment=f"Note {n}.", email=f"r{n}@example.com", ip="192.0.2.50"
        ).status_code
        for n in range(6)
    ]
    assert codes == [302] * 5 + [429]
    # Another address is not affected.
    assert post_comment(client, article, comment="Other.", ip="192.0.2.51").status_code == 302


def test_rate_limit_thirty_an_hour_per_address(rules):
    start = 1_700_000_000 // 3600 * 3600
    allowed = [
        policy.within_rate("192.0.2.60", 5, 30, now=start + minute * 60 + second)
        for minute in range(8)
        for second in range(5)
    ]
    assert allowed.count(True) == 30
    assert allowed[:30] == [True] * 30 and not any(allowed[30:])


def test_the_rate_limit_lives_in_the_shared_cache(rules):
    policy.within_rate("192.0.2.70", 5, 30, now=1_700_000_000)
    keys = [f"comments:rate:60:{1_700_000_000 // 60}:192.0.2.70"]
    assert cache.get(keys[0]) == 1


def test_the_rate_limit_lets_posts_through_while_redis_is_unreachable(rules):
    """Counted in one Redis round trip; a Redis that refuses connections lets readers post."""
    from newsdesk.core.config import parse_cache_url

    unreachable = parse_cache_url("NEWSDESK_REDIS_URL", "redis://127.0.0.1:9/0")
    with override_settings(CACHES={"default": unreachable}):
        assert isinstance(caches["default"], ResilientRedisCache)
        assert all(policy.within_rate("192.0.2.80", 1, 1, now=1_700_000_000) for _ in range(3))
        assert not caches["default"].breaker.allows()  # and Redis is left alone for a while
        assert policy.within_rate("192.0.2.80", 1, 1, now=1_700_000_000)


def test_the_spam_score_adds_up_the_reasons(client, article, rules):
    rules.moderation_words = "crypto"
    rules.save()
    body = "crypto tips at https://a.example/ and https://b.example/ and https://c.example/"
    post_comment(client, article, comment=body, email="first@example.com")
    comment = stored(body)
    assert comment.status == Status.PENDING
    assert [r["rule"] for r in comment.spam_reasons] == [
        "moderation words",
        "links",
        "first comment",
    ]
    assert comment.spam_score == pytest.approx(0.4 + 0.3 + 0.1)
