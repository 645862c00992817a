"""Bulk generation of a large site (hundreds of thousands to millions of articles) for
benchmarks and capacity tests.

Pages are written with bulk inserts rather than Wagtail's one-page-at-a-time ``add_child``:
tree paths are computed here (treebeard's materialised path: the section's path plus a 4-character
base-36 step per child), the article table (a multi-table child of Wagtail's page table) is
filled with one multi-row INSERT per batch, and bylines and tags follow in bulk. Generated
articles are live and have no revisions (editing one in the admin creates its first). Apps
that keep data about articles (the search index) fill it in bulk afterwards through the
``newsdesk_articles_generated`` hook: ``fn(stdout)``.

Generated slugs start with ``g<number>-`` so a second run tops the site up to the requested
total instead of adding again.

Publication dates come in two shapes:

- by default (``days``), every site covers the same span (ten years), ages drawn as
  ``random() ** 2 × days`` (denser towards the present). The publication *rate* then grows with
  the size: the last two days hold about 21 stories at 1,000 articles and 23,000 at 1,000,000.
- with ``per_day``, a steady newsroom: stories follow one another at that rate, oldest first, so
  two sites of different sizes publish alike and differ only in the depth of their archive
  (1,000,000 at 274 a day is ten years, 1,000 is three and a half days). Page keys then grow
  with publication time, as they do on a real site (a story's page is made when it is written);
  with ``days`` they are in random order. A top-up lays its new stories the same way, ending at
  the present (made soon after the first run, it overlaps that run's last days).
"""

import json
import random
import re
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag
from wagtail import hooks
from wagtail.models import Locale, Page

from newsdesk.core.progress import Progress

from .demo.corpus import AUTHORS, SECTIONS, VOCAB
from .demo.generator import Filler
from .models import ArticleByline, ArticlePage, ArticleTag, Author, HomePage, SectionPage

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEP = 4
GENERATED = re.compile(r"^g(\d+)-")


def encode_step(number: int) -> str:
    digits = []
    for _ in range(STEP):
        number, digit = divmod(number, len(ALPHABET))
        digits.append(ALPHABET[digit])
    if number:
        raise ValueError("A section can hold at most 1,679,615 articles.")
    return "".join(reversed(digits))


def decode_step(step: str) -> int:
    value = 0
    for char in step:
        value = value * len(ALPHABET) + ALPHABET.index(char)
    return value


