import io

import pytest
from django.core.files.images import ImageFile
from PIL import Image as PILImage

from newsdesk.news.factories import ArticlePageFactory, AuthorFactory, SectionPageFactory
from newsdesk.news.models import NewsImage

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
PIXEL = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/125.0.0.0 Mobile Safari/537.36"
)
IPAD = (
    "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Mobile/15E148 Safari/604.1"
)
GALAXY_TAB = (
    "Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/125.0.0.0 Safari/537.36"
)
DESKTOP = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/125.0.0.0 Safari/537.36"
)


def make_image(title: str) -> NewsImage:
    buffer = io.BytesIO()
    PILImage.new("RGB", (1280, 720), (30, 90, 160)).save(buffer, format="PNG")
    return NewsImage.objects.create(
        title=title,
        file=ImageFile(buffer, name="harbour.png"),
        description="Boats in a harbour at dawn",
        credit="Photo: Newsdesk",
    )


@pytest.fixture
def section(db):
    return SectionPageFactory(title="World", slug="world")


@pytest.fixture
def story(section):
    """An article with every kind of body block a reader can meet."""
    lead, inline = make_image("Lead"), make_image("Inline")
    return ArticlePageFactory(
        parent=section,
        title="Harbour reopens after the storm",
        slug="harbour",
        standfirst="Boats are back in the water.",
        authors=[AuthorFactory(name="Ada Lane")],
        tags=["Weather"],
        featured_image=lead,
        featured_image_caption="The harbour at dawn",
        body=[
            {"type": "subheading", "value": "What happened"},
            {"type": "paragraph", "value": "<p>The storm passed in the night.</p>"},
            {"type": "bulleted_list", "value": ["<p>Boats</p>", "<p>Nets</p>"]},
            {"type": "numbered_list", "value": ["<p>First</p>", "<p>Second</p>"]},
            {"type": "quotation", "value": {"text": "We are back.", "attribution": "A captain"}},
            {
                "type": "image",
                "value": {
                    "image": inline.pk,
                    "alt_text": "Nets drying on the quay",
                    "caption": "Nets on the quay",
                    "credit": "",
                },
            },
            {"type": "paragraph", "value": "<p>The last paragraph.</p>"},
        ],
    )
