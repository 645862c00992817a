"""The moderation policy: what happens to a comment, and why.

:func:`judge` applies the rules of :class:`~newsdesk.comments.models.CommentSettings` in order.
Refusals come first (nothing is stored; the reader is told why and keeps what they typed): the
honeypot, the minimum time since the form was served, the per-address rate limit, flood control
and exact duplicates. Then the comment is classified: disallowed words → spam; moderation words,
too many links or an author without an approved comment → held (pending); else approved.

Each rule that fired adds a reason (``{"rule", "detail", "weight"}``); the weights add up to the
spam score (0–1) moderators see beside the comment.
"""

import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import connection
from django.utils import timezone

from newsdesk.core.cache import window_counts

from .models import Comment, CommentSettings, Status, word_list
from .text import count_links

REFUSED_HONEYPOT = "Your comment could not be accepted."
REFUSED_TOO_FAST = (
    "That was quick! Please read your comment over and post it again (bots post instantly)."
)
REFUSED_RATE = "You are posting comments too quickly. Please wait a minute and try again."
REFUSED_FLOOD = "You are posting comments too quickly. Slow down."
REFUSED_DUPLICATE = "Duplicate comment detected; it looks as though you’ve already said that!"


@dataclass
class Submission:
    article_id: int
    name: str
    email: str
    website: str
    body: str
    ip: str | None
    user_agent: str
    honeypot: str = ""
    form_age: float = 0.0


@dataclass
class Verdict:
    status: str = Status.APPROVED
    reasons: list[dict] = field(default_factory=list)
    refusal: str = ""
    http_status: int = 200

    @property
    def refused(self) -> bool:
        return bool(self.refusal)

    @property
    def score(self) -> float:
        return round(min(1.0, sum(reason["weight"] for reason in self.reasons)), 2)

    def add(self, rule: str, detail: str, weight: float) -> None:
        self.reasons.append({"rule": rule, "detail": detail, "weight": weight})

    def refuse(self, rule: str, message: str, http_status: int) -> "Verdict":
        self.add(rule, message, 1.0)
        self.refusal, self.http_status = message, http_status
        return self


def found_words(words: list[str], *texts: str) -> list[str]:
    haystack = "\n".join(texts).lower()
    return [word for word in words if word in haystack]


def within_rate(ip: str | None, per_minute: int, per_hour: int, now: float | None = None) -> bool:
    """A fixed-window counter per address in the shared cache (Redis in production), so every
    process and machine counts together; every attempt counts in both windows. Fails open when
    the cache is unreachable."""
    if not ip:
        return True
    now = now if now is not None else time.time()
    windows = [
        (f"comments:rate:{window}:{int(now // window)}:{ip}", window + 5, limit)
        for window, limit in ((60, per_minute), (3600, per_hour))
    ]
    counts = window_counts([(key, seconds) for key, seconds, _ in windows])
    return all(count <= limit for count, (_, _, limit) in zip(counts, windows, strict=True))


FACTS_SQL = """
SELECT
  {flood},
  EXISTS (SELECT 1 FROM {table} WHERE article_id = %s AND body = %s
          AND (email = %s OR name = %s) AND status <> %s),
  EXISTS (SELECT 1 FROM {table} WHERE email = %s AND status = %s)
"""
FLOOD_SQL = "EXISTS (SELECT 1 FROM {table} WHERE (email = %s OR ip = %s) AND created_at >= %s)"


def facts(s: Submission, rules: CommentSettings, now) -> dict[str, bool]:
    """What the database knows about this author and text, in one query: a recent comment from
    the same address or e-mail (flood), the same text already (duplicate), an approved comment
    by the same e-mail (a known author). Plain SQL: this runs on every comment POST, and
    building the same three subqueries through the ORM cost more than running them."""
    table = connection.ops.quote_name(Comment._meta.db_table)
    params = []
    if rules.flood_seconds:
        since = now - timedelta(seconds=rules.flood_seconds)
        flood = FLOOD_SQL.format(table=table)
        params += [s.email, s.ip, connection.ops.adapt_datetimefield_value(since)]
    else:
        flood = "0 = 1"
    params += [s.article_id, s.body, s.email, s.name, Status.TRASH, s.email, Status.APPROVED]
    with connection.cursor() as cursor:
        cursor.execute(FACTS_SQL.format(table=table, flood=flood), params)
        flood_found, duplicate, known = cursor.fetchone()
    return {"flood": bool(flood_found), "duplicate": bool(duplicate), "known": bool(known)}


def judge(submission: Submission, rules: CommentSettings | None = None, now=None) -> Verdict:
    rules = rules or CommentSettings.current()
    now = now or timezone.now()
    verdict = Verdict()
    s = submission

    if s.honeypot.strip():
        return verdict.refuse("honeypot", REFUSED_HONEYPOT, 400)
    if s.form_age < rules.minimum_seconds:
        return verdict.refuse("too fast", REFUSED_TOO_FAST, 400)
    if not within_rate(s.ip, rules.rate_per_minute, rules.rate_per_hour):
        return verdict.refuse("rate limit", REFUSED_RATE, 429)
    found = facts(s, rules, now)
    if found.get("flood"):
        return verdict.refuse("flood", REFUSED_FLOOD, 429)
    if found.get("duplicate"):
        return verdict.refuse("duplicate", REFUSED_DUPLICATE, 409)

    texts = (s.name, s.email, s.website, s.body)
    disallowed = found_words(word_list(rules.disallowed_words), *texts, s.ip or "", s.user_agent)
    if disallowed:
        verdict.add("disallowed words", ", ".join(disallowed), 1.0)
        verdict.status = Status.SPAM
    held = found_words(word_list(rules.moderation_words), *texts, s.ip or "", s.user_agent)
    if held:
        verdict.add("moderation words", ", ".join(held), 0.4)
    links = count_links(s.body)
    if links >= rules.hold_links:
        verdict.add("links", f"{links} links", min(0.6, 0.2 + 0.1 * (links - rules.hold_links)))
    first_time = rules.require_previous_approval and not found.get("known")
    if first_time:
        verdict.add("first comment", "no approved comment from this e-mail address", 0.1)
    if verdict.status != Status.SPAM and (held or links >= rules.hold_links or first_time):
        verdict.status = Status.PENDING
    return verdict
