"""`newsdesk generate` fills the search index in bulk, with the rows Wagtail itself writes."""

from io import StringIO

import pytest
from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry

from newsdesk.news.bulk import SiteGenerator
from newsdesk.news.models import ArticlePage
from newsdesk.search import engine
from newsdesk.search.bulk import index_articles
from newsdesk.search.query import parse

pytestmark = pytest.mark.django_db


def entry(article) -> IndexEntry:
    return IndexEntry.objects.get(object_id=str(article.pk), content_type__model="articlepage")


def test_generated_articles_are_searchable(client):
    out = StringIO()
    SiteGenerator(out, 120, batch=50).run()
    assert "Search index: 120/120" in out.getvalue()
    articles = list(ArticlePage.objects.filter(slug__startswith="g"))
    assert len(articles) == 120
    assert IndexEntry.objects.filter(content_type__model="articlepage").count() == 120
    sample = articles[7]
    word = sample.title.split()[-1]
    found = engine.run(parse(sample.title), engine.Filters()).hits
    assert sample.pk in [hit.article.pk for hit in found], word
    body_words = [w for w in sample.body[0].value.source.split() if w.isalpha() and len(w) > 5]
    assert engine.run(parse(body_words[0]), engine.Filters()).hits
    assert entry(sample).title_norm != 1.0 or len(articles) == 1


def test_bulk_rows_rank_like_wagtails_own(client):
    """Index the same articles both ways: every query ranks them identically."""
    SiteGenerator(StringIO(), 60, batch=60).run()
    queries = ["minister", "talks", "storm", "market shares", "election"]

    def ranking():
        return {
            q: [h.article.pk for h in engine.run(parse(q), engine.Filters()).hits] for q in queries
        }

    bulk = ranking()
    backend = get_search_backend()
    for article in ArticlePage.objects.all():
        backend.add(article)
    backend.get_index_for_model(ArticlePage)._refresh_title_norms(full=True)
    assert ranking() == bulk


def test_indexing_is_idempotent(client):
    SiteGenerator(StringIO(), 30).run()
    assert index_articles(StringIO()) == 0
