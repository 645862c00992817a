"""Loads the demo site: six sections, authors, pictures, the seed article and generated stories.

Idempotent: every object is looked up by its slug (or title, for pictures) first and left alone
when it exists, so running the loader twice changes nothing and never overwrites an editor's work.
"""

import colorsys
import io
import json
import random
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail import hooks

from newsdesk.core.progress import Progress

from ..models import ArticleByline, ArticlePage, Author, HomePage, NewsImage, SectionPage
from .corpus import AUTHORS, BIO, SECTIONS
from .generator import StorySpec, generate

DATA = Path(__file__).resolve().parent
SEED_FILE = DATA / "seed_article.json"
IMAGE_COUNT = 18
RENDITIONS = [
    "width-480|format-webp",
    "width-800|format-webp",
    "width-1200|format-webp",
    "fill-480x270|format-webp",
    "fill-800x450|format-webp",
]


@dataclass
class Tally:
    created: dict[str, int] = field(default_factory=dict)
    found: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, was_created: bool) -> None:
        bucket = self.created if was_created else self.found
        bucket[kind] = bucket.get(kind, 0) + 1

    def summary(self) -> str:
        kinds = sorted(set(self.created) | set(self.found))
        parts = [
            f"{kind}: {self.created.get(kind, 0)} created, {self.found.get(kind, 0)} already there"
            for kind in kinds
        ]
        return "; ".join(parts)


def load_seed() -> StorySpec:
    data = json.loads(SEED_FILE.read_text(encoding="utf-8"))
    return StorySpec(
        section=data["section"],
        headline=data["headline"],
        slug=data["slug"],
        standfirst=data["standfirst"],
        body=data["body"],
        authors=data["authors"],
        tags=data["tags"],
        published=datetime.fromisoformat(data["published"]),
    )


class DemoLoader:
    def __init__(self, stdout, per_section: int = 36, dry_run: bool = False, now=None):
        self.stdout = stdout
        self.per_section = per_section
        self.dry_run = dry_run
        self.now = now or timezone.now()
        self.tally = Tally()

    def run(self) -> Tally:
        home = HomePage.objects.first()
        if home is None:
            raise RuntimeError("No home page: run `newsdesk migrate` first.")
        stories = [load_seed(), *generate(self.per_section, self.now)]
        if self.dry_run:
            self.report_dry_run(home, stories)
            return self.tally
        sections = self.sections(home)
        authors = self.authors()
        images = self.images()
        progress = Progress("Stories", len(stories), self.stdout)
        for spec in stories:
            page = self.story(sections[spec.section], spec, authors, images)
            if page and spec is stories[0] and not home.lead_article_id:
                # The seed article is the demo's first story: it leads the front page.
                home.lead_article = page
                home.save_revision().publish()
            progress.advance()
        progress.finish()
        self.renditions(images)
        # Feature apps add their own demo material (comments, simulated reading) here; each
        # hook must be idempotent too: fn(stdout, tally, now).
        for extra in hooks.get_hooks("newsdesk_demo_extras"):
            extra(self.stdout, self.tally, self.now)
        return self.tally

    def report_dry_run(self, home, stories) -> None:
        existing = set(ArticlePage.objects.values_list("slug", flat=True))
        for spec in stories:
            self.tally.add("stories", spec.slug not in existing)
        section_slugs = set(SectionPage.objects.child_of(home).values_list("slug", flat=True))
        for section in SECTIONS:
            self.tally.add("sections", section["slug"] not in section_slugs)

    def sections(self, home) -> dict[str, SectionPage]:
        found = {}
        for spec in SECTIONS:
            section = SectionPage.objects.child_of(home).filter(slug=spec["slug"]).first()
            created = section is None
            if created:
                section = SectionPage(
                    title=spec["title"], slug=spec["slug"], description=spec["description"]
                )
                home.add_child(instance=section)
                section.save_revision().publish()
                home.refresh_from_db()
            self.tally.add("sections", created)
            found[spec["slug"]] = section
        return found

    def authors(self) -> dict[str, Author]:
        found = {}
        for slug, name, role, beats in AUTHORS:
            beat = " and ".join(
                section["title"].lower() for section in SECTIONS if section["slug"] in beats
            )
            author, created = Author.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "role": role,
                    "bio": BIO.format(
                        name=name, role_lower=role.lower(), first=name.split()[0], beat=beat
                    ),
                },
            )
            self.tally.add("authors", created)
            found[slug] = author
        return found

    def images(self) -> list[NewsImage]:
        found = []
        progress = Progress("Pictures", IMAGE_COUNT, self.stdout)
        for number in range(IMAGE_COUNT):
            title = f"Demo illustration {number + 1:02d}"
            image = NewsImage.objects.filter(title=title).first()
            created = image is None
            if created:
                image = make_image(number, title)
            self.tally.add("pictures", created)
            found.append(image)
            progress.advance()
        progress.finish()
        return found

    def renditions(self, images: list[NewsImage]) -> None:
        progress = Progress("Picture sizes", len(images), self.stdout)
        for image in images:
            image.get_renditions(*RENDITIONS)
            progress.advance()
        progress.finish()

    @transaction.atomic
    def story(self, section: SectionPage, spec: StorySpec, authors, images) -> ArticlePage | None:
        if ArticlePage.objects.child_of(section).filter(slug=spec.slug).exists():
            self.tally.add("stories", False)
            return None
        image = images[spec.image_number] if spec.image_number is not None else None
        page = ArticlePage(
            title=spec.headline,
            slug=spec.slug,
            standfirst=spec.standfirst,
            body=stream_data(spec.body),
            featured_image=image,
            featured_image_caption=image_caption(spec) if image else "",
            first_published_at=spec.published,
        )
        for order, slug in enumerate(spec.authors):
            page.bylines.add(ArticleByline(author=authors[slug], sort_order=order))
        page.tags.add(*spec.tags)
        section.add_child(instance=page)
        page.save_revision().publish()
        # Publishing stamps "now"; the demo story was published at its own moment.
        ArticlePage.objects.filter(pk=page.pk).update(
            last_published_at=spec.published, updated_at=spec.published
        )
        self.tally.add("stories", True)
        return page


