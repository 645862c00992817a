"""Sitemaps that stay cheap at a million stories.

Django's and Wagtail's sitemap classes page through ``Paginator`` (``OFFSET``) and load every
page object of a file into memory before rendering it. Here each section of the sitemap
(:class:`KeysetSitemap` subclasses of Django's ``Sitemap``) splits its rows into files by
primary-key range: file *n* holds the rows whose key lies in ``[n × limit, (n + 1) × limit)``,
so a file never has more than ``limit`` (50,000) addresses, a story stays in the same file for
ever, and a file is read in keyset batches (``pk > last ORDER BY pk LIMIT batch``) of plain
values. Memory and queries per file are bounded whatever the size of the site, and the files
are written as a stream (see ``views.sitemap``).
"""

from collections.abc import Iterable, Iterator
from datetime import UTC, timedelta
from itertools import chain
from xml.sax.saxutils import escape

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Exists, F, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import iri_to_uri
from taggit.models import Tag
from wagtail.models import Page, Site

from newsdesk.core import restrictions
from newsdesk.news.models import ArticleByline, ArticlePage, ArticleTag, Author, SectionPage

from . import images
from .generators import clean

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
NEWS_WINDOW = timedelta(days=2)
NEWS_LIMIT = 1_000
FLUSH_EVERY = 500  # addresses per chunk of a streamed file


def urls_per_file() -> int:
    """50,000 by the sitemaps protocol; a setting so tests can split small sites."""
    return getattr(settings, "NEWSDESK_SITEMAP_URLS_PER_FILE", 50_000)


def w3c(moment) -> str | None:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00") if moment else None


def site_root():
    """The root page of the default site: page addresses are their ``url_path`` below it."""
    return Site.objects.select_related("root_page").get(is_default_site=True).root_page


def page_location(url_path: str, root_path: str) -> str | None:
    """The public address of a page, or ``None`` for a page outside the site."""
    if not url_path.startswith(root_path):
        return None
    return images.absolute(iri_to_uri("/" + url_path[len(root_path) :]))


def live_articles(root=None):
    """Published, public stories. (Filtering by the site's tree path as well would make every
    batch scan the page tree by path; addresses outside the site root are skipped instead.)"""
    return ArticlePage.objects.live().public()


def listed_articles():
    """The same stories by ``listed``, Wagtail's ``live`` mirrored on the article table where
    the partial indexes are: "newest story (of a section)" is then one index read. (Through
    Wagtail's ``live`` PostgreSQL joined every story's page row: 11 s at a million.)"""
    return ArticlePage.objects.filter(listed=True).public()


def public_q(prefix: str = "") -> Q:
    """Wagtail's ``public()`` for a page reached through a relation (``page__``)."""
    q = Q()
    for path, _depth in restrictions.restricted_roots():
        q &= ~Q(**{f"{prefix}path__startswith": path})
    return q


def newest_story(root=None):
    """Publication time of the newest live story: one read of the ``article_newest`` index."""
    return (
        listed_articles().order_by("-published_at").values_list("published_at", flat=True).first()
    )


