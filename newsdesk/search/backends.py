"""Wagtail's database search backend, tuned for a news archive.

``WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "newsdesk.search.backends"}}`` picks, like
Wagtail's ``wagtail.search.backends.database``, the backend for the default database's engine:
SQLite's FTS5 in the embedded default, PostgreSQL's full-text search in production. Two changes:

- **PostgreSQL**: Wagtail matches ``(title || body) @@ query``, an expression neither of the
  table's GIN indexes (one on ``title``, one on ``body``) can answer, so every search read the
  whole index table. Here a row matches ``title @@ query OR body @@ query`` (the same rows), which
  the planner answers from both indexes with a bitmap OR.
- **SQLite**: FTS5 ranks with ``bm25()`` and Wagtail puts every non-title field into one
  ``body`` column, losing field boosts. Here bm25 weighs the ``title`` column above ``body``,
  and a boosted field (the standfirst) is written into ``body`` as many times as its boost, so
  the headline counts most, then the standfirst, then the body text.

Both: Wagtail refreshes headline-length norms after every indexed object by averaging the
length of every headline in the index and scanning it for rows still at the default norm — two
full-table reads per publish, hundreds of milliseconds at a million articles. Here the average is
cached for an hour (it barely moves) and only the rows just written are updated.
"""

from django.core.cache import cache
from django.db import connection
from django.db.models import Avg, Exists, F, OuterRef, Q
from django.db.models.expressions import Func
from django.db.models.fields import FloatField
from django.db.models.functions import Cast, Length
from modelsearch.utils import get_content_type_pk
from wagtail.search.backends.database.fallback import DatabaseSearchBackend
from wagtail.search.index import SearchField

from newsdesk.news.models import ArticlePage

from . import documents
from .documents import newest_matches

# bm25() weights of the FTS5 table's columns, in its order (autocomplete, body, title).
SQLITE_COLUMN_WEIGHTS = (0.0, 1.0, 10.0)


AVERAGE_TITLE_KEY = "search:average-title-length"


class TitleNorms:
    """Mixed into Wagtail's index classes: norms for the rows just written only."""

    def add_items(self, model, objs):
        objs = list(objs)
        self._written = {str(obj.pk) for obj in objs}
        try:
            return super().add_items(model, objs)
        finally:
            self._written = None

    def _refresh_title_norms(self, full=False):
        written = getattr(self, "_written", None)
        if full or not written:
            cache.delete(AVERAGE_TITLE_KEY)
            return super()._refresh_title_norms(full=full)
        average = cache.get(AVERAGE_TITLE_KEY)
        if average is None:
            average = (
                (
                    self.entries.annotate(title_length=Length("title"))
                    .filter(title_length__gt=0)
                    .aggregate(Avg("title_length"))["title_length__avg"]
                )
                or 1.0
            )
            cache.set(AVERAGE_TITLE_KEY, average, 3600)
        self.entries.filter(object_id__in=written, title_norm=1.0).annotate(
            title_length=Length("title")
        ).filter(title_length__gt=0).update(title_norm=average / F("title_length"))


def in_rank_order(queryset, best, pk_field, score_field):
    """The objects of ``best`` ((object id, score) pairs, best first) from ``queryset``, in that
    order, each with its score when ``score_field`` is asked for; ids no longer there are left out."""
    scores = {pk_field.to_python(object_id): score for object_id, score in best}
    found = {obj.pk: obj for obj in queryset.filter(pk__in=list(scores))}
    ordered = []
    for pk, score in scores.items():
        if pk in found:
            if score_field:
                setattr(found[pk], score_field, score)
            ordered.append(found[pk])
    return ordered


class CountsRankedLists:
    """For search results whose ranked query returns a list, not a queryset."""

    def _do_count(self):
        found = self.get_queryset()
        return len(found) if isinstance(found, list) else found.count()


