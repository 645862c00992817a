"""PostgreSQL: readers' searches rank the newest matches, read in date order.

Ranking every match of a query costs as much as there are matches: with a million articles a
common word matches hundreds of thousands, and ``ts_rank`` over all of them took seconds. Here a
query ranks a bounded candidate set instead — its :data:`NEWEST_MATCHES` newest matches (recency
is already the tie-breaker; the page says when older matches were left out) — and finds them in
one of two ways, both bounded:

1. **Walk** the newest :data:`WALK_ROWS` articles in date order (the ``search_document_newest``
   index) and test each one's vectors: enough when the words are common, which is exactly when
   ranking every match was slow.
2. If that found fewer than :data:`NEWEST_MATCHES`, the words are rare (under
   ``NEWEST_MATCHES / WALK_ROWS`` of recent articles): the GIN indexes find every older match,
   few by then, and the newest of them make up the rest.

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
WALK_ROWS = 30_000

TABLE = Document._meta.db_table
ENTRIES = IndexEntry._meta.db_table
ARTICLES = ArticlePage._meta.db_table
BOUNDARY_KEY = "search:walk-boundary"
GIN_INDEXES = {"search_document_title": "title", "search_document_body": "body"}

_COPY = (
    f"INSERT INTO {TABLE} (article_id, published_at, title_norm, title, body)"  # noqa: S608
    " SELECT a.page_ptr_id, a.published_at, e.title_norm, e.title, e.body"
    f" FROM {ARTICLES} a JOIN {ENTRIES} e"
    "  ON e.content_type_id = %s AND e.object_id = a.page_ptr_id::text"
    " WHERE a.published_at IS NOT NULL AND {where}"
    " ORDER BY a.published_at, a.page_ptr_id"
    " ON CONFLICT (article_id) DO {conflict}"
)
_UPDATE = (
    "UPDATE SET published_at = EXCLUDED.published_at, title_norm = EXCLUDED.title_norm,"
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
        cursor.execute(f"ANALYZE {TABLE}")


class TsMatch(Func):
    """``vector @@ query`` written as the function, which no index answers: the walk tests the
    rows in date order instead of letting the planner read every match from the GIN index."""

    function = "ts_match_vq"
    output_field = BooleanField()


def walk_boundary():
    """The date of the :data:`WALK_ROWS`-th newest document (``None`` with fewer), kept for
    ten minutes: any date is correct (the walk covers the rows at or after it, the GIN indexes
    the rest); a stale one only makes the walk a few publications longer."""
    boundary = cache.get(BOUNDARY_KEY)
    if boundary is None:
        boundary = list(
            Document.objects.order_by("-published_at", "-article_id").values_list(
                "published_at", flat=True
            )[WALK_ROWS - 1 : WALK_ROWS]
        )
        cache.set(BOUNDARY_KEY, boundary, 600)
    return boundary


def newest_matches(documents, search_query, limit: int = NEWEST_MATCHES) -> list[int]:
    """Ids of the ``limit`` newest ``documents`` matching ``search_query``, newest first."""
    boundary = walk_boundary()
    walked = documents.filter(published_at__gte=boundary[0]) if boundary else documents
    found = list(
        walked.filter(TsMatch(F("title"), search_query) | TsMatch(F("body"), search_query))
        .order_by("-published_at", "-article_id")
        .values_list("article_id", flat=True)[:limit]
    )
    if len(found) < limit and boundary:
        # Rare words: every older match through the GIN indexes, then the newest of them (the
        # sort key is an expression so that the planner cannot walk the date index instead).
        older = (
            documents.filter(Q(title=search_query) | Q(body=search_query))
            .filter(published_at__lt=boundary[0])
            .order_by((F("published_at") + timedelta(0)).desc(), "-article_id")
            .values_list("article_id", flat=True)[: limit - len(found)]
        )
        found += list(older)
    return found