class KeysetSitemap(Sitemap):
    """A section of the sitemap whose files are primary-key ranges (see the module notes).

    Subclasses give ``items()`` (an unordered queryset), ``fields`` for ``values_list`` (the
    key first) and ``location(row)`` / ``lastmod(row)`` for a row; ``key`` names the key
    column and ``newest`` the expression whose maximum is a file's lastmod.
    """

    name = ""
    key = "pk"
    fields: tuple[str, ...] = ("pk",)
    batch_size = 2_000
    streamed = True

    def __init__(self):
        self.root = site_root()

    @property
    def limit(self) -> int:
        return urls_per_file()

    def newest(self):
        raise NotImplementedError

    def files(self) -> list[tuple[int, object]]:
        """(number, lastmod) of every non-empty file, in one grouped query."""
        bucket = F(self.key) / self.limit
        rows = (
            self.items()
            .annotate(bucket=bucket)
            .values("bucket")
            .annotate(newest=Max(self.newest()))
            .order_by("bucket")
            .values_list("bucket", "newest")
        )
        return list(rows)

    def summary(self, number: int) -> tuple:
        """(count, lastmod, highest key) of one file: what its ETag is made of."""
        rows = self.in_file(self.items(), number).aggregate(
            count=Count(self.key), newest=Max(self.newest()), top=Max(self.key)
        )
        return rows["count"], rows["newest"], rows["top"]

    # For a page type, the key range is also applied to Wagtail's page table, so the database
    # walks both primary keys from the range's start (PostgreSQL does not carry a range across
    # a join, and Django turns the inherited ``id`` into the child's own ``page_ptr_id``).
    page_table_key = False

    def key_range(self, queryset, low: int, high: int | None = None):
        queryset = queryset.filter(**{f"{self.key}__gte": low})
        if high is not None:
            queryset = queryset.filter(**{f"{self.key}__lt": high})
        if self.page_table_key:
            column = f"{connection.ops.quote_name(Page._meta.db_table)}.{connection.ops.quote_name('id')}"
            where, params = [f"{column} >= %s"], [low]
            if high is not None:
                where.append(f"{column} < %s")
                params.append(high)
            queryset = queryset.extra(where=where, params=params)  # noqa: S610 - fixed SQL, bound values
        return queryset

    def in_file(self, queryset, number: int):
        return self.key_range(queryset, number * self.limit, (number + 1) * self.limit)

    def after(self, queryset, last: int):
        return self.key_range(queryset, last + 1)

    def rows(self, number: int) -> Iterator[tuple]:
        """The file's rows in keyset batches: each batch is one short indexed range query."""
        queryset = self.in_file(self.items(), number).order_by(self.key)
        last = number * self.limit - 1
        while True:
            batch = list(self.after(queryset, last).values_list(*self.fields)[: self.batch_size])
            yield from batch
            if len(batch) < self.batch_size:
                return
            last = batch[-1][0]

    def urls(self, number: int) -> Iterator[dict]:
        for row in self.rows(number):
            location = self.location(row)
            if location:
                yield {"location": location, "lastmod": self.lastmod(row)}


class ArticleSitemap(KeysetSitemap):
    name = "articles"
    key = "page_ptr_id"
    fields = ("page_ptr_id", "url_path", "updated_at", "published_at")

    def items(self):
        return live_articles(self.root)

    def newest(self):
        return Coalesce("updated_at", "published_at")

    page_table_key = True

    def location(self, row):
        return page_location(row[1], self.root.url_path)

    def lastmod(self, row):
        return row[2] or row[3]

    def files(self):
        """The index's list of story files. Computing it reads every story once (a grouped
        pass: seconds at a million), so it is kept in the shared cache and moved forward in
        place when a story is published (see :func:`story_published`); unpublishing or
        deleting a story forgets it, as a file may have emptied."""
        key = files_key(self.limit)
        files = cache.get(key)
        if files is None:
            files = [(int(number), lastmod) for number, lastmod in super().files()]
            cache.set(key, files, FILES_SECONDS)
        return files


FILES_SECONDS = 3600  # a bound on any drift a race between two processes could leave


def files_key(limit: int) -> str:
    return f"newsdesk:sitemap-files:v1:{limit}"


def story_published(page: ArticlePage) -> None:
    """Move the story's file lastmod forward in the cached file list (one small update, not a
    recount). Two processes updating at once could lose one update: whoever does not get the
    short lock forgets the list instead, so it is recounted."""
    key = files_key(urls_per_file())
    if not cache.add(key + ":lock", 1, 10):
        cache.delete(key)
        return
    try:
        files = cache.get(key)
        if files is not None:
            merged = dict(files)
            number = page.pk // urls_per_file()
            lastmod = page.updated_at or page.published_at
            merged[number] = max(filter(None, [merged.get(number), lastmod]), default=None)
            cache.set(key, sorted(merged.items()), FILES_SECONDS)
    finally:
        cache.delete(key + ":lock")


def stories_removed() -> None:
    cache.delete(files_key(urls_per_file()))
    forget_subjects()


def subjects_key(name: str, limit: int) -> str:
    return f"newsdesk:sitemap-subjects:v1:{name}:{limit}"


