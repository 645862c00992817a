"""The newsroom in the Wagtail admin, and the breaking-news banner on the site."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from taggit.models import Tag
from wagtail import hooks
from wagtail.admin.auth import permission_denied
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet

from newsdesk.core import fragments
from newsdesk.core.scheduler import PeriodicTask
from newsdesk.news.models import ArticlePage, SectionPage

from . import admin_urls, breaking, demo
from .models import BreakingNews, EditorialSettings
from .roles import can_publish
from .tasks import publish_scheduled

# --- The banner on every page ----------------------------------------------------------------


@hooks.register("newsdesk_slot_banner")
def breaking_news_slot(context):
    return fragments.render("breaking", context.get("request"))


@hooks.register("newsdesk_fragment_breaking")
@fragments.reads(lambda: [breaking.CACHE_KEY])
def breaking_news_fragment(request):
    return breaking.banner_html(request)


@hooks.register("newsdesk_slot_footer")
def corrections_link(context):
    return format_html(
        '<p><a href="{}">Corrections and updates</a></p>', reverse("editorial:corrections")
    )


@hooks.register("newsdesk_slot_head")
def editorial_stylesheet(context):
    return format_html('<link rel="stylesheet" href="{}">', static("editorial/editorial.css"))


@hooks.register("newsdesk_demo_extras")
def editorial_demo(stdout, tally, now):
    demo.load(stdout, tally, now)


# --- Scheduled publishing ----------------------------------------------------------------------

# Well inside the promise that a story goes live (or expires) within 60 seconds of its time.
SCHEDULE_INTERVAL = timedelta(seconds=10)


@hooks.register("newsdesk_periodic_tasks")
def editorial_periodic_tasks():
    return [PeriodicTask("editorial.publish_scheduled", SCHEDULE_INTERVAL, publish_scheduled)]


# --- Publishing rules on the article form ------------------------------------------------------


@hooks.register("newsdesk_article_form_clean")
def publishing_rules(form, cleaned_data):
    """Rules for an article going out: a featured image when the newsroom requires one, and
    no go-live time already past (Wagtail would silently publish at once)."""
    if (
        form.is_publishing
        and not cleaned_data.get("featured_image")
        and "featured_image" not in form.errors
        and EditorialSettings.load().require_featured_image
    ):
        form.add_error(
            "featured_image",
            ValidationError("Choose a featured image: the newsroom requires one for publishing."),
        )
    go_live_at = cleaned_data.get("go_live_at")
    if go_live_at and go_live_at <= timezone.now() and newly_typed(form, "go_live_at", go_live_at):
        form.add_error(
            "go_live_at",
            ValidationError(
                "This time is already past: choose a later go-live time, or clear it to "
                "publish now."
            ),
        )


def newly_typed(form, name: str, value) -> bool:
    """The editor changed this time (the widget shows minutes: seconds are not a change)."""
    before = form.initial.get(name)
    return before is None or abs((value - before).total_seconds()) >= 60


# --- Who may do what, beyond Wagtail's page permissions ------------------------------------------


@hooks.register("before_delete_page")
def only_publishers_delete(request, page):
    """Contributors own their drafts but never delete, even an unpublished one."""
    if not can_publish(request.user, page):
        return permission_denied(request)
    return None


@hooks.register("before_bulk_action")
def only_publishers_bulk_delete(request, action_type, objects, action_class_instance):
    if action_type == "delete" and any(
        not can_publish(request.user, page) for page in objects if hasattr(page, "depth")
    ):
        return permission_denied(request)
    return None


@hooks.register("before_create_page")
def only_publishers_create_sections(request, parent_page, page_class):
    """Sections are the newsroom's structure: editors create them, contributors write in them."""
    if (
        issubclass(page_class, SectionPage)
        and not parent_page.permissions_for_user(request.user).can_publish_subpage()
    ):
        return permission_denied(request)
    return None


@hooks.register("construct_page_listing_buttons")
def hide_delete_from_contributors(buttons, page, user, context=None):
    if not can_publish(user, page):
        delete_url = reverse("wagtailadmin_pages:delete", args=[page.pk])
        buttons[:] = [b for b in buttons if not str(b.url or "").startswith(delete_url)]


@hooks.register("construct_page_action_menu")
def hide_delete_item_from_contributors(menu_items, request, context):
    page = context.get("page")
    if page is not None and page.pk and not can_publish(request.user, page):
        menu_items[:] = [item for item in menu_items if item.name != "action-delete"]


# --- Corrections ------------------------------------------------------------------------------


@hooks.register("register_admin_urls")
def editorial_admin_urls():
    return [path("", include(admin_urls))]


class CorrectionsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("news.add_correction") or request.user.has_perm(
            "news.change_correction"
        )


@hooks.register("register_admin_menu_item")
def corrections_menu_item():
    return CorrectionsMenuItem(
        "Corrections", reverse("editorial_corrections"), icon_name="warning", order=250
    )


@hooks.register("register_page_header_buttons")
def add_correction_button(page, user, view_name, next_url=None):
    if (
        isinstance(page.specific_deferred, ArticlePage)
        and page.live
        and user.has_perm("news.add_correction")
    ):
        yield Button(
            "Add correction or update",
            f"{reverse('editorial_correction_add')}?article={page.pk}",
            icon_name="warning",
            priority=80,
        )


@hooks.register("register_log_actions")
def editorial_log_actions(actions):
    actions.register_action("newsdesk.correction.add", "Add correction", "Correction added")
    actions.register_action("newsdesk.correction.remove", "Remove correction", "Correction removed")
    actions.register_action(
        "newsdesk.two_factor.reset", "Reset two-factor", "Two-factor authenticator reset"
    )


# --- Breaking news and tags as snippets -------------------------------------------------------


class BreakingNewsCreateView(CreateView):
    def save_instance(self):
        self.form.instance.created_by = self.request.user
        return super().save_instance()


class BreakingNewsViewSet(SnippetViewSet):
    model = BreakingNews
    icon = "warning"
    menu_label = "Breaking news"
    menu_order = 240
    add_to_admin_menu = True
    add_view_class = BreakingNewsCreateView
    list_display = ["banner_text", "article", "ends_at", "is_showing", "created_by"]
    panels = [FieldPanel("article"), FieldPanel("headline"), FieldPanel("ends_at")]


class TagViewSet(SnippetViewSet):
    model = Tag
    icon = "tag"
    menu_label = "Tags"
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["name", "slug"]
    search_fields = ["name"]
    panels = [FieldPanel("name")]


register_snippet(BreakingNewsViewSet)
register_snippet(TagViewSet)


# --- Two-factor authentication ------------------------------------------------------------------


@hooks.register("register_account_menu_item")
def two_factor_account_item(request):
    return {
        "url": reverse("editorial_two_factor"),
        "label": "Two-factor authentication",
        "help_text": "Ask for a code from your phone at every sign-in.",
    }


@hooks.register("register_user_listing_buttons")
def two_factor_reset_button(user, request_user):
    if request_user.has_perm("auth.change_user"):
        yield Button(
            "Reset two-factor",
            reverse("editorial_two_factor_reset", args=[user.pk]),
            icon_name="key",
            priority=120,
        )