def ranked_articles(queryset, query, limit: int):
    """PostgreSQL: ``(id, score, published_at)`` of the ``limit`` best articles of ``queryset``
    for ``query`` (ranked among the newest matches, see ``newsdesk.search.documents``), best
    first, without loading any article; ``None`` where this does not apply (other databases,
    queries other than words and phrases), for the caller to use Wagtail's ``search()``."""
    from modelsearch.backends.database.postgres.postgres import And, Phrase, PlainText
    from wagtail.search.backends import get_search_backend

    if not documents.enabled() or not issubclass(queryset.model, ArticlePage):
        return None
    if not isinstance(query, (PlainText, Phrase, And)):
        return None
    backend = get_search_backend()
    compiler = backend.query_compiler_class(queryset, query, order_by_relevance=True)
    if not hasattr(compiler, "ranked_documents"):
        return None
    config = compiler.get_config(backend)
    search_query = compiler.build_tsquery(query, config=config)
    return compiler.ranked_documents(search_query, config, limit)


def SearchBackend(params):
    if connection.vendor == "postgresql":
        return _postgres_backend()(params)
    if connection.vendor == "sqlite":
        from modelsearch.backends.database.sqlite.utils import fts5_available, fts_table_exists

        if fts5_available() and fts_table_exists():
            return _sqlite_backend()(params)
    return DatabaseSearchBackend(params)


