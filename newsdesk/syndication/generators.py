"""Feed formats: Django's RSS 2.0 and Atom writers taught what news items carry (several
authors, full content, a picture), and a JSON Feed 1.1 writer in the same mould.

Items are added with these extra keys (see ``feeds.ArticleFeed.item_extra_kwargs``):
``authors`` (list of ``{"name", "url"}``), ``content_html`` (or ``None``), ``summary_text``
(plain text) and ``picture`` (an ``images.Picture`` or ``None``).
"""

import json
import re

from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed, rfc3339_date

# Characters XML 1.0 cannot carry; an editor pasting one must not break every feed.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: str) -> str:
    return CONTROL_CHARACTERS.sub("", text or "")


NAMESPACES = {
    "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
    "xmlns:dc": "http://purl.org/dc/elements/1.1/",
    "xmlns:media": "http://search.yahoo.com/mrss/",
}


class NewsRssFeed(Rss201rev2Feed):
    """RSS 2.0 with ``dc:creator`` per author, ``content:encoded`` and Media RSS."""

    def rss_attributes(self):
        return {**super().rss_attributes(), **NAMESPACES}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for author in item["authors"]:
            handler.addQuickElement("dc:creator", author["name"])
        if item["content_html"]:
            handler.addQuickElement("content:encoded", item["content_html"])
        picture = item["picture"]
        if picture:
            handler.startElement(
                "media:content",
                {
                    "url": picture.url,
                    "medium": "image",
                    "type": picture.mime_type,
                    "width": str(picture.width),
                    "height": str(picture.height),
                },
            )
            if picture.alt:
                handler.addQuickElement("media:description", picture.alt, {"type": "plain"})
            handler.endElement("media:content")


class NewsAtomFeed(Atom1Feed):
    """Atom with one ``author`` per byline and the story as ``content``."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for author in item["authors"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", author["name"])
            handler.addQuickElement("uri", author["url"])
            handler.endElement("author")
        if item["content_html"]:
            handler.addQuickElement("content", item["content_html"], {"type": "html"})


class JsonFeed(SyndicationFeed):
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1)."""

    content_type = "application/feed+json; charset=utf-8"
    version = "https://jsonfeed.org/version/1.1"

    def write(self, outfile, encoding):
        feed = self.feed
        data = {
            "version": self.version,
            "title": feed["title"],
            "home_page_url": feed["link"],
            "feed_url": feed["feed_url"],
            "description": feed["description"],
            "language": feed["language"],
            "icon": feed.get("icon"),
            "favicon": feed.get("favicon"),
            "authors": [{"name": feed["author_name"], "url": feed["author_link"]}],
            "items": [self.item(item) for item in self.items],
        }
        json.dump(drop_empty(data), outfile, ensure_ascii=False, indent=1)

    @staticmethod
    def item(item) -> dict:
        data = {
            "id": item["unique_id"],
            "url": item["link"],
            "title": item["title"],
            "summary": item["summary_text"],
            "date_published": rfc3339_date(item["pubdate"]),
            "date_modified": rfc3339_date(item["updateddate"] or item["pubdate"]),
            "authors": item["authors"],
            "tags": list(item["categories"]),
        }
        if item["content_html"]:
            data["content_html"] = item["content_html"]
        else:
            data["content_text"] = item["summary_text"]
        if item["picture"]:
            data["image"] = item["picture"].url
        return drop_empty(data)


def drop_empty(data: dict) -> dict:
    """JSON Feed leaves out what it does not have rather than sending nulls."""
    return {key: value for key, value in data.items() if value not in (None, "", [])}


FORMATS = {"rss": NewsRssFeed, "atom": NewsAtomFeed, "json": JsonFeed}
