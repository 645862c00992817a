"""Readers of a live site (a `newsdesk serve` subprocess) posting comments over HTTP."""

import itertools
import re
import time
from dataclasses import dataclass

import requests

from newsdesk.core.testing import admin_session, newsdesk, soup

SEED_PATH = "/world/biden-considers-allowing-ukraine-to-use-long-range-missiles-against-russia/"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0"
_numbers = itertools.count(1)


@dataclass
class Form:
    article: str
    token: str


def fresh_address() -> str:
    number = next(_numbers)
    return f"198.18.{number // 200}.{number % 200 + 1}"


def read_form(html: str) -> Form:
    page = soup(html)
    return Form(
        article=page.select_one("#commentform input[name=article]")["value"],
        token=page.select_one("#commentform input[name=token]")["value"],
    )


class Reader:
    """One reader: their own address (through our trusted proxy header) and cookie jar."""

    def __init__(self, url: str, address: str | None = None):
        self.url = url
        self.address = address or fresh_address()
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": BROWSER, "X-Forwarded-For": self.address})

    def form(self, path: str = SEED_PATH) -> Form:
        response = self.session.get(self.url + path, timeout=30)
        response.raise_for_status()
        # A reader comes back to post after a while, on a new connection (an idle kept-alive
        # one may be closed by the server just as it is reused).
        self.session.close()
        return read_form(response.text)

    def post(self, form: Form, **fields) -> requests.Response:
        data = {
            "comment": "A comment.",
            "author": "Live Reader",
            "email": f"reader-{self.address}@live.example",
            "url": "",
            "article": form.article,
            "parent": "",
            "token": form.token,
            "fax": "",
        }
        data.update(fields)
        return self.session.post(
            self.url + "/comments/post",
            data=data,
            headers={"Origin": self.url, "Sec-Fetch-Site": "same-origin"},
            allow_redirects=False,
            timeout=60,
        )


def wait_minimum_time(seconds: float = 3.1) -> None:
    time.sleep(seconds)


def django_shell(env: dict, code: str) -> str:
    return newsdesk(env, "shell", "-c", code).stdout


def count_comments(env: dict, **filters) -> int:
    args = ", ".join(f"{key}={value!r}" for key, value in filters.items())
    out = django_shell(
        env,
        "from newsdesk.comments.models import Comment; "
        f"print('COUNT', Comment.objects.filter({args}).count())",
    )
    return int(re.search(r"COUNT (\d+)", out).group(1))


MODERATOR = "comments-test-moderator"
MODERATOR_PASSWORD = "a long test password for the moderator"


def moderator_session(url: str, env: dict) -> requests.Session:
    """A member of the Comment moderator group, signed in to the admin (made on first use)."""
    django_shell(
        env,
        "from django.contrib.auth.models import Group, User; "
        f"user = User.objects.filter(username={MODERATOR!r}).first() or "
        f"User.objects.create_user({MODERATOR!r}, 'moderator@newsroom.example', "
        f"{MODERATOR_PASSWORD!r}); "
        "user.groups.add(Group.objects.get(name='Comment moderator'))",
    )
    return admin_session(url, MODERATOR, MODERATOR_PASSWORD)


def approve_all(url: str, env: dict) -> int:
    """Approve every held comment through the admin's queue, as a moderator would (the purge
    then reaches the server's own page cache, wherever it lives)."""
    browser = moderator_session(url, env)
    approved = 0
    while True:
        html = browser.get(url + "/admin/comments/?status=pending", timeout=30).text
        ids = [box["value"] for box in soup(html).select("input[name=ids]")]
        if not ids:
            return approved
        response = browser.post(
            url + "/admin/comments/?status=pending",
            data={
                "action": "approve",
                "ids": ids,
                "csrfmiddlewaretoken": browser.cookies["csrftoken"],
            },
            timeout=60,
        )
        response.raise_for_status()
        approved += len(ids)


ADMIN = "comments-test-admin"
RULE_DEFAULTS = {
    "require_previous_approval": True,
    "hold_links": 2,
    "moderation_words": "",
    "disallowed_words": "",
    "flood_seconds": 15,
    "minimum_seconds": 3,
    "rate_per_minute": 5,
    "rate_per_hour": 30,
    "thread_depth": 3,
    "notify_moderators": True,
}


def set_rules(url: str, env: dict, **values) -> None:
    """Change the comment settings through the admin's Settings → Comments form, as an
    administrator does (the server forgets its cached copy)."""
    django_shell(
        env,
        "from django.contrib.auth.models import User; "
        f"User.objects.filter(username={ADMIN!r}).exists() or "
        f"User.objects.create_superuser({ADMIN!r}, 'admin@newsroom.example', "
        f"{MODERATOR_PASSWORD!r})",
    )
    browser = admin_session(url, ADMIN, MODERATOR_PASSWORD)
    form = browser.get(url + "/admin/settings/comments/commentsettings/", timeout=30)
    data = {"csrfmiddlewaretoken": browser.cookies["csrftoken"]}
    for name, value in {**RULE_DEFAULTS, **values}.items():
        if value is True:
            data[name] = "on"
        elif value is not False:
            data[name] = str(value)
    response = browser.post(form.url, data=data, timeout=30, allow_redirects=False)
    if response.status_code != 302:
        raise AssertionError(f"the settings form refused {values}: {response.text[-2000:]}")
