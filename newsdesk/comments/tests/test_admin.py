"""Moderation in the Wagtail admin: queues with counts, the pending badge, bulk and single
actions, editing, staff replies, e-mail to moderators, the moderator role, address retention."""

import json
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone

from newsdesk.comments.models import Comment, CommentCount, Status
from newsdesk.comments.tasks import forget_addresses
from newsdesk.core.scheduler import periodic_tasks
from newsdesk.core.testing import soup, text
from newsdesk.editorial.roles import COMMENT_MODERATOR

from .conftest import post_comment

pytestmark = pytest.mark.django_db
QUEUE = "/admin/comments/"


@pytest.fixture
def moderator(db):
    user = get_user_model().objects.create_user(
        "molly", "molly@newsroom.example", "correct horse battery staple", first_name="Molly"
    )
    user.groups.add(Group.objects.get(name=COMMENT_MODERATOR))
    return user


@pytest.fixture
def queue(article):
    made = {}
    for status, count in [(Status.PENDING, 3), (Status.APPROVED, 2), (Status.SPAM, 1)]:
        made[status] = [
            Comment.objects.create(
                article=article,
                name=f"{status} author {n}",
                email=f"{status}{n}@example.com",
                body=f"{status} comment {n}",
                status=status,
                spam_score=0.5,
                spam_reasons=[{"rule": "links", "detail": "3 links", "weight": 0.3}],
                ip="192.0.2.1",
            )
            for n in range(count)
        ]
    return made


def tabs(response) -> list[str]:
    return [text(a) for a in soup(response.content).select(".comment-queues a")]


def rows(response) -> list[str]:
    return [text(td) for td in soup(response.content).select("tbody tr td:nth-child(3)")]


def test_queues_with_counts_and_reasons(client, moderator, queue):
    client.force_login(moderator)
    response = client.get(QUEUE)
    assert response.status_code == 200
    assert tabs(response) == ["Pending (3)", "Approved (2)", "Spam (1)", "Trash (0)"]
    assert len(rows(response)) == 3
    page = text(soup(response.content).select_one("tbody"))
    assert "links: 3 links" in page and "0.5" in page and "pending0@example.com" in page
    assert len(rows(client.get(QUEUE + "?status=spam"))) == 1


def test_the_menu_shows_the_pending_count(client, moderator, queue):
    client.force_login(moderator)
    html = client.get("/admin/").content.decode()
    sidebar = json.loads(soup(html).select_one("#wagtail-sidebar-props").string)
    found = json.dumps(sidebar)
    assert '"data-pending": "3"' in found
    assert "Comments, 3 pending" in found


def test_bulk_approve_spam_trash_and_restore(client, moderator, queue, article):
    client.force_login(moderator)
    pending = [c.pk for c in queue[Status.PENDING]]
    client.post(QUEUE + "?status=pending", {"action": "approve", "ids": pending[:2]})
    assert CommentCount.objects.get(article=article).approved == 4
    client.post(QUEUE + "?status=pending", {"single": f"spam:{pending[2]}"})
    assert Comment.objects.get(pk=pending[2]).status == Status.SPAM
    client.post(QUEUE + "?status=approved", {"action": "trash", "ids": pending[:2]})
    assert set(Comment.objects.filter(pk__in=pending[:2]).values_list("status", flat=True)) == {
        Status.TRASH
    }
    assert CommentCount.objects.get(article=article).approved == 2
    response = client.post(
        QUEUE + "?status=trash", {"action": "restore", "ids": pending[:2]}, follow=True
    )
    assert "2 comments restored." in response.content.decode()
    assert set(Comment.objects.filter(pk__in=pending[:2]).values_list("status", flat=True)) == {
        Status.APPROVED
    }
    client.post(QUEUE + "?status=spam", {"single": f"restore:{pending[2]}"})
    assert Comment.objects.get(pk=pending[2]).status == Status.PENDING  # where it came from
    assert tabs(client.get(QUEUE)) == ["Pending (1)", "Approved (4)", "Spam (1)", "Trash (0)"]


def test_approval_shows_the_comment_to_readers(client, moderator, queue, article):
    assert "pending comment 0" not in client.get(article.url).content.decode()
    client.force_login(moderator)
    client.post(QUEUE, {"action": "approve", "ids": [queue[Status.PENDING][0].pk]})
    client.logout()
    client.cookies.clear()
    assert "pending comment 0" in client.get(article.url).content.decode()