def _postgres_backend():
    from modelsearch.backends.database.postgres import postgres

    class QueryCompiler(postgres.PostgresSearchQueryCompiler):
        def search(self, config, start, stop, score_field=None, backend=None):
            search_query = (
                self.build_tsquery(self.query, config=config)
                if isinstance(self.query, (postgres.PlainText, postgres.Phrase, postgres.And))
                else None
            )
            if self.fields is not None or search_query is None:
                return super().search(config, start, stop, score_field, backend)
            if issubclass(self.queryset.model, ArticlePage):
                found = self.search_documents(search_query, config, start, stop, score_field)
                if found is not None:
                    return found
            from modelsearch.backends.database.postgres.postgres import IndexEntry
            from modelsearch.utils import get_descendants_content_types_pks

            # Driven from the index table (its GIN indexes), each match checked against the
            # filtered articles by primary key: Wagtail's join casts the article's key to text,
            # which no index serves, so every search read the whole article table.
            entries = IndexEntry.objects.filter(
                Q(title=search_query) | Q(body=search_query),
                content_type_id__in=get_descendants_content_types_pks(self.queryset.model),
            )
            pk_field = self.queryset.model._meta.pk
            pk_type = getattr(pk_field, "target_field", pk_field)
            if not self.order_by_relevance:
                ids = entries.annotate(object_pk=Cast("object_id", output_field=pk_type)).values(
                    "object_pk"
                )
                queryset = self.queryset.filter(pk__in=ids)
                if not queryset.query.order_by:
                    queryset = queryset.order_by("-pk")
                return queryset[start:stop]
            wanted = self.queryset.order_by().filter(
                pk=Cast(OuterRef("object_id"), output_field=pk_type)
            )
            rank = self.build_tsrank(F("title"), self.query, config=config) * F(
                "title_norm"
            ) + self.build_tsrank(F("body"), self.query, config=config)
            best = list(
                entries.filter(Exists(wanted))
                .annotate(rank=rank)
                .order_by("-rank", "-object_id")
                .values_list("object_id", "rank")[start:stop]
            )
            return in_rank_order(self.queryset, best, pk_field, score_field)

        def search_documents(self, search_query, config, start, stop, score_field):
            """Readers' article searches, on the search table (``newsdesk.search.documents``):
            relevance ranks the newest matches only; newest-first and counting stop after
            ``stop`` matches. ``None`` for an ordering the table cannot serve."""
            from .models import Document

            ordering = tuple(self.queryset.query.order_by)
            newest_first = ordering[:1] == ("-published_at",)
            if not self.order_by_relevance and ordering and not newest_first:
                return None
            visible = Exists(self.queryset.order_by().filter(pk=OuterRef("article_id")))
            narrowing = documents.narrowing(self.queryset)
            if not self.order_by_relevance:
                matching = Document.objects.filter(narrowing, visible).filter(
                    Q(title=search_query) | Q(body=search_query)
                )
                if newest_first:
                    matching = matching.order_by("-published_at", "-article_id")
                ids = matching.values("article_id")[:stop]
                queryset = self.queryset.filter(pk__in=ids)
                return (queryset if ordering else queryset.order_by("-pk"))[start:stop]
            best = [
                (pk, rank) for pk, rank, _ in self.ranked_documents(search_query, config, stop)
            ][start:stop]
            return in_rank_order(self.queryset, best, self.queryset.model._meta.pk, score_field)

        def ranked_documents(self, search_query, config, stop):
            """``(article id, score, published_at)`` of the most relevant of the newest matches
            (at least ``documents.NEWEST_MATCHES`` of them, ``stop`` if more), best first."""
            from .models import Document

            visible = Exists(self.queryset.order_by().filter(pk=OuterRef("article_id")))
            candidates = newest_matches(
                visible,
                search_query,
                max(stop or 0, documents.NEWEST_MATCHES),
                documents.narrowing(self.queryset),
            )
            rank = self.build_tsrank(F("title"), self.query, config=config) * F(
                "title_norm"
            ) + self.build_tsrank(F("body"), self.query, config=config)
            return list(
                Document.objects.filter(article_id__in=candidates)
                .annotate(rank=rank)
                .order_by("-rank", "-article_id")
                .values_list("article_id", "rank", "published_at")[:stop]
            )

    class Results(CountsRankedLists, postgres.PostgresSearchResults):
        pass

    class Index(TitleNorms, postgres.PostgresIndex):
        """Wagtail's index, and the search table's copy of its published articles' rows."""

        def add_items(self, model, objs):
            objs = list(objs)
            result = super().add_items(model, objs)
            if issubclass(model, ArticlePage):
                documents.write(obj.pk for obj in objs)
            return result

        def delete_item(self, item):
            super().delete_item(item)
            if isinstance(item, ArticlePage):
                documents.forget([item.pk])

        def reset(self):
            super().reset()
            documents.forget_all()

        def _refresh_title_norms(self, full=False):
            super()._refresh_title_norms(full=full)
            if full:
                documents.copy_norms()

    class Backend(postgres.PostgresSearchBackend):
        index_class = Index
        query_compiler_class = QueryCompiler
        results_class = Results

    return Backend


class _WeightedBM25(Func):
    output_field = FloatField()

    def as_sql(self, compiler, connection, **extra):
        from modelsearch.backends.database.sqlite.query import SQLiteFTSIndexEntry

        weights = ", ".join(str(w) for w in SQLITE_COLUMN_WEIGHTS)
        return f"bm25({SQLiteFTSIndexEntry._meta.db_table}, {weights})", []


