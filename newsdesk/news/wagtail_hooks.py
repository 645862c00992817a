from django.core.cache import cache
from django.template.loader import render_to_string
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import NAVIGATION_CACHE_KEY, Author, SectionPage


class AuthorViewSet(SnippetViewSet):
    model = Author
    icon = "user"
    menu_label = "Authors"
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["name", "role", "user"]
    search_fields = ["name"]


register_snippet(AuthorViewSet)


@hooks.register("newsdesk_slot_nav")
def section_navigation(context):
    page = context.get("page")
    current = getattr(page, "section_id", None) or (
        page.pk if isinstance(page, SectionPage) else None
    )
    return render_to_string(
        "news/includes/nav.html", {"sections": navigation(), "current_section_id": current}
    )


def navigation() -> list[dict]:
    """The section menu, cached until a section is published, unpublished, moved or deleted."""
    sections = cache.get(NAVIGATION_CACHE_KEY)
    if sections is None:
        sections = [
            {"pk": section.pk, "title": section.title, "url": section.url}
            for section in SectionPage.objects.live().public().filter(depth=3).order_by("path")
        ]
        cache.set(NAVIGATION_CACHE_KEY, sections, 3600)
    return sections
