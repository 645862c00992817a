"""Deterministic generation of demo stories from the corpus.

The same seed always yields the same stories (headlines, bodies, bylines, tags); only their
publication times are placed relative to the day the demo is first loaded, so home, sections
and trending have fresh material.
"""

import random
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils.text import slugify

from .corpus import AUTHORS, COMMON, VOCAB

SLOT = re.compile(r"\{(\w+)\}")


@dataclass
class StorySpec:
    section: str
    headline: str
    slug: str
    standfirst: str
    body: list[dict]
    authors: list[str]
    tags: list[str]
    published: datetime
    image_number: int | None = None
    extra: dict = field(default_factory=dict)


class Filler:
    def __init__(self, rng: random.Random, vocab: dict):
        self.rng = rng
        self.vocab = vocab

    def fill(self, pattern: str) -> str:
        def pick(match):
            name = match.group(1)
            words = self.vocab.get(name) or COMMON.get(name)
            if not words:
                raise KeyError(f"No words for slot {name!r} in pattern {pattern!r}")
            return self.rng.choice(words)

        text = SLOT.sub(pick, pattern)
        return text[0].upper() + text[1:]

    def sentences(self, count: int) -> str:
        chosen = self.rng.sample(
            self.vocab["sentences"], k=min(count, len(self.vocab["sentences"]))
        )
        return " ".join(self.fill(s) for s in chosen)


def authors_for(section: str) -> list[str]:
    return [slug for slug, _name, _role, beats in AUTHORS if section in beats]


def generate(per_section: int, now: datetime, days: int = 90, seed: int = 2024) -> list[StorySpec]:
    rng = random.Random(seed)
    stories: list[StorySpec] = []
    for section, vocab in VOCAB.items():
        filler = Filler(rng, vocab)
        used: set[str] = set()
        for _ in range(per_section):
            headline = filler.fill(rng.choice(vocab["headlines"]))
            while slugify(headline) in used:
                headline = filler.fill(rng.choice(vocab["headlines"]))
            slug = slugify(headline)[:80].rstrip("-")
            used.add(slug)
            stories.append(
                StorySpec(
                    section=section,
                    headline=headline,
                    slug=slug,
                    standfirst=filler.fill(rng.choice(vocab["standfirsts"])),
                    body=body_for(rng, filler, vocab, section),
                    authors=rng.sample(authors_for(section), k=1 if rng.random() < 0.8 else 2),
                    tags=rng.sample(vocab["tags"], k=rng.randint(1, 4)),
                    published=published_time(rng, now, days),
                    image_number=rng.randrange(18) if rng.random() < 0.55 else None,
                )
            )
    return stories


def published_time(rng: random.Random, now: datetime, days: int) -> datetime:
    # More stories in recent days, as on a real site whose archive thins out with age.
    age_days = min(days - 0.01, rng.expovariate(1 / (days / 3)))
    moment = now - timedelta(days=age_days)
    return moment.replace(second=0, microsecond=0)


def body_for(rng: random.Random, filler: Filler, vocab: dict, section: str) -> list[dict]:
    paragraphs = rng.choice([3, 4, 5, 6, 7, 9, 12])
    blocks: list[dict] = []
    for number in range(paragraphs):
        if number == paragraphs // 2 and paragraphs >= 5 and rng.random() < 0.6:
            blocks.append({"type": "subheading", "value": rng.choice(vocab["subheadings"])})
        blocks.append({"type": "paragraph", "value": filler.sentences(rng.randint(2, 4))})
        if number == 1 and rng.random() < 0.35:
            items = rng.sample(vocab["list_items"], k=min(3, len(vocab["list_items"])))
            kind = "numbered_list" if section == "opinion" else "bulleted_list"
            blocks.append({"type": kind, "value": [filler.fill(item) for item in items]})
        if number == 2 and rng.random() < 0.4:
            text, who = rng.choice(vocab["quotes"])
            blocks.append(
                {
                    "type": "quotation",
                    "value": {"text": filler.fill(text), "attribution": filler.fill(who)},
                }
            )
    return blocks