def stream_data(blocks: list[dict]) -> list[dict]:
    """Plain demo text to StreamField data: rich-text blocks need escaped HTML paragraphs."""

    def rich(text: str) -> str:
        return f"<p>{escape(text)}</p>"

    converted = []
    for block in blocks:
        value = block["value"]
        if block["type"] == "paragraph":
            value = rich(value)
        elif block["type"] in {"bulleted_list", "numbered_list"}:
            value = [rich(item) for item in value]
        converted.append({"type": block["type"], "value": value})
    return converted


def image_caption(spec: StorySpec) -> str:
    return f"Illustration for {spec.section.title()} coverage."


def make_image(number: int, title: str) -> NewsImage:
    """An abstract illustration drawn locally, so the demo needs no downloads."""
    rng = random.Random(number)
    hue = (number * 0.137) % 1.0
    base = colorsys.hls_to_rgb(hue, 0.35, 0.55)
    accent = colorsys.hls_to_rgb((hue + 0.5) % 1.0, 0.6, 0.7)
    width, height = 1600, 900
    picture = PILImage.new("RGB", (width, height))
    draw = ImageDraw.Draw(picture)
    for y in range(height):
        shade = 0.75 + 0.25 * y / height
        draw.line([(0, y), (width, y)], fill=tuple(int(c * 255 * shade) for c in base))
    for _ in range(9):
        x, y, r = rng.randrange(width), rng.randrange(height), rng.randrange(60, 320)
        colour = tuple(int(c * 255) for c in (accent if rng.random() < 0.5 else base))
        draw.ellipse([x - r, y - r, x + r, y + r], outline=colour, width=rng.randrange(6, 24))
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=82)
    colour_name = colour_word(hue)
    image = NewsImage(
        title=title,
        description=f"Abstract illustration of overlapping circles on a {colour_name} background.",
        credit="Newsdesk illustration",
        file=ImageFile(buffer, name=f"demo-illustration-{number + 1:02d}.jpg"),
    )
    image._set_image_file_metadata()
    image.save()
    return image


def colour_word(hue: float) -> str:
    names = ["red", "orange", "yellow", "green", "teal", "blue", "indigo", "purple", "pink"]
    return names[int(hue * len(names)) % len(names)]
