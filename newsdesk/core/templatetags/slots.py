"""Named places in the site templates that feature apps fill through Wagtail hooks.

The content model (``news``) must not import feature apps, yet comments, trending, feeds and
the mobile switch all need to appear on its pages. A template marks a place with
``{% slot "article_end" %}``; an app registers ``newsdesk_slot_article_end`` with
``wagtail.hooks.register``. Each hook receives the template context and returns HTML that is
already safe (rendered from a template), or an empty string.
"""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from wagtail import hooks

register = template.Library()


@register.simple_tag(takes_context=True)
def slot(context, name: str) -> str:
    parts = []
    for fill in hooks.get_hooks(f"newsdesk_slot_{name}"):
        html = fill(context)
        if html:
            parts.append(conditional_escape(html))
    return mark_safe("".join(parts))  # noqa: S308 - each part was escaped or marked safe above


@register.simple_tag(takes_context=True)
def fragment(context, name: str, **params) -> str:
    """``{% fragment "trending" section=page.section_id %}``: see ``newsdesk.core.fragments``."""
    from newsdesk.core.fragments import render

    return render(name, context.get("request"), **params)
