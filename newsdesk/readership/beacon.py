"""The view beacon: ``POST /readership/view`` with ``article=<id>``, sent by beacon.js.

:func:`process` holds every rule; it takes a WSGI environ, so the same code answers through
Django (the ``readership:view`` URL, for the test client and ``runserver``) and through
:func:`wsgi_view`, the lean path ``newsdesk.wsgi`` routes to before Django's middleware
(``NEWSDESK_FAST_PATHS``): the beacon is the most frequent request of the site and needs none
of sessions, CSRF, templates or the page cache.

Answers: 204 (taken: counted, or deliberately not counted, named in ``X-Readership``), 400
malformed body, 403 another site's page, 404 unknown or unpublished article, 405 not POST,
411 no length, 413 too long, 429 rate limit, 503 store unreachable. None is logged: a flood of
bad beacons must not flood the error log.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.db import close_old_connections
from django.http import HttpResponse
from django.http.request import split_domain_port, validate_host
from django.views.decorators.csrf import csrf_exempt

from . import clock, visitors
from .stores import COUNTED, LIMITED, StoreUnavailable, get_store

MAX_BODY = 256
BODY = re.compile(rb"article=(\d{1,12})")


@dataclass
class Answer:
    status: int
    outcome: str
    headers: list[tuple[str, str]] = field(default_factory=list)

    @property
    def counted(self) -> bool:
        return self.outcome == COUNTED


REASONS = {
    204: "No Content",
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    411: "Length Required",
    413: "Content Too Large",
    429: "Too Many Requests",
    503: "Service Unavailable",
}


def same_site(environ) -> bool:
    """Browsers name the page's origin; a page on another site may not report views."""
    if environ.get("HTTP_SEC_FETCH_SITE") == "cross-site":
        return False
    origin = environ.get("HTTP_ORIGIN")
    if not origin:
        return True  # old browsers and scripts; the rate limit bounds them
    origin_host = urlsplit(origin).netloc.lower()
    if not origin_host:
        return False  # "null": sandboxed frames, file:// pages
    host = environ.get("HTTP_HOST", "").lower()
    if origin_host == host:
        return True
    domain, _port = split_domain_port(origin_host)
    return bool(domain) and validate_host(domain, settings.ALLOWED_HOSTS)


def read_article(environ, read) -> tuple[int | None, Answer | None]:
    if environ.get("REQUEST_METHOD") != "POST":
        return None, Answer(405, "method", [("Allow", "POST")])
    try:
        length = int(environ.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None, Answer(411, "length")
    if length > MAX_BODY or length < 0:
        return None, Answer(413, "too-long")
    match = BODY.fullmatch(read(length).strip())
    if not match:
        return None, Answer(400, "malformed")
    return int(match.group(1)), None


def process(environ, read) -> Answer:
    article_id, refusal = read_article(environ, read)
    if refusal:
        return refusal
    if not same_site(environ):
        return Answer(403, "cross-site")
    user_agent = visitors.user_agent(environ)
    if visitors.is_prefetch(environ):
        return Answer(204, "prefetch")
    if visitors.is_bot(user_agent):
        return Answer(204, "bot")
    if visitors.is_signed_in(environ):
        return Answer(204, "signed-in")
    store = get_store()
    moment = clock.now()
    try:
        salt = store.salt(moment)
        ip = visitors.client_ip(environ)
        client = visitors.client_key(salt, ip)
        live = visitors.live_articles.known(article_id)
        limited = True
        if live is None:
            # Unknown to this process: count the request first, so a flood of made-up ids
            # costs the database at most the rate limit.
            if not store.allow(client, moment):
                return Answer(429, LIMITED, [("Retry-After", "60")])
            limited = False
            live = visitors.live_articles.check(article_id)
        if not live:
            return Answer(404, "unknown-article")
        outcome = store.record(
            article_id,
            visitors.visitor_key(salt, ip, user_agent),
            client,
            moment,
            limited=limited,
        )
    except StoreUnavailable:
        return Answer(503, "unavailable", [("Retry-After", "30")])
    if outcome == LIMITED:
        return Answer(429, LIMITED, [("Retry-After", "60")])
    return Answer(204, outcome)


def response_headers(answer: Answer) -> list[tuple[str, str]]:
    body_type = [] if answer.status == 204 else [("Content-Type", "text/plain; charset=utf-8")]
    return [
        *body_type,
        ("Cache-Control", "no-store"),
        ("X-Readership", answer.outcome),
        ("X-Content-Type-Options", "nosniff"),
        *answer.headers,
    ]


def wsgi_view(environ, start_response):
    """The beacon as a plain WSGI application (see NEWSDESK_FAST_PATHS)."""
    close_old_connections()
    try:
        answer = process(environ, environ["wsgi.input"].read)
    finally:
        close_old_connections()
    body = b"" if answer.status == 204 else answer.outcome.encode()
    headers = response_headers(answer)
    if body:
        headers.append(("Content-Length", str(len(body))))
    start_response(f"{answer.status} {REASONS[answer.status]}", headers)
    return [body]


@csrf_exempt
def view(request):
    """The beacon through Django (the same rules; CSRF is replaced by the origin check)."""
    answer = process(request.META, request.read)
    response = HttpResponse(
        b"" if answer.status == 204 else answer.outcome.encode(), status=answer.status
    )
    if answer.status == 204:
        del response["Content-Type"]
    response.reader_wrote = False  # no read-your-writes cookie (newsdesk.core.routers)
    for name, value in response_headers(answer):
        response[name] = value
    return response
