"""Query budgets: each page type, rendered uncached, reads the database a fixed number of times,
however many stories, bylines, tags, corrections or comments it shows (no N+1 anywhere); the
article page includes its comments, related stories and Trending.

The budgets are the counts measured when they were set; a change that adds a query per page view
must raise the budget here, on purpose. Requests carry a personal cookie, which bypasses the page
cache, with the small shared caches (site, view restrictions, settings) warm, as on a live site.
"""

from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from newsdesk.comments.models import Comment, Status
from newsdesk.news.factories import ArticlePageFactory, AuthorFactory, SectionPageFactory
from newsdesk.news.models import Correction

pytestmark = pytest.mark.django_db

UNCACHED = {"HTTP_COOKIE": "newsdesk_wrote=1"}

# page type -> most queries for one uncached view (measured: see the module docstring)
BUDGETS = {
    "article": 5,
    "section": 4,
    "section, deep page": 5,
    "home": 7,  # 5 + one per section on the front (two here), never per story
    "author": 4,
    "tag": 4,
    "feed": 5,
    "section feed": 7,
    "sitemap index": 12,
    "sitemap file": 3,
    "news sitemap": 2,
}


def queries(client, url: str) -> int:
    client.get(url, **UNCACHED)  # warm the shared caches, as any earlier reader would
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **UNCACHED)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def build_site(stories: int, authors_each: int, tags_each: int, corrections_each: int):
    """A site whose every story carries the given number of bylines, tags and corrections."""
    world = SectionPageFactory(title="World", slug="world")
    SectionPageFactory(title="Business", slug="business")
    authors = [AuthorFactory(name=f"Writer {n}") for n in range(max(authors_each, 1))]
    made = []
    for number in range(stories):
        story = ArticlePageFactory(
            parent=world,
            title=f"Story {number}",
            authors=authors[:authors_each] or authors[:1],
            tags=[f"topic-{t}" for t in range(tags_each)],
        )
        for c in range(corrections_each):
            Correction.objects.create(article=story, text=f"Correction {c}")
        made.append(story)
    return made[-1], authors[0]


def urls(story, author, client) -> dict[str, str]:
    index = client.get("/sitemap.xml", **UNCACHED).text
    first_file = index.split("<loc>")[1].split("</loc>")[0]
    return {
        "article": story.url,
        "section": "/world/",
        "section, deep page": "/world/?page=2",
        "home": "/",
        "author": f"/authors/{author.slug}/",
        "tag": "/tags/topic-0/",
        "feed": "/feed/",
        "section feed": "/world/feed/",
        "sitemap index": "/sitemap.xml",
        "sitemap file": urlsplit(first_file).path,
        "news sitemap": "/news-sitemap.xml",
    }


@pytest.mark.parametrize(
    "shape",
    [
        {"stories": 45, "authors_each": 1, "tags_each": 1, "corrections_each": 0},
        {"stories": 90, "authors_each": 3, "tags_each": 4, "corrections_each": 2},
    ],
    ids=["small", "rich"],
)
def test_each_page_type_stays_within_its_budget(client, shape):
    story, author = build_site(**shape)
    measured = {name: queries(client, url) for name, url in urls(story, author, client).items()}
    over = {name: n for name, n in measured.items() if n > BUDGETS[name]}
    assert not over, f"over budget: {over} (budgets {BUDGETS})"


def test_query_count_does_not_grow_with_what_a_page_shows(client):
    story, author = build_site(stories=30, authors_each=1, tags_each=1, corrections_each=0)
    before = {name: queries(client, url) for name, url in urls(story, author, client).items()}
    richer = ArticlePageFactory(
        parent=story.get_parent(),
        title="Many hands",
        authors=[AuthorFactory(name=f"Extra {n}") for n in range(4)],
        tags=[f"topic-{t}" for t in range(6)],
    )
    for c in range(3):
        Correction.objects.create(article=richer, text=f"Fix {c}")
    threads = [
        Comment.objects.create(
            article=richer,
            name=f"Reader {n}",
            email=f"r{n}@example.com",
            body="Well put.",
            status=Status.APPROVED,
        )
        for n in range(25)
    ]
    for n, parent in enumerate(threads):  # and a reply to each: 50 comments in all
        Comment.objects.create(
            article=richer,
            parent=parent,
            name=f"Replier {n}",
            email=f"p{n}@example.com",
            body="Agreed.",
            status=Status.APPROVED,
        )
    after = {name: queries(client, url) for name, url in urls(richer, author, client).items()}
    assert after == before
