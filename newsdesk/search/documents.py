"""PostgreSQL: readers' searches rank the newest matches, read in date order.

Ranking every match of a query costs as much as there are matches: with a million articles a
common word matches hundreds of thousands, and ``ts_rank`` over all of them took seconds. Here a
query ranks a bounded candidate set instead — its :data:`NEWEST_MATCHES` newest matches (recency
is already the tie-breaker; the page says when older matches were left out) — and finds them in
one of two ways, both bounded:

1. **Walk** the newest articles in date order (the ``search_document_newest`` index) and test
   each one's vectors: the newest :data:`FIRST_WALK_ROWS` first, then — if the words were common
   enough there to fill the set within :data:`WALK_ROWS` — on to the :data:`WALK_ROWS`-th. Common
   words, exactly those whose ranking was slow, are served by the walk alone.
2. Rarer words (fewer than ``NEWEST_MATCHES / WALK_ROWS`` of recent articles): the GIN indexes
   find every older match, few by then, and the newest of them make up the rest.

A reader's section and date filters are applied to the table's own copies of those columns
first (:func:`narrowing`); whether the reader may see a story (live, listed, public, and the
same filters) is always asked of the article itself.

The walk needs each article's vectors and date in one row, so they live in their own table
(:class:`~newsdesk.search.models.Document`), a copy of Wagtail's index rows for published
articles written right after Wagtail writes its own (``newsdesk.search.backends``), filled in
date order by migration 0002 so that a walk reads neighbouring rows.
"""

import sys
from datetime import timedelta

from django.core.cache import cache
from django.db import connection
from django.db.models import BooleanField, F, Func, Q
from modelsearch.utils import get_content_type_pk
from wagtail.search.models import IndexEntry

from newsdesk.core.progress import Progress
from newsdesk.news.models import ArticlePage

from .models import Document

NEWEST_MATCHES = 200
FIRST_WALK_ROWS = 5_000
WALK_ROWS = 30_000
# Filters on the article that the documents' own copies can apply first: field, lookups.
NARROWING = {"section": "section_id", "published_at": "published_at"}
NARROWING_LOOKUPS = {"exact", "gt", "gte", "lt", "lte"}

TABLE = Document._meta.db_table
ENTRIES = IndexEntry._meta.db_table
ARTICLES = ArticlePage._meta.db_table
BOUNDARY_KEY = "search:walk-boundaries"
GIN_INDEXES = {"search_document_title": "title", "search_document_body": "body"}

_COPY = (
    f"INSERT INTO {TABLE} (article_id, published_at, section_id, title_norm, title, body)"  # noqa: S608
    " SELECT a.page_ptr_id, a.published_at, a.section_id, e.title_norm, e.title, e.body"
    f" FROM {ARTICLES} a JOIN {ENTRIES} e"
    "  ON e.content_type_id = %s AND e.object_id = a.page_ptr_id::text"
    " WHERE a.published_at IS NOT NULL AND {where}"
    " ORDER BY a.published_at, a.page_ptr_id"
    " ON CONFLICT (article_id) DO {conflict}"
)
_UPDATE = (
    "UPDATE SET published_at = EXCLUDED.published_at, section_id = EXCLUDED.section_id,"
    " title_norm = EXCLUDED.title_norm,"
    " title = EXCLUDED.title, body = EXCLUDED.body"
)


def enabled() -> bool:
    return connection.vendor == "postgresql"


def write(article_ids) -> None:
    """Copy Wagtail's index rows of these articles (call after Wagtail wrote them)."""
    ids = [int(pk) for pk in article_ids]
    if not ids or not enabled():
        return
    with connection.cursor() as cursor:
        cursor.execute(
            _COPY.format(where="a.page_ptr_id = ANY(%s)", conflict=_UPDATE),
            [get_content_type_pk(ArticlePage), ids],
        )


def forget(article_ids) -> None:
    if enabled():
        Document.objects.filter(article_id__in=[int(pk) for pk in article_ids]).delete()


def forget_all() -> None:
    if enabled():
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {TABLE}")


def copy_norms() -> None:
    """After Wagtail recomputed every headline norm (a full index rebuild)."""
    if not enabled():
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} d SET title_norm = e.title_norm FROM {ENTRIES} e"  # noqa: S608
            " WHERE e.content_type_id = %s AND e.object_id = d.article_id::text"
            " AND d.title_norm IS DISTINCT FROM e.title_norm",
            [get_content_type_pk(ArticlePage)],
        )


def fill(stdout=None, batch: int = 20_000) -> int:
    """Copy the index rows of every listed article that has none here yet, oldest first (so the
    table is in date order and a walk reads neighbouring rows), with progress; returns how many
    were written. Used by migration 0002 and after bulk indexing."""
    if not enabled():
        return 0
    listed = f"FROM {ARTICLES} a WHERE a.listed AND a.published_at IS NOT NULL"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) {listed}")
        total = cursor.fetchone()[0]
    if not total:
        return 0
    content_type = get_content_type_pk(ArticlePage)
    progress = Progress("Search documents", total, stdout or sys.stdout)
    missing = f" AND NOT EXISTS (SELECT 1 FROM {TABLE} d WHERE d.article_id = a.page_ptr_id)"  # noqa: S608
    last, written = None, 0
    while True:
        after, params = "", []
        if last is not None:
            after, params = " AND (a.published_at, a.page_ptr_id) > (%s, %s)", list(last)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT a.published_at, a.page_ptr_id {listed}{after}"
                " ORDER BY a.published_at, a.page_ptr_id OFFSET %s LIMIT 1",
                [*params, batch - 1],
            )
            bound = cursor.fetchone()
            where = "a.listed" + after
            if bound is not None:
                where += " AND (a.published_at, a.page_ptr_id) <= (%s, %s)"
            cursor.execute(
                _COPY.format(where=where + missing, conflict="NOTHING"),
                [content_type, *params, *(bound or ())],
            )
            written += max(cursor.rowcount, 0)
        progress.advance(batch if bound is not None else total - progress.done)
        if bound is None:
            break
        last = bound
    progress.finish()
    return written