class SiteGenerator:
    def __init__(
        self,
        stdout,
        articles: int,
        days: int = 3650,
        batch: int = 5000,
        seed: int = 7,
        per_day: float | None = None,
    ):
        if per_day is not None and per_day <= 0:
            raise ValueError("A publication rate must be above 0 stories a day.")
        self.stdout = stdout
        self.target = articles
        self.days = days
        self.per_day = per_day
        self.batch = batch
        self.rng = random.Random(seed)  # noqa: S311 - repeatable content, not secrets
        self.now = timezone.now()

    def run(self) -> dict:
        home = HomePage.objects.first()
        if home is None:
            raise RuntimeError("No home page: run `newsdesk migrate` first.")
        sections = self.sections(home)
        authors = self.authors()
        tags = self.tags()
        existing = self.generated_count()
        missing = max(0, self.target - existing)
        self.stdout.write(f"Generated articles present: {existing:,}; to create: {missing:,}")
        if missing:
            self.articles(sections, authors, tags, start=existing, count=missing)
        for fill in hooks.get_hooks("newsdesk_articles_generated"):
            fill(self.stdout)
        return {"existing": existing, "created": missing, "total": existing + missing}

    # --- supporting rows ------------------------------------------------------------------

    def sections(self, home) -> list[SectionPage]:
        found = list(SectionPage.objects.child_of(home).order_by("path"))
        if found:
            return found
        for spec in SECTIONS:
            section = SectionPage(
                title=spec["title"], slug=spec["slug"], description=spec["description"]
            )
            home.add_child(instance=section)
            section.save_revision().publish()
            home.refresh_from_db()
        return list(SectionPage.objects.child_of(home).order_by("path"))

    def authors(self) -> list[Author]:
        wanted = 200
        have = list(Author.objects.filter(slug__startswith="g-"))
        names = [name for _, name, _, _ in AUTHORS]
        new = [
            Author(
                name=f"{names[n % len(names)].split()[0]} {n:03d}",
                slug=f"g-author-{n:03d}",
                role="Reporter",
            )
            for n in range(len(have), wanted)
        ]
        Author.objects.bulk_create(new)
        return list(Author.objects.filter(slug__startswith="g-"))

    def tags(self) -> list[Tag]:
        words = sorted({tag for vocab in VOCAB.values() for tag in vocab["tags"]})
        names = [f"{word} {n}" if n else word for n in range(40) for word in words]
        existing = set(Tag.objects.filter(name__in=names).values_list("name", flat=True))
        Tag.objects.bulk_create(
            [Tag(name=name, slug=slugify(name)) for name in names if name not in existing],
            ignore_conflicts=True,
        )
        return list(Tag.objects.filter(name__in=names))

    def generated_count(self) -> int:
        numbers = (
            ArticlePage.objects.filter(slug__regex=r"^g[0-9]+-")
            .values_list("slug", flat=True)
            .order_by("-pk")[:1]
        )
        last = next(iter(numbers), None)
        return int(GENERATED.match(last).group(1)) + 1 if last else 0

    # --- articles -------------------------------------------------------------------------

    def articles(self, sections, authors, tags, start: int, count: int) -> None:
        content_type = ContentType.objects.get_for_model(ArticlePage)
        locale = Locale.get_default()
        next_child = {s.pk: self.next_child_number(s) for s in sections}
        fillers = {s.pk: Filler(self.rng, VOCAB.get(s.slug, VOCAB["world"])) for s in sections}
        progress = Progress("Articles", count, self.stdout)
        for offset in range(0, count, self.batch):
            size = min(self.batch, count - offset)
            with transaction.atomic():
                rows = []
                for number in range(start + offset, start + offset + size):
                    section = sections[number % len(sections)]
                    rows.append(self.article_row(number, section, next_child, fillers[section.pk]))
                pages = Page.objects.bulk_create(
                    [
                        Page(
                            title=row["title"],
                            draft_title=row["title"],
                            slug=row["slug"],
                            path=row["path"],
                            depth=row["section"].depth + 1,
                            numchild=0,
                            url_path=f"{row['section'].url_path}{row['slug']}/",
                            content_type=content_type,
                            locale=locale,
                            live=True,
                            has_unpublished_changes=False,
                            first_published_at=row["published"],
                            last_published_at=row["published"],
                        )
                        for row in rows
                    ]
                )
                self.insert_articles(pages, rows)
                self.insert_relations(pages, authors, tags)
            progress.advance(size)
        progress.finish()
        for section in sections:
            SectionPage.objects.filter(pk=section.pk).update(
                numchild=Page.objects.child_of(section).count()
            )
        if connection.vendor == "postgresql":
            self.stdout.write("Updating planner statistics (ANALYZE)…")
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

    def next_child_number(self, section) -> int:
        last = (
            Page.objects.child_of(section).order_by("-path").values_list("path", flat=True).first()
        )
        return decode_step(last[-STEP:]) + 1 if last else 1

    def article_row(self, number: int, section, next_child: dict, filler: Filler) -> dict:
        vocab = filler.vocab
        headline = filler.fill(self.rng.choice(vocab["headlines"]))
        step = next_child[section.pk]
        next_child[section.pk] += 1
        age = self.age(number)
        paragraphs = [
            {"type": "paragraph", "value": f"<p>{filler.sentences(self.rng.randint(2, 4))}</p>"}
            for _ in range(self.rng.randint(3, 6))
        ]
        return {
            "section": section,
            "title": headline,
            "slug": f"g{number}-{slugify(headline)[:60].rstrip('-')}",
            "path": section.path + encode_step(step),
            "published": (self.now - timedelta(days=age)).replace(microsecond=0),
            "standfirst": filler.fill(self.rng.choice(vocab["standfirsts"])),
            "body": json.dumps(paragraphs),
        }

    def age(self, number: int) -> float:
        """Days before now at which article ``number`` (of ``self.target``) was published."""
        if self.per_day is None:
            return self.rng.random() ** 2 * self.days  # denser towards the present
        # The newest article is number target - 1; each one a slot of 1/per_day days.
        return (self.target - 1 - number + self.rng.random()) / self.per_day

    def span(self) -> str:
        """What the dates cover, for the command's summary."""
        if self.per_day is None:
            return f"spread over {self.days:,} days, denser towards the present"
        return f"{self.per_day:,g} a day, the archive {self.target / self.per_day:,.1f} days deep"

    def insert_articles(self, pages, rows) -> None:
        table = ArticlePage._meta.db_table
        columns = [
            "page_ptr_id",
            "standfirst",
            "body",
            "featured_image_alt",
            "featured_image_caption",
            "section_id",
            "published_at",
            "updated_at",
            "listed",
            "comments_open",
        ]
        values = [
            (
                page.pk,
                row["standfirst"],
                row["body"],
                "",
                "",
                row["section"].pk,
                row["published"],
                row["published"],
                True,
                True,
            )
            for page, row in zip(pages, rows, strict=True)
        ]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in values:
                        copy.write_row(row)
            else:
                placeholders = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})",  # noqa: S608
                    [
                        tuple(
                            connection.ops.adapt_datetimefield_value(v)
                            if hasattr(v, "tzinfo")
                            else v
                            for v in row
                        )
                        for row in values
                    ],
                )

    def insert_relations(self, pages, authors, tags) -> None:
        bylines, tagged = [], []
        for page in pages:
            for order, author in enumerate(
                self.rng.sample(authors, k=1 if self.rng.random() < 0.85 else 2)
            ):
                bylines.append(
                    ArticleByline(page_id=page.pk, author_id=author.pk, sort_order=order)
                )
            for tag in self.rng.sample(tags, k=self.rng.randint(1, 3)):
                tagged.append(ArticleTag(content_object_id=page.pk, tag_id=tag.pk))
        ArticleByline.objects.bulk_create(bylines)
        ArticleTag.objects.bulk_create(tagged)
