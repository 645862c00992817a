"""What readers see: the thread under an article, the reader's own held comments, the counts
on listings, and the cookies that remember a reader (both make their pages personal, so the
page cache and the front cache pass them by: see ``NEWSDESK_PERSONAL_COOKIES``)."""

import hashlib
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache

from django.conf import settings
from django.core import signing
from django.core.cache import cache as shared_cache
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from newsdesk.core import restrictions
from newsdesk.core.pagination import PageWindow
from newsdesk.news.models import ArticlePage

from .models import Comment, CommentCount, Status
from .text import render_body

HELD_COOKIE = "newsdesk_comments_held"
AUTHOR_COOKIE = "newsdesk_comment_author"
HELD_SECONDS = 2 * 24 * 60 * 60
AUTHOR_SECONDS = 365 * 24 * 60 * 60
HELD_MAX = 20
SHOWN_FIELDS = ("id", "article_id", "parent_id", "name", "website", "body", "status")
SHOWN_FIELDS += ("created_at", "user_id")


def close_after_days() -> int:
    return getattr(settings, "NEWSDESK_COMMENTS_CLOSE_AFTER_DAYS", 0)


def comments_open(article: ArticlePage, now=None) -> bool:
    if not article.comments_open:
        return False
    days = close_after_days()
    if days and article.published_at:
        return (now or timezone.now()) < article.published_at + timedelta(days=days)
    return True


def commentable_article(article_id: int) -> ArticlePage | None:
    """A published, public article, read with one light query (what the POST needs only)."""
    found = list(
        ArticlePage.objects.filter(pk=article_id, listed=True)
        .only("path", "url_path", "title", "published_at", "comments_open", "live")
        .order_by()[:1]
    )
    if not found or restrictions.may_be_restricted(found[0]):
        return None
    return found[0]


# --- Cookies -----------------------------------------------------------------------------------


def held_ids(request) -> list[int]:
    value = request.COOKIES.get(HELD_COOKIE, "")
    if not value:
        return []
    try:
        ids = signing.loads(value, salt=HELD_COOKIE, max_age=HELD_SECONDS)
    except signing.BadSignature:
        return []
    return [int(i) for i in ids if isinstance(i, int)][:HELD_MAX]