def test_edit_a_comment(client, moderator, queue, article):
    client.force_login(moderator)
    comment = queue[Status.APPROVED][0]
    url = f"/admin/comments/{comment.pk}/edit/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "name": "Edited Name",
            "email": comment.email,
            "website": "",
            "body": "Edited text.",
            "status": "approved",
        },
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert (comment.name, comment.body, comment.moderated_by) == (
        "Edited Name",
        "Edited text.",
        moderator,
    )
    client.post(url, {"name": "x", "email": comment.email, "body": "y", "status": "trash"})
    assert Comment.objects.get(pk=comment.pk).status == Status.TRASH
    assert CommentCount.objects.get(article=article).approved == 1
    bad = client.post(url, {"name": "x", "email": "nope", "body": "y", "status": "approved"})
    assert bad.status_code == 200 and "valid email" in bad.content.decode()


def test_reply_as_staff(client, moderator, queue, article):
    client.force_login(moderator)
    parent = queue[Status.PENDING][0]
    response = client.post(f"/admin/comments/{parent.pk}/reply/", {"body": "Thanks, fixed."})
    reply = Comment.objects.get(body="Thanks, fixed.")
    assert response["Location"] == f"{article.url}#comment-{reply.pk}"
    assert (reply.status, reply.user, reply.parent, reply.name) == (
        Status.APPROVED,
        moderator,
        parent,
        "Molly",
    )
    parent.refresh_from_db()
    assert parent.status == Status.APPROVED  # replying publishes the held comment
    client.logout()
    page = soup(client.get(article.url).content)
    shown = page.select_one(f"#comment-{parent.pk} > ol.children > #comment-{reply.pk}")
    assert "Staff" in text(shown.select_one(".comment-author"))
    assert "molly@newsroom.example" not in str(page)


def test_moderators_are_emailed_about_held_comments(client, article, moderator, admin_user):
    get_user_model().objects.create_user("reporter", "reporter@newsroom.example", "x")
    post_comment(client, article, comment="Please look at this.", email="held@example.com")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert set(message.to) == {"molly@newsroom.example", admin_user.email}
    assert "Please look at this." in message.body
    assert "http://127.0.0.1:8000/admin/comments/?status=pending" in message.body
    assert "first comment" in message.body


def test_the_comment_moderator_sees_the_queues_and_nothing_else(client, moderator):
    client.force_login(moderator)
    html = client.get("/admin/").content.decode()
    sidebar = json.loads(soup(html).select_one("#wagtail-sidebar-props").string)
    labels = set(re.findall(r'"label": "([^"]+)"', json.dumps(sidebar)))
    personal = {"Account", "Log out", "Help", "Editor Guide", "Shortcuts"}
    assert {label for label in labels - personal if "Wagtail" not in label} == {"Comments"}
    home = soup(html)
    assert [text(h) for h in home.select("main h2")][-1:] == ["Comments waiting"]
    assert len(home.select("main section")) <= 2
    assert "Readership" not in html
    for url in [
        "/admin/pages/",
        "/admin/images/",
        "/admin/documents/",
        "/admin/snippets/",
        "/admin/users/",
        "/admin/settings/comments/commentsettings/",
        "/admin/reports/locked/",
    ]:
        assert client.get(url).status_code in {302, 403}, url


def test_readers_and_contributors_cannot_moderate(client, article, queue):
    assert client.get(QUEUE).status_code == 302  # to the sign-in page
    from newsdesk.editorial.tests.newsroom import make_user

    client.force_login(make_user("cora", "Contributor"))
    assert client.get(QUEUE).status_code in {302, 403}
    client.post(QUEUE, {"action": "approve", "ids": [queue[Status.PENDING][0].pk]})
    assert Comment.objects.get(pk=queue[Status.PENDING][0].pk).status == Status.PENDING


def test_addresses_are_forgotten_after_the_retention_period(article, settings):
    settings.NEWSDESK_COMMENTS_IP_RETENTION_DAYS = 60
    old = Comment.objects.create(
        article=article,
        name="Old",
        email="old@example.com",
        body="Old.",
        ip="192.0.2.1",
        user_agent="Firefox",
        created_at=timezone.now() - timedelta(days=61),
    )
    recent = Comment.objects.create(
        article=article,
        name="New",
        email="new@example.com",
        body="New.",
        ip="192.0.2.2",
        user_agent="Firefox",
        created_at=timezone.now() - timedelta(days=59),
    )
    assert "comments.forget_addresses" in [job.name for job in periodic_tasks()]
    assert forget_addresses.enqueue().return_value == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.ip, old.user_agent) == (None, "")
    assert (recent.ip, recent.user_agent) == ("192.0.2.2", "Firefox")
