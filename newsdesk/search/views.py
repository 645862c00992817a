"""``/search/?q=``: the readers' search page."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from newsdesk.core.pagination import page_number
from newsdesk.news.wagtail_hooks import navigation

from . import engine
from .forms import SearchForm
from .query import MAX_LENGTH, parse
from .snippets import snippet

FILTER_FIELDS = ("section", "date_from", "date_to", "sort")


def search(request):
    parsed = parse(request.GET.get("q", ""))
    form = SearchForm(request.GET or None)
    filters = engine.Filters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = engine.Filters(
            section=form.sections.get(data.get("section") or ""),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            sort=data.get("sort") or "relevance",
        )
    try:
        number = page_number(request)
    except Http404:
        number = 1
    if number > engine.CANDIDATES // engine.PAGE_SIZE and filters.sort == "relevance":
        number = engine.CANDIDATES // engine.PAGE_SIZE + 1
    results = None
    if not parsed.is_empty:
        results = engine.run(parsed, filters, number)
        for hit in results.hits:
            hit.snippet = snippet(hit.article, parsed.all_words)
    context = {
        "query": parsed,
        "form": form,
        "filters": filters,
        "results": results,
        "max_length": MAX_LENGTH,
        "sections": navigation(),
        "candidates": engine.CANDIDATES,
        # The shown articles as a plain list: listing hooks (comment counts in each story's
        # meta line) find them there and read all their data in one query, not one per story.
        "result_articles": [hit.article for hit in results.hits] if results else [],
        "page_links": page_links(request, results) if results else {},
    }
    response = render(request, "search/search.html", context)
    if parsed.is_empty:
        # The bare search page is the same for everyone: the page cache may keep it.
        request.cache_tags = ["site", "search"]
    else:
        # One stored page per query would let any visitor fill the shared cache with
        # pages nobody asks for again; results are fresh within the publishing target.
        response["Cache-Control"] = "no-cache, max-age=0"
    return response


def page_links(request, results) -> dict:
    params = [(k, v) for k, v in request.GET.items() if k != "page" and k in {"q", *FILTER_FIELDS}]
    base = reverse("search:search")

    def link(number):
        return f"{base}?{urlencode([*params, ('page', number)])}"

    return {
        "previous": link(results.number - 1) if results.has_previous else "",
        "next": link(results.number + 1) if results.has_next else "",
    }
