"""Pictures for machines: social cards, JSON-LD images, feed enclosures, the publisher logo.

Crawlers and feed readers want absolute URLs, known sizes and widely supported formats (JPEG,
PNG), in the aspect ratios Google asks for (16:9, 4:3, 1:1). Renditions are made once, when an
article is published (see ``tasks.py``), so readers never wait for them.
"""

import logging
import mimetypes
from dataclasses import dataclass

from django.conf import settings
from django.templatetags.static import static

logger = logging.getLogger(__name__)

# Aspect ratio → Wagtail filter spec. The first is the social card and feed enclosure.
ARTICLE_RENDITIONS = {
    "16x9": "fill-1200x675|format-jpeg|jpegquality-80",
    "4x3": "fill-1200x900|format-jpeg|jpegquality-80",
    "1x1": "fill-1200x1200|format-jpeg|jpegquality-80",
}
SHARE_RENDITION = "fill-1200x630|format-jpeg|jpegquality-80"
LOGO_RENDITION = "max-512x512|format-png"

# The built-in pictures in static/syndication/, used until editors choose their own.
BUILTIN_LOGO = ("syndication/logo.png", 512, 512)
BUILTIN_SHARE = ("syndication/share.png", 1200, 630)


@dataclass(frozen=True)
class Picture:
    url: str
    width: int
    height: int
    alt: str
    mime_type: str
    rendition: object = None

    def size_in_bytes(self) -> int:
        """For RSS enclosures; 0 (allowed by the RSS profile) when the storage cannot tell."""
        if self.rendition is None:
            return 0
        try:
            return self.rendition.file.size
        except (OSError, NotImplementedError):
            return 0


def absolute(url: str) -> str:
    """An absolute URL on the public address (feeds, sitemaps and crawlers need one)."""
    if url.startswith("//"):
        return settings.BASE_URL.split(":", 1)[0] + ":" + url
    if url.startswith("/"):
        return settings.BASE_URL + url
    return url


def renditions(image, specs: list[str]) -> dict:
    """Renditions by spec, or nothing when the original file is unreadable: a missing
    picture must not take the page down."""
    try:
        return image.get_renditions(*specs)
    except Exception:  # a missing or corrupt original file (storage-specific errors)
        logger.warning("No renditions for image %s", image.pk, exc_info=True)
        return {}


def to_picture(rendition, alt: str) -> Picture:
    return Picture(
        url=absolute(rendition.url),
        width=rendition.width,
        height=rendition.height,
        alt=alt,
        mime_type=mimetypes.guess_type(rendition.file.name)[0] or "image/jpeg",
        rendition=rendition,
    )


def article_pictures(article) -> dict[str, Picture]:
    """The featured image in every aspect ratio, keyed "16x9", "4x3", "1x1"; empty without."""
    image = article.featured_image
    if image is None:
        return {}
    made = renditions(image, list(ARTICLE_RENDITIONS.values()))
    alt = article.featured_image_alt_text
    return {
        ratio: to_picture(made[spec], alt)
        for ratio, spec in ARTICLE_RENDITIONS.items()
        if spec in made
    }


def builtin(path: str, width: int, height: int, alt: str) -> Picture:
    return Picture(
        url=absolute(static(path)), width=width, height=height, alt=alt, mime_type="image/png"
    )


def share_picture(config) -> Picture:
    """The picture for pages without one of their own."""
    alt = f"{settings.SITE_NAME} logo"
    if config.share_image_id:
        made = renditions(config.share_image, [SHARE_RENDITION])
        if made:
            return to_picture(made[SHARE_RENDITION], alt)
    return builtin(*BUILTIN_SHARE, alt=alt)


def logo_picture(config) -> Picture:
    alt = f"{settings.SITE_NAME} logo"
    if config.logo_id:
        made = renditions(config.logo, [LOGO_RENDITION])
        if made:
            return to_picture(made[LOGO_RENDITION], alt)
    return builtin(*BUILTIN_LOGO, alt=alt)
