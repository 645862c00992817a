from wagtail import hooks

from .tags import tags_for_page


@hooks.register("before_serve_page")
def tag_page_response(page, request, serve_args, serve_kwargs):
    """Wagtail pages are cacheable; previews (served from the admin) never reach here."""
    if getattr(request, "cache_tags", None) is None:
        request.cache_tags = tags_for_page(page)
