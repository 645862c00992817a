import pytest

from newsdesk.news.factories import ArticlePageFactory, SectionPageFactory
from newsdesk.readership import maintenance
from newsdesk.readership.models import DailyViews, HourlyViews
from newsdesk.readership.stores import reset_stores
from newsdesk.readership.visitors import live_articles

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"


@pytest.fixture(autouse=True)
def _fresh_memo():
    """Ids and salts are reused between tests (rolled-back transactions): forget them."""
    live_articles.forget()
    reset_stores()
    yield
    live_articles.forget()
    reset_stores()


@pytest.fixture
def section(db):
    return SectionPageFactory(title="World", slug="world")


@pytest.fixture
def story(section):
    return ArticlePageFactory(parent=section, title="A story readers want", slug="story")


def send(client, article_id, ip="192.0.2.1", agent=BROWSER, body=None, **headers):
    """One beacon as a browser sends it; returns the response."""
    return client.post(
        "/readership/view",
        data=body if body is not None else f"article={article_id}",
        content_type="application/x-www-form-urlencoded",
        REMOTE_ADDR=ip,
        HTTP_USER_AGENT=agent,
        **headers,
    )


def stored_views() -> dict[int, int]:
    """Views per article after a flush (the Redis store buffers; the database store does not)."""
    maintenance.flush()
    totals: dict[int, int] = {}
    for model in (HourlyViews, DailyViews):
        for row in model.objects.all():
            totals[row.article_id] = totals.get(row.article_id, 0) + row.views
    return totals
