"""Highlighted extracts for search results, escaped before any mark is added.

Both backends stem (``missiles`` matches ``missile``), so a word is highlighted when it starts
with the stem of a searched word, cut by a few common English endings.
"""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

SNIPPET_LENGTH = 240
ENDINGS = ("ing", "ies", "es", "ed", "ly", "s", "e", "y")


def stem(word: str) -> str:
    word = word.lower()
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def pattern(words: list[str]) -> re.Pattern | None:
    stems = sorted({stem(w) for w in words if w}, key=len, reverse=True)
    if not stems:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(s) for s in stems) + r")\w*", re.IGNORECASE)


def article_text(article) -> str:
    """The standfirst, then the body's text (paragraphs, quotes, lists)."""
    parts = [article.standfirst]
    for block in article.body:
        parts.extend(str(piece) for piece in block.block.get_searchable_content(block.value))
    # Searchable content is already text (rich text is stripped by Wagtail): never strip it
    # again, or a literal "<b>" a writer typed would vanish.
    return " ".join(" ".join(p.split()) for p in parts if p)


def extract(text: str, words: list[str], length: int = SNIPPET_LENGTH) -> str:
    """The part of ``text`` around the first match, on word boundaries."""
    found = pattern(words)
    match = found.search(text) if found else None
    if match is None or match.start() < length // 2:
        start = 0
    else:
        start = text.rfind(" ", 0, match.start() - length // 3) + 1
    end = start + length
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
    piece = text[start:end]
    return ("… " if start else "") + piece + (" …" if end < len(text) else "")


def highlight(text: str, words: list[str]) -> SafeString:
    found = pattern(words)
    if found is None:
        return escape(text)
    out, last = [], 0
    for match in found.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece escaped above


def snippet(article, words: list[str]) -> SafeString:
    return highlight(extract(article_text(article), words), words)
