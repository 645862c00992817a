"""The comment POST, working from cached pages while refusing cross-site posts.

Why no CSRF token: the article page is cached whole for anonymous readers (by the app and by
a front cache such as Varnish), and readers have no session, so a per-reader CSRF token cannot
be in the HTML. Django's CSRF middleware is therefore exempted for this one view, and replaced by:

1. :func:`cross_site`: browsers send ``Origin`` with every POST (and ``Sec-Fetch-Site``); a post
   whose Origin is another site, ``null`` (sandboxed frames, data: pages), or whose
   Sec-Fetch-Site is ``cross-site`` or ``same-site`` is refused with 403. A request carrying
   neither header (old browsers send a Referer, checked the same way; scripts send nothing)
   cannot be a forged request from a reader's browser, and still needs step 2.
2. The signed, time-stamped form token (:mod:`newsdesk.comments.tokens`), rendered fresh in a
   fragment on every cache hit: proves the form came from our page for this article, gives the
   minimum-time-to-post check against bots, and its nonce makes a double submit store one comment.

Then the form is validated and :func:`newsdesk.comments.policy.judge` applies the moderation
rules. The comment is committed (and the article's count with it) before the response: an
approved comment sends the reader to its permalink (the page cache is purged after the commit),
a held one too, with a signed cookie that lets only its author see it, "awaiting moderation".
"""

import hashlib
import ipaddress
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from newsdesk.news.models import ArticlePage

from . import display, policy, tokens
from .forms import CommentForm
from .models import Comment, CommentSettings, Status
from .moderation import announce, refresh_count
from .tasks import notify_moderators

EXPIRED = "This form has expired. Please reload the page and post your comment again."
CLOSED = "Comments are closed on this article."


def client_ip(request) -> str | None:
    """REMOTE_ADDR, or the nearest address in X-Forwarded-For our own proxies did not add
    (NEWSDESK_FORWARDED_ALLOW_IPS)."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = set(getattr(settings, "NEWSDESK_FORWARDED_ALLOW_IPS", ()))
    address = remote
    if remote in proxies or "*" in proxies:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        for hop in reversed(hops):
            if hop and hop not in proxies:
                address = hop
                break
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def own_hosts(request) -> set[str]:
    hosts = {request.get_host().lower()}
    hosts.add(urlsplit(settings.BASE_URL).netloc.lower())
    return hosts


def cross_site(request) -> str:
    """Why this POST is refused as cross-site, or an empty string."""
    fetch_site = request.headers.get("Sec-Fetch-Site", "").lower()
    if fetch_site in {"cross-site", "same-site"}:
        return "Comments can only be posted from this site's own pages."
    origin = request.headers.get("Origin")
    if origin is not None:
        if origin == "null" or urlsplit(origin).netloc.lower() not in own_hosts(request):
            return "Comments can only be posted from this site's own pages."
        return ""
    referer = request.headers.get("Referer")
    if referer and urlsplit(referer).netloc.lower() not in own_hosts(request):
        return "Comments can only be posted from this site's own pages."
    return ""


def plain(message: str, status: int) -> HttpResponse:
    response = HttpResponse(message + "\n", status=status, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


def show_form(request, article: ArticlePage, form: CommentForm, status: int) -> TemplateResponse:
    """The article again, with the form as the reader filled it and the errors beside it."""
    article = ArticlePage.objects.select_related("section", "featured_image").get(pk=article.pk)
    context = article.get_context(request)
    context["comment_form"] = form
    response = TemplateResponse(request, article.get_template(request), context, status=status)
    response["Cache-Control"] = "no-store"
    return response


def done(request, comment: Comment) -> HttpResponse:
    """Where the reader goes after posting: the comment's own place on the article page."""
    article = comment.article
    if comment.status == Status.SPAM:
        target = article.url + "#comments"
    else:
        target = f"{article.url}#{comment.anchor}"
    response = HttpResponseRedirect(target)
    if comment.status == Status.PENDING:
        display.remember_held(request, response, comment.pk)
    return response


def idempotency_key(token: tokens.FormToken, submission: policy.Submission) -> str:
    text = f"{token.nonce}\n{submission.email}\n{submission.body}"
    return hashlib.sha256(text.encode()).hexdigest()[:48]


INFLIGHT_PREFIX = "comments:inflight:"
INFLIGHT_SECONDS = 30


