import re

from django import template
from django.utils.safestring import mark_safe

register = template.Library()

STYLESHEET_LINK = re.compile(r"<link\b[^>]*\brel=\"stylesheet\"[^>]*>\n?", re.I)


@register.filter
def without_stylesheets(html: str) -> str:
    """The head slot without apps' external stylesheets: the mobile page is one request, and
    its inline sheet styles their markup (the breaking-news banner, Trending, forms)."""
    return mark_safe(STYLESHEET_LINK.sub("", str(html)))  # noqa: S308 - removes from safe HTML