def forget_subjects() -> None:
    """An author or tag may have gained its first live story or lost its last one."""
    cache.delete_many([subjects_key(name, urls_per_file()) for name in ("authors", "tags")])


class SubjectSitemap(KeysetSitemap):
    """Author or tag pages: one address per author/tag with at least one live story, dated by
    its newest story. Files are ranges of the author's/tag's key; each batch of subjects gets
    its dates from one grouped query over their stories.

    Small (a few hundred authors, a few thousand tags) and made by reading every byline or
    tag link once, so these files are kept whole in the page cache rather than streamed.
    """

    model = None
    through = None
    subject = ""  # the through-model's link to the author or tag
    article = ""  # the through-model's link to the story
    fields = ("pk", "slug")
    streamed = False

    def links(self):
        """Links to live, public stories (``public()`` on the joined page)."""
        prefix = f"{self.article}__"
        # ``listed``: Wagtail's ``live`` mirrored on the article table (no join to the page table).
        return self.through.objects.filter(**{f"{prefix}listed": True}).filter(public_q(prefix))

    def items(self):
        return self.model.objects.filter(
            Exists(self.links().filter(**{self.subject: OuterRef("pk")}))
        )

    def files(self):
        """Buckets of keys; lastmod is the site's newest story (exact while one file holds
        every author, as it does below 50,000 of them). Finding the buckets tests every tag
        or author for a live story (30 ms at a million stories), so they are kept in the
        shared cache until a story is published or removed (:func:`forget_subjects`)."""
        newest = newest_story(self.root)
        key = subjects_key(self.name, self.limit)
        buckets = cache.get(key)
        if buckets is None:
            buckets = list(
                self.items()
                .annotate(bucket=F("pk") / self.limit)
                .values_list("bucket", flat=True)
                .distinct()
                .order_by("bucket")
            )
            cache.set(key, buckets, FILES_SECONDS)
        return [(bucket, newest) for bucket in buckets]

    def rows(self, number: int) -> Iterator[tuple]:
        batch = []
        for row in super().rows(number):
            batch.append(row)
            if len(batch) == self.batch_size:
                yield from self.dated(batch)
                batch = []
        yield from self.dated(batch)

    def dated(self, batch: list[tuple]) -> Iterator[tuple]:
        if not batch:
            return
        newest = dict(
            self.links()
            .filter(**{f"{self.subject}_id__in": [pk for pk, _slug in batch]})
            .values(f"{self.subject}_id")
            .annotate(newest=Max(f"{self.article}__published_at"))
            .values_list(f"{self.subject}_id", "newest")
            .order_by()
        )
        for pk, slug in batch:
            yield pk, slug, newest.get(pk)

    def lastmod(self, row):
        return row[2]


class AuthorSitemap(SubjectSitemap):
    name = "authors"
    model = Author
    through = ArticleByline
    subject = "author"
    article = "page"

    def location(self, row):
        return images.absolute(reverse("news:author", args=[row[1]]))


class TagSitemap(SubjectSitemap):
    name = "tags"
    model = Tag
    through = ArticleTag
    subject = "tag"
    article = "content_object"

    def location(self, row):
        return images.absolute(reverse("news:tag", args=[row[1]]))


class PagesSitemap(KeysetSitemap):
    """The home page and the section fronts: few, so one small file, cached whole."""

    name = "pages"
    streamed = False

    def items(self):
        return SectionPage.objects.live().public().filter(path__startswith=self.root.path)

    def entries(self) -> list[dict]:
        newest_story = (
            listed_articles()
            .filter(section=OuterRef("pk"))
            .order_by("-published_at")
            .values("published_at")[:1]
        )
        sections = (
            self.items()
            .annotate(newest=Subquery(newest_story))
            .order_by("path")
            .values_list("url_path", "newest", "last_published_at")
        )
        entries = [
            {"location": page_location(path, self.root.url_path), "lastmod": newest or published}
            for path, newest, published in sections
        ]
        newest = max((entry["lastmod"] for entry in entries if entry["lastmod"]), default=None)
        home = {"location": images.absolute("/"), "lastmod": newest or self.root.last_published_at}
        return [home, *entries]

    def files(self):
        return [(0, max((e["lastmod"] for e in self.entries() if e["lastmod"]), default=None))]

    def urls(self, number: int) -> Iterator[dict]:
        return iter(self.entries() if number == 0 else [])


