from django.template.loader import render_to_string
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Author, SectionPage


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
    sections = SectionPage.objects.live().public().filter(depth=3).order_by("path")
    return render_to_string(
        "news/includes/nav.html", {"sections": sections, "current_section_id": current}
    )
