"""Relevance on the demo content: each judged query's expected story must be ranked first."""

from io import StringIO

import pytest
from django.db import connection

from newsdesk.news.demo.loader import DemoLoader
from newsdesk.search import engine
from newsdesk.search.query import parse

from .judged import JUDGED

pytestmark = pytest.mark.django_db


def test_judged_queries_rank_the_expected_story_first():
    DemoLoader(StringIO(), per_section=36).run()
    misses = []
    for query, slug in JUDGED:
        results = engine.run(parse(query), engine.Filters())
        first = results.hits[0].article.slug if results.hits else None
        if first != slug:
            misses.append(f"{query!r}: expected {slug}, got {first}")
    share = (len(JUDGED) - len(misses)) / len(JUDGED)
    print(f"\njudged set on {connection.vendor}: {share:.0%} ranked first")
    assert not misses, f"{share:.0%} first; misses:\n" + "\n".join(misses)