def remember_held(request, response, comment_id: int) -> None:
    ids = [*held_ids(request), comment_id][-HELD_MAX:]
    response.set_cookie(
        HELD_COOKIE,
        signing.dumps(ids, salt=HELD_COOKIE),
        max_age=HELD_SECONDS,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


def saved_author(request) -> dict:
    value = request.COOKIES.get(AUTHOR_COOKIE, "")
    if not value:
        return {}
    try:
        data = signing.loads(value, salt=AUTHOR_COOKIE)
    except signing.BadSignature:
        return {}
    if not isinstance(data, dict):
        return {}
    return {key: str(data.get(key, ""))[:254] for key in ("author", "email", "url")}


def remember_author(request, response, author: str, email: str, url: str) -> None:
    response.set_cookie(
        AUTHOR_COOKIE,
        signing.dumps({"author": author, "email": email, "url": url}, salt=AUTHOR_COOKIE),
        max_age=AUTHOR_SECONDS,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


def forget_author(response) -> None:
    response.delete_cookie(AUTHOR_COOKIE, samesite="Lax")


# --- The thread --------------------------------------------------------------------------------


@dataclass(eq=False)
class Node:
    comment: Comment
    depth: int
    held: bool = False
    up: "Node | None" = field(default=None, repr=False)
    replies: list["Node"] = field(default_factory=list)

    @property
    def html(self):
        return render_body(self.comment.body)


@dataclass
class Thread:
    roots: list[Node]
    approved: int
    by_id: dict[int, Node]


def thread(article: ArticlePage, max_depth: int, held: list[int] | None = None) -> Thread:
    """Approved comments oldest first, nested up to ``max_depth``; replies deeper than that
    (the setting was lowered) sit at the deepest level. One query (two with held comments)."""
    rows = list(
        Comment.objects.filter(article=article, status=Status.APPROVED)
        .only(*SHOWN_FIELDS)
        .order_by("created_at", "pk")
    )
    approved = len(rows)
    held_set = set()
    if held:
        extra = list(
            Comment.objects.filter(article=article, status=Status.PENDING, pk__in=held).only(
                *SHOWN_FIELDS
            )
        )
        held_set = {c.pk for c in extra}
        rows = sorted([*rows, *extra], key=lambda c: (c.created_at, c.pk))
    by_id: dict[int, Node] = {}
    roots: list[Node] = []
    for comment in rows:
        parent = by_id.get(comment.parent_id) if comment.parent_id else None
        if comment.parent_id and parent is None:
            continue  # its parent is not shown (held, spam or trash): neither is the reply
        while parent is not None and parent.depth >= max_depth:
            parent = parent.up
        node = Node(comment, parent.depth + 1 if parent else 1, comment.pk in held_set, parent)
        (parent.replies if parent else roots).append(node)
        by_id[comment.pk] = node
    return Thread(roots, approved, by_id)


# The rendered list of comments, kept in the shared cache under a digest of everything it is
# made of (each shown comment's fields, the nesting, whether replies are open, the time zone and
# language, the template's source): any change to a comment, approval or removal gives another
# key, so what is served is exactly what rendering it now would give, with no invalidation.
THREAD_HTML_KEY = "comments:thread-html:"
THREAD_HTML_SECONDS = 24 * 60 * 60
THREAD_TEMPLATE = "comments/comment.html"


THREAD_TEMPLATES = (
    THREAD_TEMPLATE,
    "comments/section.html",
    "comments/form.html",
    "comments/field.html",
)


@cache
def _template_digest() -> str:
    """The templates' sources, so a changed template is never answered from the cache."""
    digest = hashlib.blake2b(digest_size=8)
    for name in THREAD_TEMPLATES:
        template = get_template(name)
        digest.update((getattr(getattr(template, "template", None), "source", "") or "").encode())
    return digest.hexdigest()


def thread_digest(thread: Thread, open_: bool, max_depth: int, *extra) -> str:
    """A digest of everything the thread's HTML is made of (and of ``extra``)."""
    parts = [
        _template_digest(),
        str(open_),
        str(max_depth),
        str(thread.approved),
        timezone.get_current_timezone_name(),
        translation.get_language() or "",
        *(str(value) for value in extra),
    ]

    def walk(nodes):
        parts.append("(")
        for node in nodes:
            c = node.comment
            parts.extend(
                (str(c.pk), str(node.depth), str(node.held), c.name, c.website or "", c.body)
            )
            parts.extend((c.created_at.isoformat() if c.created_at else "", str(bool(c.user_id))))
            walk(node.replies)
        parts.append(")")

    walk(thread.roots)
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=20).hexdigest()


def has_held(thread: Thread) -> bool:
    return any(node.held for node in thread.by_id.values())


def thread_html(thread: Thread, open_: bool, max_depth: int) -> SafeString:
    """The ``<li>`` of every comment in ``thread``, rendered once per distinct content. A thread
    showing the reader's own held comments is personal: rendered every time, never stored."""
    if not thread.roots:
        return mark_safe("")
    personal = has_held(thread)
    key = None if personal else THREAD_HTML_KEY + thread_digest(thread, open_, max_depth)
    html = shared_cache.get(key) if key else None
    if html is None:
        context = {"open": open_, "max_depth": max_depth}
        html = "".join(
            render_to_string(THREAD_TEMPLATE, {**context, "node": node}) for node in thread.roots
        )
        if key:
            shared_cache.set(key, html, THREAD_HTML_SECONDS)
    return mark_safe(html)  # noqa: S308 - rendered from our own template, which escapes


# --- Counts on listings ------------------------------------------------------------------------


def _articles_in(value, depth: int = 0):
    """Article ids in a template variable. Only ``type()`` is consulted: an ``isinstance`` on
    a lazy context value (the CSRF token, the user) would evaluate it, which sets a cookie or
    reads the session and makes the page uncacheable."""
    kind = type(value)
    if issubclass(kind, ArticlePage):
        yield value.pk
    elif depth < 3 and issubclass(kind, list | tuple):
        for item in value:
            yield from _articles_in(item, depth + 1)
    elif depth < 3 and issubclass(kind, PageWindow):
        for item in value.items:
            yield from _articles_in(item, depth + 1)


def counts_for(context) -> dict[int, int]:
    """Counts of every article the page lists, read once per request in one query.

    Listing templates include ``story_meta`` once per story; the first call collects every
    article the template context holds (lists, pages of results, the home page's fronts) and
    reads their counts together.
    """
    request = context.get("request")
    memo = getattr(request, "_comment_counts", None) if request is not None else None
    story = context.get("story")
    if memo is not None and (story is None or story.pk in memo):
        return memo
    ids = set()
    for value in context.flatten().values():
        ids.update(_articles_in(value))
    if story is not None:
        ids.add(story.pk)
    found = dict(
        CommentCount.objects.filter(article_id__in=ids).values_list("article_id", "approved")
    )
    memo = {**(memo or {}), **{pk: found.get(pk, 0) for pk in ids}}
    if request is not None:
        request._comment_counts = memo
    return memo