SITEMAPS = {cls.name: cls for cls in (PagesSitemap, ArticleSitemap, AuthorSitemap, TagSitemap)}


# --- Writing XML ------------------------------------------------------------------------------
#
# With plain string formatting rather than a SAX writer: addresses are already URIs and dates
# fixed-format, so each value needs only XML escaping, and a SAX writer's calls per element
# (three per address in a file, fourteen per story in the news sitemap) were most of these
# outputs' time.

XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'


def urlset(urls: Iterable[dict]) -> Iterator[bytes]:
    """A <urlset> in chunks of 500 addresses."""
    parts = [XML_DECLARATION, f'<urlset xmlns="{SITEMAP_NS}">']
    for count, url in enumerate(urls, start=1):
        lastmod = w3c(url["lastmod"])
        parts.append(
            f"<url><loc>{escape(url['location'])}</loc>"
            + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "")
            + "</url>"
        )
        if count % FLUSH_EVERY == 0:
            yield "".join(parts).encode()
            parts = []
    parts.append("</urlset>")
    yield "".join(parts).encode()


def sitemap_index(entries: Iterable[tuple[str, object]]) -> bytes:
    parts = [XML_DECLARATION, f'<sitemapindex xmlns="{SITEMAP_NS}">']
    for location, lastmod in entries:
        stamp = w3c(lastmod)
        parts.append(
            f"<sitemap><loc>{escape(location)}</loc>"
            + (f"<lastmod>{stamp}</lastmod>" if stamp else "")
            + "</sitemap>"
        )
    parts.append("</sitemapindex>")
    return "".join(parts).encode()


def index_entries() -> list[tuple[str, object]]:
    entries = []
    for name, cls in SITEMAPS.items():
        for number, lastmod in cls().files():
            location = reverse("syndication:sitemap", args=[name, number])
            entries.append((images.absolute(location), lastmod))
    return entries


def news_language() -> str:
    """Google News wants ISO 639 codes (``en``, ``pt``), or zh-cn / zh-tw."""
    language = settings.SITE_LANGUAGE.lower().replace("_", "-")
    return language if language in {"zh-cn", "zh-tw"} else language.split("-")[0]


def news_stories(now=None) -> list[tuple]:
    """(address, headline, published) of the stories of the last two days, newest first, at
    most 1,000: one read of the ``article_newest`` index."""
    now = now or timezone.now()
    root = site_root()
    rows = (
        listed_articles()
        .filter(published_at__gte=now - NEWS_WINDOW, published_at__lte=now)
        .order_by("-published_at", "-pk")
        .values_list("url_path", "title", "published_at")[:NEWS_LIMIT]
    )
    stories = [(page_location(path, root.url_path), title, when) for path, title, when in rows]
    return [story for story in stories if story[0]]


def news_sitemap(stories: list[tuple]) -> bytes:
    """The Google News sitemap of (address, headline, published) stories. The publication
    block (the site's name and language) is the same for every story, so it is written once."""
    publication = (
        "<news:publication>"
        f"<news:name>{escape(clean(settings.SITE_NAME))}</news:name>"
        f"<news:language>{escape(news_language())}</news:language>"
        "</news:publication>"
    )
    parts = [XML_DECLARATION, f'<urlset xmlns="{SITEMAP_NS}" xmlns:news="{NEWS_NS}">']
    parts += [
        f"<url><loc>{escape(location)}</loc><news:news>{publication}"
        f"<news:publication_date>{w3c(published)}</news:publication_date>"
        f"<news:title>{escape(clean(title))}</news:title></news:news></url>"
        for location, title, published in stories
    ]
    parts.append("</urlset>")
    return "".join(parts).encode()


def first_then_rest(iterator: Iterator) -> Iterator | None:
    """The same iterator, or ``None`` when it is empty (an empty file is a 404)."""
    first = next(iterator, None)
    return None if first is None else chain([first], iterator)
