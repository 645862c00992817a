"""A small newsroom for the syndication tests: one section, two authors, tags, a picture,
a correction, and an older story outside the news sitemap's two-day window."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from lxml import etree
from wagtail.images.tests.utils import get_test_image_file

from newsdesk.news.factories import ArticlePageFactory, AuthorFactory, SectionPageFactory
from newsdesk.news.models import Correction, NewsImage

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def newsroom(db):
    # Whole seconds, as the newsroom's tools store them (the article template's <time> may
    # not carry microseconds).
    now = timezone.now().replace(microsecond=0)
    world = SectionPageFactory(title="World", slug="world", description="News from abroad.")
    ada = AuthorFactory(name="Ada Lane", slug="ada-lane", role="World editor")
    bo = AuthorFactory(name="Bo Chen", slug="bo-chen", role="Reporter")
    picture = NewsImage.objects.create(
        title="Harbour",
        description="Boats in a harbour at dawn.",
        credit="Agency",
        file=get_test_image_file(size=(1600, 900)),
    )
    lead = ArticlePageFactory(
        parent=world,
        title="Harbour reopens after storm",
        slug="harbour-reopens",
        standfirst="Boats sail again & trade resumes <slowly>.",
        authors=[ada, bo],
        tags=["Storms", "Trade"],
        first_published_at=now - timedelta(hours=3),
        featured_image=picture,
    )
    Correction.objects.create(
        article=lead, text="An earlier version misnamed the harbour.", created_at=now
    )
    old = ArticlePageFactory(
        parent=world,
        title="Archive story from last week",
        slug="archive-story",
        authors=[bo],
        tags=["Trade"],
        first_published_at=now - timedelta(days=7),
    )
    return {"world": world, "ada": ada, "bo": bo, "lead": lead, "old": old, "now": now}


def schema(*names: str) -> etree.XMLSchema:
    """An XML Schema from test data; several names make a wrapper importing each namespace
    (sitemap.xsd lets <url> hold other namespaces' elements only strictly, see SOURCES.md)."""
    if len(names) == 1:
        return etree.XMLSchema(etree.parse(str(DATA / names[0])))
    imports = []
    for name in names:
        target = etree.parse(str(DATA / name)).getroot().get("targetNamespace")
        location = (DATA / name).as_uri()
        imports.append(f'<xsd:import namespace="{target}" schemaLocation="{location}"/>')
    wrapper = (
        '<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">'
        + "".join(imports)
        + "</xsd:schema>"
    )
    return etree.XMLSchema(etree.fromstring(wrapper.encode()))


def assert_valid(xml: bytes, xsd: etree.XMLSchema) -> etree._Element:
    document = etree.fromstring(xml)
    if not xsd.validate(document):
        pytest.fail("\n".join(str(error) for error in xsd.error_log))
    return document