def _sqlite_backend():
    from modelsearch.backends.database.sqlite import sqlite

    class ObjectIndexer(sqlite.ObjectIndexer):
        @property
        def body(self):
            texts = []
            for field in self.search_fields:
                for current, value in self.prepare_field(self.obj, field):
                    if isinstance(current, SearchField) and current.field_name != "title":
                        texts.extend([value] * max(1, round(current.boost or 1)))
            return "\n".join(text for text in texts if text)

    class Index(TitleNorms, sqlite.SQLiteIndex):
        def add_items(self, model, objs):
            if not model.get_search_fields():
                return
            content_type = get_content_type_pk(model)
            rows = {
                indexer.id: (indexer.title, indexer.autocomplete, indexer.body)
                for indexer in (ObjectIndexer(obj, self.backend) for obj in objs)
            }
            if not rows:
                return
            entries = self.entries.filter(content_type_id=content_type)
            existing = set(entries.filter(object_id__in=rows).values_list("object_id", flat=True))
            for object_id in existing:
                title, autocomplete, body = rows[object_id]
                entries.filter(object_id=object_id).update(
                    title=title, autocomplete=autocomplete, body=body
                )
            self.entries.bulk_create(
                sqlite.IndexEntry(
                    content_type_id=content_type,
                    object_id=object_id,
                    title=title,
                    autocomplete=autocomplete,
                    body=body,
                )
                for object_id, (title, autocomplete, body) in rows.items()
                if object_id not in existing
            )
            self._refresh_title_norms()

    class QueryCompiler(sqlite.SQLiteSearchQueryCompiler):
        def build_tsrank(self, vector, query, config=None, boost=1.0):
            rank = super().build_tsrank(vector, query, config=config, boost=boost)
            return _swap_bm25(rank)

        def get_index_vectors(self):
            # bm25() already scores the whole row with column weights; counting it once per
            # column (as Wagtail does) only scaled it.
            return [(F("index_entry__title"), 1.0)]

        def search(self, config, start, stop, score_field=None):
            """Relevance order from the FTS table outwards: the MATCH runs once, and each match
            is checked against the filtered articles by primary key (``EXISTS``), then the page
            of best matches is loaded. Wagtail's own query ran the whole MATCH again for every
            matching row to fetch its score (seconds for a common word at 10,000 articles)."""
            from modelsearch.backends.database.sqlite.query import (
                MatchAll,
                MatchExpression,
                Not,
                SQLiteFTSIndexEntry,
                normalize,
            )
            from modelsearch.utils import get_descendants_content_types_pks

            normalized = normalize(self.query)
            if self.fields is not None or isinstance(normalized, (MatchAll, Not)):
                return super().search(config, start, stop, score_field)
            match = MatchExpression(
                self.FTS_TABLE_FIELDS, self.build_search_query(normalized, config=config)
            )
            # "+ 0" keeps SQLite from driving the join from the content-type index (it then
            # ran the MATCH once per index row: 2 s at 10,000 articles); the FTS table leads.
            matches = (
                SQLiteFTSIndexEntry.objects.filter(match)
                .alias(entry_type=F("index_entry__content_type_id") + 0)
                .filter(entry_type__in=get_descendants_content_types_pks(self.queryset.model))
            )
            pk_field = self.queryset.model._meta.pk
            pk_type = getattr(pk_field, "target_field", pk_field)
            if not self.order_by_relevance:
                ids = matches.annotate(
                    object_pk=Cast("index_entry__object_id", output_field=pk_type)
                ).values("object_pk")
                queryset = self.queryset.filter(pk__in=ids)
                if not queryset.query.order_by:
                    queryset = queryset.order_by("-pk")
                return queryset[start:stop]
            wanted = self.queryset.order_by().filter(
                pk=Cast(OuterRef("index_entry__object_id"), output_field=pk_type)
            )
            best = list(
                matches.filter(Exists(wanted))
                .annotate(rank=_WeightedBM25())
                .order_by("rank", "-index_entry__object_id")
                .values_list("index_entry__object_id", "rank")[start:stop]
            )
            return in_rank_order(self.queryset, best, pk_field, score_field)

    class Results(CountsRankedLists, sqlite.SQLiteSearchResults):
        pass

    class Backend(sqlite.SQLiteSearchBackend):
        index_class = Index
        query_compiler_class = QueryCompiler
        results_class = Results

    return Backend


def _swap_bm25(expression):
    from modelsearch.backends.database.sqlite.query import BM25

    if isinstance(expression, BM25):
        return _WeightedBM25()
    if hasattr(expression, "get_source_expressions"):
        expression.set_source_expressions(
            [_swap_bm25(e) for e in expression.get_source_expressions()]
        )
    return expression
