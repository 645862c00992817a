from datetime import timedelta

from django.core.cache import cache
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.permission_policies.pages import PagePermissionPolicy

from newsdesk.core import fragments
from newsdesk.core.scheduler import PeriodicTask
from newsdesk.news.models import ArticlePage

from . import admin_urls, display, tokens
from .forms import CommentForm
from .models import Comment, CommentSettings, Status
from .tasks import forget_addresses

# --- Reader-facing -----------------------------------------------------------------------------

SECTION_KEY = "comments:section-html:"


@hooks.register("newsdesk_slot_head")
def stylesheet(context):
    if not isinstance(context.get("page"), ArticlePage):
        return ""
    return format_html('<link rel="stylesheet" href="{}">', static("comments/comments.css"))


@hooks.register("newsdesk_slot_article_end")
def comment_section(context):
    """The thread and the form. Cached with the page for anonymous readers: only the form
    token (a fragment) differs per view; readers with a held comment or saved details carry a
    personal cookie, so their pages are never cached or served from a cache.

    Rendered pages are not all cached (a reader with a personal cookie, a page-cache miss), so
    the section itself is kept in the shared cache under a digest of everything it shows (see
    ``display.thread_digest``): a new, approved, edited or removed comment gives another key,
    and the form's token is made afresh on every view. Personal sections (the reader's held
    comments, saved details, a form shown again with errors) are rendered every time."""
    page = context.get("page")
    request = context.get("request")
    if not isinstance(page, ArticlePage) or request is None:
        return ""
    rules = CommentSettings.current(request)
    thread = display.thread(page, rules.thread_depth, display.held_ids(request))
    open_ = display.comments_open(page)
    form = context.get("comment_form")
    personal = form is not None or display.has_held(thread)
    if form is None:
        form = CommentForm(initial=display.saved_author(request))
        if form.initial:
            form.initial["remember"] = True
            personal = True
    reply_to = None
    parent_id = form["parent"].value() if form.is_bound else request.GET.get("replytocom")
    if parent_id and str(parent_id).isdigit():
        node = thread.by_id.get(int(parent_id))
        if node is not None and not node.held and node.depth < rules.thread_depth:
            reply_to = node.comment
    values = {
        "open": open_,
        "reply_to": reply_to,
        "parent_id": reply_to.pk if reply_to else "",
        "article_id": page.pk,
        "article_url": page.url,
        "action": reverse("comments:post"),
        "max_depth": rules.thread_depth,
    }
    key = None
    if not personal:
        extra = (reply_to.pk if reply_to else "", page.pk, values["article_url"], values["action"])
        key = SECTION_KEY + display.thread_digest(thread, open_, rules.thread_depth, *extra)
        html = cache.get(key)
        if html is not None:
            return mark_safe(fragments.refresh(html, request))  # noqa: S308 - our own template
    html = render_to_string(
        "comments/section.html",
        {
            **values,
            "thread": thread,
            "thread_html": display.thread_html(thread, open_, rules.thread_depth),
            "form": form,
            "request": request,
        },
    )
    if key:
        cache.set(key, html, display.THREAD_HTML_SECONDS)
    return html


# Volatile (``core.fragments.VOLATILE``): different on every view, left out of ETags.
HIDDEN_FIELD_HTML = '<!--volatile--><input type="hidden" name="token" value="{}"><!--/volatile-->'


@hooks.register("newsdesk_fragment_comment_token")
def comment_token(request, article):
    """A fresh signed token on every view, cached page or not (see ``tokens``); a form shown
    again after an error keeps the token it was posted with."""
    token = getattr(request, "comment_token", None) or tokens.issue(int(article))
    # Written here rather than by a template: it runs on every page-cache hit.
    return format_html(HIDDEN_FIELD_HTML, token)


@hooks.register("newsdesk_slot_story_meta")
def story_comment_count(context):
    story = context.get("story")
    if not isinstance(story, ArticlePage):
        return ""
    count = display.counts_for(context).get(story.pk, 0)
    if not count:
        return ""
    return render_to_string("comments/story_meta.html", {"count": count, "url": story.url})


# --- Background work and the demo --------------------------------------------------------------


@hooks.register("newsdesk_periodic_tasks")
def comments_periodic_tasks():
    return [PeriodicTask("comments.forget_addresses", timedelta(hours=1), forget_addresses)]


@hooks.register("newsdesk_demo_extras")
def demo_comments(stdout, tally, now):
    from .demo import ensure_comments

    ensure_comments(stdout, tally, now)


# --- Moderation in the admin -------------------------------------------------------------------


class CommentsMenuItem(MenuItem):
    """ "Comments", with the number of comments waiting as a badge."""

    def is_shown(self, request):
        return request.user.has_perm("comments.moderate_comment")

    def render_component(self, request):
        pending = Comment.objects.filter(status=Status.PENDING).count()
        self.attrs = {"data-pending": str(pending)} if pending else {}
        self.attrs["aria-label"] = f"Comments, {pending} pending" if pending else "Comments"
        return super().render_component(request)


@hooks.register("register_admin_menu_item")
def comments_menu_item():
    return CommentsMenuItem(
        "Comments", reverse("comments_admin:queue"), name="comments", icon_name="comment", order=250
    )


@hooks.register("register_admin_urls")
def comments_admin_urls():
    return [path("comments/", include(admin_urls, namespace="comments_admin"))]


@hooks.register("insert_global_admin_css")
def comments_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("comments/admin.css"))


class PendingCommentsPanel(Component):
    name = "pending_comments"
    order = 50
    template_name = "comments/admin/panel.html"

    def get_context_data(self, parent_context):
        return {"pending": Comment.objects.filter(status=Status.PENDING).count()}


@hooks.register("construct_homepage_panels")
def moderator_home(request, panels):
    """Moderators see the waiting comments on the admin's home; a moderator who edits no pages
    (the Comment moderator role) sees only that."""
    if not request.user.has_perm("comments.moderate_comment"):
        return
    if not PagePermissionPolicy().user_has_any_permission(
        request.user, ["add", "change", "publish"]
    ):
        panels.clear()
    panels.append(PendingCommentsPanel())
