from datetime import timedelta

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets import Button

from newsdesk.core import fragments
from newsdesk.core.scheduler import PeriodicTask
from newsdesk.news.models import ArticlePage, SectionPage

from . import charts, clock, ranking, trending, views
from .tasks import flush_views, prune_views, refresh_trending


def flush_seconds() -> int:
    return getattr(settings, "NEWSDESK_READERSHIP_FLUSH_SECONDS", 60)


# --- Reader-facing: the beacon and the Trending list -------------------------------------------


@hooks.register("newsdesk_slot_body_end")
def beacon(context):
    """The beacon on live articles for anonymous readers (cached pages included); never in
    previews or for signed-in newsroom users."""
    page = context.get("page")
    request = context.get("request")
    if not isinstance(page, ArticlePage) or not page.live or request is None:
        return ""
    if getattr(request, "is_preview", False):
        return ""
    # A session cookie means a newsroom member (readers have none). Looking at request.user
    # instead would touch the session and add "Vary: Cookie", making the page uncacheable.
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return ""
    return render_to_string(
        "readership/beacon.html",
        {"article_id": page.pk, "endpoint": reverse("readership:view")},
    )


@hooks.register("newsdesk_slot_article_aside")
@hooks.register("newsdesk_slot_home_aside")
def site_trending(context):
    return fragments.render("trending", context.get("request"))


@hooks.register("newsdesk_slot_section_aside")
def section_trending(context):
    page = context.get("page")
    if not isinstance(page, SectionPage):
        return ""
    return fragments.render("trending", context.get("request"), section=page.pk)


hooks.register("newsdesk_fragment_trending", trending.fragment)


# --- Background work ---------------------------------------------------------------------------


@hooks.register("newsdesk_periodic_tasks")
def readership_periodic_tasks():
    return [
        PeriodicTask("readership.flush_views", timedelta(seconds=flush_seconds()), flush_views),
        PeriodicTask("readership.prune_views", timedelta(hours=1), prune_views),
        PeriodicTask(
            "readership.refresh_trending",
            timedelta(seconds=trending.TRENDING_SECONDS),
            refresh_trending,
        ),
    ]


@hooks.register("newsdesk_demo_extras")
def demo_reading(stdout, tally, now):
    from .demo import simulate_reading

    simulate_reading(stdout, tally, now)


# --- The editors' dashboard --------------------------------------------------------------------


class ReadershipPanel(Component):
    name = "readership"
    order = 90
    template_name = "readership/admin/panel.html"

    def get_context_data(self, parent_context):
        now = clock.now()
        trending = ranking.trending(count=5, now=now)
        top = [item.article for item in trending.items] if trending.is_trending else []
        first_hour = ranking.current_hour(now) - 47
        series = ranking.hourly_series([a.pk for a in top], 48, now)
        sections = ranking.views_by_section(48, now)
        return {
            "last_hour": ranking.last_hour_views(now),
            "trending": trending,
            "line_chart": charts.line_chart(
                [(a.title, series[a.pk], reverse("readership_article", args=[a.pk])) for a in top],
                first_hour,
            ),
            "line_title": "Views per hour of the trending articles, last 48 hours",
            "line_description": "; ".join(f"{a.title}: {sum(series[a.pk])} views" for a in top),
            "sections": sections,
            "section_chart": charts.bar_chart([(s.title, views) for s, views in sections]),
            "section_title": "Views by section, last 48 hours",
            "section_description": "; ".join(f"{s.title}: {views}" for s, views in sections),
        }


@hooks.register("construct_homepage_panels")
def add_readership_panel(request, panels):
    panels.append(ReadershipPanel())


@hooks.register("register_admin_urls")
def readership_admin_urls():
    return [
        path(
            "readership/articles/<int:pk>/",
            views.ArticleReadershipView.as_view(),
            name="readership_article",
        )
    ]


@hooks.register("register_page_header_buttons")
def readership_button(page, user, view_name, next_url=None):
    if issubclass(page.specific_class or type(page), ArticlePage) and page.first_published_at:
        yield Button(
            "Readership",
            reverse("readership_article", args=[page.pk]),
            icon_name="view",
            priority=80,
        )
