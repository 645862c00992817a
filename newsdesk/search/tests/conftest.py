from datetime import timedelta

import pytest
from django.utils import timezone

from newsdesk.news.factories import ArticlePageFactory, SectionPageFactory


def body(*paragraphs: str) -> list[dict]:
    return [{"type": "paragraph", "value": f"<p>{p}</p>"} for p in paragraphs]


@pytest.fixture
def world(db):
    return SectionPageFactory(title="World", slug="world")


@pytest.fixture
def politics(db):
    return SectionPageFactory(title="Politics", slug="politics")


def article(section, title, standfirst="", paragraphs=(), days_old=0, tags=(), **kwargs):
    published = timezone.now() - timedelta(days=days_old)
    return ArticlePageFactory(
        parent=section,
        title=title,
        standfirst=standfirst or f"{title}.",
        body=body(*(paragraphs or ["Nothing else to report."])),
        first_published_at=published,
        last_published_at=published,
        tags=list(tags),
        **kwargs,
    )


@pytest.fixture
def newsroom(world, politics):
    """A handful of stories with known words in headline, standfirst and body."""
    return {
        "missiles": article(
            world,
            "Ukraine may fire long-range missiles into Russia",
            "Washington weighs permission for ATACMS strikes.",
            ["Officials said the Storm Shadow decision was close."],
            days_old=2,
            tags=["Ukraine", "Defence"],
        ),
        "harbour": article(
            world,
            "Harbour reopens after storm",
            "Ships return to the harbour.",
            ["The missile defence drill was cancelled because of the storm."],
            days_old=10,
            tags=["Weather"],
        ),
        "budget": article(
            politics,
            "Chancellor sets out the budget",
            "Taxes rise for the first time in years.",
            ["The prime minister travels to Washington next week."],
            days_old=1,
            tags=["Economy"],
        ),
        "election": article(
            politics,
            "Élection présidentielle: les résultats",
            "Les électeurs ont voté dimanche.",
            ["Результаты выборов ожидаются завтра."],
            days_old=5,
            tags=["Europe"],
        ),
    }
