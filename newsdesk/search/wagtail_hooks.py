from django.template.loader import render_to_string
from django.urls import reverse
from wagtail import hooks

from newsdesk.core import fragments
from newsdesk.news.models import ArticlePage

from . import related
from .query import MAX_LENGTH


@hooks.register("newsdesk_slot_header")
def header_search(context):
    """A plain GET form: works without JavaScript, on every page (cached ones too)."""
    return render_to_string(
        "search/includes/header_form.html",
        {"action": reverse("search:search"), "max_length": MAX_LENGTH},
    )


@hooks.register("newsdesk_slot_head")
def header_search_style(context):
    return render_to_string("search/includes/head.html")


@hooks.register("newsdesk_slot_article_end")
def related_stories(context):
    page = context.get("page")
    if not isinstance(page, ArticlePage) or not page.live:
        return ""
    return fragments.render("related", context.get("request"), article=page.pk)


hooks.register("newsdesk_fragment_related", related.fragment)


@hooks.register("newsdesk_articles_generated")
def index_generated_articles(stdout):
    from .bulk import index_articles

    index_articles(stdout)


@hooks.register("newsdesk_demo_extras")
def index_demo_articles(stdout, tally, now):
    """The demo is searchable at once, even before a worker has run the indexing tasks that
    publishing queued (they find the rows already there)."""
    from .bulk import index_articles

    index_articles(stdout)
