"""What a reader typed, made safe for any search backend.

Readers type anything: FTS syntax (``"``, ``*``, ``NEAR``, ``OR``), SQL quotes, backslashes, NUL
bytes, whole pasted articles. None of it reaches a backend as syntax: the text is cut to
:data:`MAX_LENGTH` characters, split into words (letters and digits in any script) and quoted
phrases, and handed to Wagtail as ``PlainText`` and ``Phrase`` queries, which both backends
treat as words to find, all of them required.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from wagtail.search.query import And, Phrase, PlainText, SearchQuery

MAX_LENGTH = 200
MAX_WORDS = 12
WORD = re.compile(r"[^\W_]+")
QUOTED = re.compile(r'"([^"]*)"')
# FTS operators readers type out of habit ("Ukraine OR Russia"): dropped beside other words
# (every word is required anyway), searched for as plain lower-case words when alone.
OPERATORS = {"AND", "OR", "NOT", "NEAR"}


@dataclass
class ParsedQuery:
    text: str = ""  # cleaned text, echoed back in the form
    words: list[str] = field(default_factory=list)
    phrases: list[list[str]] = field(default_factory=list)
    notice: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.words or self.phrases)

    @property
    def all_words(self) -> list[str]:
        return [*self.words, *(w for phrase in self.phrases for w in phrase)]

    def to_wagtail(self) -> SearchQuery:
        parts: list[SearchQuery] = []
        if self.words:
            parts.append(PlainText(" ".join(self.words), operator="and"))
        parts.extend(Phrase(" ".join(phrase)) for phrase in self.phrases)
        return parts[0] if len(parts) == 1 else And(parts)


def clean_text(raw: str) -> str:
    """Drop control characters (NUL included), normalise Unicode, squeeze spaces."""
    text = unicodedata.normalize("NFKC", raw or "")
    text = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in text)
    return " ".join(text.split())


def words_of(text: str) -> list[str]:
    words = WORD.findall(text)
    plain = [w for w in words if w not in OPERATORS]
    return plain or [w.lower() for w in words]


def parse(raw: str) -> ParsedQuery:
    text = clean_text(raw)
    notice = ""
    if len(text) > MAX_LENGTH:
        text = text[:MAX_LENGTH].rsplit(" ", 1)[0] or text[:MAX_LENGTH]
        notice = f"Your search was shortened to its first {MAX_LENGTH} characters."
    phrases = []
    for quoted in QUOTED.findall(text):
        phrase = words_of(quoted)
        if len(phrase) > 1:
            phrases.append(phrase)
    rest = QUOTED.sub(lambda m: " " if len(words_of(m.group(1))) > 1 else m.group(1), text)
    words = words_of(rest) if rest.strip() else []
    if phrases:
        words = [w for w in words if w not in OPERATORS and w.lower() not in OPERATORS]
    total = len(words) + sum(len(p) for p in phrases)
    if total > MAX_WORDS:
        words = words[: max(0, MAX_WORDS - sum(len(p) for p in phrases))]
        phrases = phrases[:2]
        notice = notice or f"Only the first {MAX_WORDS} words of your search were used."
    return ParsedQuery(text=text, words=words, phrases=phrases, notice=notice)