def create_gin_indexes() -> None:
    with connection.cursor() as cursor:
        for name, column in GIN_INDEXES.items():
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {TABLE} USING gin ({column})")


class TsMatch(Func):
    """``vector @@ query`` written as the function, which no index answers: the walk tests the
    rows in date order instead of letting the planner read every match from the GIN index."""

    function = "ts_match_vq"
    output_field = BooleanField()


def walk_boundaries() -> tuple:
    """The dates of the :data:`FIRST_WALK_ROWS`-th and :data:`WALK_ROWS`-th newest documents
    (``None`` where there are fewer), kept for ten minutes: any dates are correct (each walk
    covers the rows from its boundary on, the GIN indexes the rest); stale ones only make the
    walks a few publications longer."""
    boundaries = cache.get(BOUNDARY_KEY)
    if boundaries is None:
        newest = Document.objects.order_by("-published_at", "-article_id").values_list(
            "published_at", flat=True
        )
        boundaries = tuple(
            next(iter(newest[rows - 1 : rows]), None) for rows in (FIRST_WALK_ROWS, WALK_ROWS)
        )
        cache.set(BOUNDARY_KEY, boundaries, 600)
    return boundaries


def newest_matches(visible, search_query, limit: int = NEWEST_MATCHES, narrowing=None) -> list[int]:
    """Ids of the ``limit`` newest documents matching ``search_query`` for which ``visible``
    (a condition on the document: the reader may see its article) holds, newest first.
    ``narrowing``: the same filters as ``visible`` has on section and date, applied to the
    documents' own copies first so that fewer articles are visited."""
    narrowing = narrowing or Q()
    documents = Document.objects.filter(narrowing, visible)
    matching = TsMatch(F("title"), search_query) | TsMatch(F("body"), search_query)

    def walk(since, until, count):
        walked = documents.filter(matching)
        if since is not None:
            walked = walked.filter(published_at__gte=since)
        if until is not None:
            walked = walked.filter(published_at__lt=until)
        ordered = walked.order_by("-published_at", "-article_id")
        return list(ordered.values_list("article_id", flat=True)[:count])

    first, last = walk_boundaries()
    found = walk(first, None, limit)
    if len(found) >= limit or first is None:
        return found
    # The first walk tells how common the words are: common enough to find the rest within
    # WALK_ROWS, walk on; rarer, ask the GIN indexes for the older matches straight away.
    if len(found) * WALK_ROWS >= limit * FIRST_WALK_ROWS:
        found += walk(last, first, limit - len(found))
        if len(found) >= limit or last is None:
            return found
        first = last
    return found + older_matches(visible, search_query, first, limit - len(found), narrowing)


def older_matches(visible, search_query, before, count: int, narrowing) -> list[int]:
    """Rare words: every match published before ``before`` through the GIN indexes, the newest
    of them first (the sort key is an expression so that the planner cannot walk the date index
    instead). Whether readers may see them is asked of the newest few only, then of all of them
    if too few of those were visible (unpublished or private stories)."""
    older = (
        Document.objects.filter(Q(title=search_query) | Q(body=search_query), narrowing)
        .filter(published_at__lt=before)
        .order_by((F("published_at") + timedelta(0)).desc(), "-article_id")
        .values_list("article_id", flat=True)
    )
    batch = count + count // 4 + 10  # nearly all are visible once section and dates narrowed
    newest = list(older[:batch])
    shown = list(
        Document.objects.filter(visible, article_id__in=newest)
        .order_by("-published_at", "-article_id")
        .values_list("article_id", flat=True)[:count]
    )
    if len(shown) < count and len(newest) == batch:
        shown = list(older.filter(visible)[:count])
    return shown


def narrowing(queryset) -> Q:
    """The section and date conditions among ``queryset``'s top-level filters, as conditions on
    documents (the documents' copies of those columns). Only a pre-filter: the article itself is
    still checked, so a copy a moment stale can leave a story out, never show a wrong one."""
    where = queryset.query.where
    found = Q()
    if where.connector != "AND" or where.negated:
        return found
    for child in where.children:
        field = getattr(getattr(child, "lhs", None), "target", None)
        name = getattr(field, "name", None)
        if (
            name in NARROWING
            and getattr(child, "lookup_name", None) in NARROWING_LOOKUPS
            and field.model is queryset.model._meta.concrete_model
        ):
            value = getattr(child.rhs, "pk", child.rhs)
            found &= Q(**{f"{NARROWING[name]}__{child.lookup_name}": value})
    return found