def wait_for_twin(client_token: str, inflight: str, seconds: float = 5.0):
    """The twin's stored comment, once it is committed; None if it ended without one."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        existing = Comment.objects.filter(client_token=client_token).first()
        if existing is not None or cache.get(inflight) is None:
            return existing or Comment.objects.filter(client_token=client_token).first()
        time.sleep(0.02)
    return None


@csrf_exempt
@require_POST
def post_comment(request):
    refusal = cross_site(request)
    if refusal:
        return plain(refusal, 403)
    raw_article = request.POST.get("article", "")
    if not raw_article.isascii() or not raw_article.isdigit() or len(raw_article) > 12:
        return plain("Which article is this comment for? The form was incomplete.", 400)
    article = display.commentable_article(int(raw_article))
    if article is None:
        return plain("That article does not exist or is not published.", 404)
    if not display.comments_open(article):
        return plain(CLOSED, 403)

    form = CommentForm(request.POST)
    token = tokens.read(request.POST.get("token", ""))
    if token is not None and token.article == article.pk:
        request.comment_token = request.POST["token"]  # re-shown forms keep it (and its age)
    else:
        token = None
    if not form.is_valid():
        return show_form(request, article, form, 400)
    if token is None:
        form.add_error(None, EXPIRED)
        return show_form(request, article, form, 400)

    # The same form sent twice (a double click, a retry) finds the first comment below: its
    # twin trips the flood or duplicate rule, or, racing it, the unique client token.
    rules = CommentSettings.current(request)
    data = form.cleaned_data
    parent = None
    if data.get("parent"):
        parent = Comment.objects.filter(
            pk=data["parent"], article=article, status=Status.APPROVED
        ).first()
        if parent is None:
            form.add_error(None, "The comment you are replying to is no longer shown.")
            return show_form(request, article, form, 400)
        thread = display.thread(article, rules.thread_depth)
        node = thread.by_id.get(parent.pk)
        if node is None or node.depth >= rules.thread_depth:
            form.add_error(None, "Replies cannot nest any deeper here; reply further up.")
            return show_form(request, article, form, 400)

    ip = client_ip(request)
    user_agent = request.headers.get("User-Agent", "")[:500]
    submission = policy.Submission(
        article_id=article.pk,
        name=data["author"],
        email=data["email"],
        website=data["url"],
        body=data["comment"],
        ip=ip,
        user_agent=user_agent,
        honeypot=data.get("fax", ""),
        form_age=token.age,
    )
    # One comment per form and text: a double click or retry repeats all three; two readers
    # served the same copy of the page by a front cache share the token but not the rest.
    client_token = idempotency_key(token, submission)
    # One attempt in flight per form and text: a twin arriving while the first is being judged
    # and stored (a double click racing itself) waits for it and answers as for it, instead of
    # being judged apart (and, say, tripping the rate limit the first one just counted).
    inflight = INFLIGHT_PREFIX + client_token
    if not cache.add(inflight, 1, INFLIGHT_SECONDS):
        existing = wait_for_twin(client_token, inflight)
        if existing is not None:
            return done(request, existing)
    try:
        verdict = policy.judge(submission, rules)
        if verdict.refused:
            # A twin of this request (same token) may have been stored meanwhile, and now trips
            # the flood or duplicate rule: answer as for the stored one.
            existing = Comment.objects.filter(client_token=client_token).first()
            if existing is not None:
                return done(request, existing)
            form.add_error(None, verdict.refusal)
            return show_form(request, article, form, verdict.http_status)

        try:
            with transaction.atomic():
                comment = Comment.objects.create(
                    article=article,
                    parent=parent,
                    name=submission.name,
                    email=submission.email,
                    website=submission.website,
                    body=submission.body,
                    status=verdict.status,
                    spam_score=verdict.score,
                    spam_reasons=verdict.reasons,
                    ip=ip,
                    user_agent=user_agent,
                    client_token=client_token,
                )
                if comment.status == Status.APPROVED:
                    refresh_count(article.pk)
                elif comment.status == Status.PENDING and rules.notify_moderators:
                    # In the same transaction: never a held comment without its notification.
                    notify_moderators.enqueue(comment.pk)
        except IntegrityError:
            # The same token won a race with this request: answer as for the stored one.
            existing = Comment.objects.filter(client_token=client_token).first()
            if existing is None:
                raise
            return done(request, existing)

        if comment.status == Status.APPROVED:
            announce([article.pk])
        response = done(request, comment)
        if data.get("remember"):
            display.remember_author(request, response, data["author"], data["email"], data["url"])
        else:
            display.forget_author(response)
        return response
    finally:
        cache.delete(inflight)
