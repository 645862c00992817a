"""Filling the search index for articles written in bulk (``newsdesk generate``).

Wagtail indexes one object at a time through the ORM (about a millisecond each plus a query),
hours at a million articles. Here the index rows for articles not yet indexed are built in
batches by primary-key range: the text is read with one query per batch (plus one for tags),
and written with one statement — PostgreSQL computes the weighted ``tsvector`` columns itself
(``to_tsvector`` with the same weights and configuration as Wagtail's indexer); SQLite gets
the plain text columns, which its triggers copy into the FTS5 table. The rows are the ones
Wagtail would write, so later edits and searches cannot tell the difference.
"""

import json
from collections import defaultdict

from django.db import connection, transaction
from modelsearch.utils import get_content_type_pk
from wagtail.rich_text import get_text_for_indexing
from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry

from newsdesk.core.progress import Progress
from newsdesk.news.models import ArticlePage, ArticleTag

from . import documents

TABLE = IndexEntry._meta.db_table


def stream_text(value) -> list[str]:
    """Every string in a StreamField's stored JSON, rich text reduced to its words."""
    if isinstance(value, str):
        return [get_text_for_indexing(value)] if "<" in value or "&" in value else [value]
    if isinstance(value, list):
        return [text for item in value for text in stream_text(item)]
    if isinstance(value, dict):
        if "type" in value and "value" in value:
            return stream_text(value["value"])
        return [text for item in value.values() for text in stream_text(item)]
    return []


def missing_range(content_type: int, low: int, high: int):
    """Articles in ``[low, high)`` without an index row."""
    indexed = IndexEntry.objects.filter(
        content_type_id=content_type,
        object_id__in=[str(pk) for pk in range(low, high)],
    ).values_list("object_id", flat=True)
    done = {int(pk) for pk in indexed}
    return (
        ArticlePage.objects.filter(pk__gte=low, pk__lt=high)
        .exclude(pk__in=done)
        .values_list("pk", "title", "standfirst", "body")
        .order_by("pk")
    )


def rows_for(articles) -> list[dict]:
    ids = [pk for pk, *_ in articles]
    tags = defaultdict(list)
    for pk, name in ArticleTag.objects.filter(content_object_id__in=ids).values_list(
        "content_object_id", "tag__name"
    ):
        tags[pk].append(name)
    rows = []
    for pk, title, standfirst, body in articles:
        if hasattr(body, "raw_data"):  # a StreamValue: its stored JSON, blocks not built
            raw = list(body.raw_data)
        else:
            raw = body if isinstance(body, (list, dict)) else json.loads(body or "[]")
        rows.append(
            {
                "id": str(pk),
                "title": title,
                "standfirst": standfirst,
                "body": " ".join(t for t in stream_text(raw) if t),
                "tags": tags.get(pk, []),
            }
        )
    return rows


def write_postgres(content_type: int, rows: list[dict], config: str) -> None:
    from modelsearch.backends.database.postgres.weights import get_weight

    title_weight, standfirst_weight, body_weight = get_weight(2), get_weight(1.5), get_weight(None)
    values, params = [], []
    for row in rows:
        values.append(
            '(%s, %s, setweight(to_tsvector(%s::regconfig, %s), %s::"char"),'
            " setweight(to_tsvector('simple', %s), 'D'),"
            ' setweight(to_tsvector(%s::regconfig, %s), %s::"char")'
            ' || setweight(to_tsvector(%s::regconfig, %s), %s::"char")'
            ' || setweight(to_tsvector(%s::regconfig, %s), %s::"char"), 1.0, %s, %s)'
        )
        tags = ", ".join(row["tags"])
        params += [
            content_type,
            row["id"],
            config,
            row["title"],
            title_weight,
            row["title"],
            config,
            row["standfirst"],
            standfirst_weight,
            config,
            row["body"],
            body_weight,
            config,
            tags,
            standfirst_weight,
            row["title"],
            " ".join(t for t in (row["standfirst"], row["body"], tags) if t),
        ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (content_type_id, object_id, title, autocomplete, body,"  # noqa: S608
            f" title_norm, title_text, body_text) VALUES {', '.join(values)}"
            " ON CONFLICT (content_type_id, object_id) DO NOTHING",
            params,
        )


def write_sqlite(content_type: int, rows: list[dict]) -> None:
    # The same text Wagtail's SQLite indexer (newsdesk.search.backends) writes: boosted fields
    # repeated, as bm25 has no per-field weights within a column.
    IndexEntry.objects.bulk_create(
        [
            IndexEntry(
                content_type_id=content_type,
                object_id=row["id"],
                title=row["title"],
                autocomplete=row["title"],
                body="\n".join(
                    [row["standfirst"]] * 2
                    + [row["body"]]
                    + [t for t in row["tags"] for _ in (1, 2)]
                ),
                title_norm=1.0,
            )
            for row in rows
        ],
        ignore_conflicts=True,
    )


def refresh_title_norms() -> None:
    """Wagtail's ``lavg / ld`` for the rows written here (they start at 1.0, as Wagtail's do)."""
    get_search_backend().get_index_for_model(ArticlePage)._refresh_title_norms()


def index_articles(stdout, batch: int = 2000) -> int:
    """Index every article that has no index row yet; returns how many were written."""
    content_type = get_content_type_pk(ArticlePage)
    bounds = ArticlePage.objects.order_by("pk").values_list("pk", flat=True)
    first, last = bounds.first(), bounds.last()
    if first is None:
        return 0
    config = get_search_backend().config if connection.vendor == "postgresql" else None
    total = (
        ArticlePage.objects.count()
        - IndexEntry.objects.filter(content_type_id=content_type).count()
    )
    progress = Progress("Search index", max(total, 0), stdout)
    written = 0
    for low in range(first, last + 1, batch):
        articles = list(missing_range(content_type, low, low + batch))
        if not articles:
            continue
        rows = rows_for(articles)
        with transaction.atomic():
            if connection.vendor == "postgresql":
                write_postgres(content_type, rows, config or "english")
            else:
                write_sqlite(content_type, rows)
        written += len(rows)
        progress.advance(len(rows))
    progress.finish()
    if written:
        stdout.write("Search index: computing headline length norms…")
        refresh_title_norms()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {TABLE}")  # the planner must see the new rows
            if documents.fill(stdout):
                with connection.cursor() as cursor:
                    cursor.execute(f"ANALYZE {documents.TABLE}")
    return written
