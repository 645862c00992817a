"""How the mobile version plugs into the site: the phone redirect, the links between the two
versions, and the cache buckets (see ``newsdesk.mobile.devices`` and the DESIGN note in
``newsdesk.mobile.caching``)."""

from django.http import HttpResponseRedirect
from django.template.loader import render_to_string
from wagtail import hooks

from newsdesk.news.models import ArticlePage

from . import caching, devices


@hooks.register("before_serve_page")
def send_phones_to_the_mobile_version(page, request, serve_args, serve_kwargs):
    """A phone asking for a full article goes to its mobile version (unless its reader chose
    the full site). The redirect is cached in the phone bucket like any page."""
    if (
        not isinstance(page, ArticlePage)
        or request.method not in {"GET", "HEAD"}
        or not devices.is_article_path(request.path)
        or devices.bucket(request) != devices.PHONE
    ):
        return None
    target = devices.mobile_path(page, request)
    if target is None:
        return None
    query = request.META.get("QUERY_STRING", "")
    return HttpResponseRedirect(target + (f"?{query}" if query else ""))


@hooks.register("newsdesk_slot_head")
def mobile_alternate(context):
    """Google's annotation for separate mobile URLs: the full article names its mobile version
    (the mobile page's canonical address, from the head metadata, names the full article)."""
    page, request = context.get("page"), context.get("request")
    if context.get("mobile_version") or not isinstance(page, ArticlePage) or request is None:
        return ""
    path = devices.mobile_path(page, request)
    if path is None:
        return ""
    return render_to_string("mobile/alternate.html", {"href": caching.absolute(path)})


@hooks.register("newsdesk_slot_footer")
def back_to_mobile(context):
    """Phone readers who chose the full site see the way back on every full article."""
    page, request = context.get("page"), context.get("request")
    if context.get("mobile_version") or not isinstance(page, ArticlePage) or request is None:
        return ""
    if not devices.is_article_path(request.path) or devices.bucket(request) != devices.PHONE_FULL:
        return ""
    path = devices.mobile_path(page, request)
    if path is None:
        return ""
    return render_to_string("mobile/switch_to_mobile.html", {"mobile_path": path})


hooks.register("newsdesk_cache_variant", caching.cache_variant)
hooks.register("newsdesk_cache_vary", caching.cache_vary)
hooks.register("newsdesk_front_cache_paths", caching.front_cache_paths)
