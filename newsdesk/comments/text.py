"""What readers type, made safe to store and to show.

Stored: the text as typed, minus characters that only ever serve to hide or disguise text.
*Stripped* (silently removed, never refused, so nobody loses what they wrote):

- NUL and the other C0 control characters except tab and newline (carriage returns become
  newlines), DEL and the C1 controls;
- bidi overrides, embeddings and isolates (U+202A–U+202E, U+2066–U+2069), which can reverse how
  a name or a link reads ("Trojan source");
- zero-width and invisible characters (U+200B, U+2060–U+2064, U+FEFF, U+00AD, U+180E); in names,
  e-mail addresses and websites also the joiners U+200C/U+200D, which stay in comment text
  because emoji sequences and Persian or Indic writing need them.

Shown: plain text only. The text is escaped, blank lines make paragraphs, single newlines line
breaks, and web addresses become links with ``rel="nofollow ugc"`` (e-mail addresses are not
linked: no harvesting from our pages).
"""

import re

from django.utils.html import Urlizer, escape, linebreaks
from django.utils.safestring import SafeString, mark_safe

_CONTROLS = "".join(chr(c) for c in [*range(0, 9), 11, 12, *range(14, 32), *range(127, 160)])
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_INVISIBLE = "\u200b\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad\u180e"
_JOINERS = "\u200c\u200d"
_BODY_STRIP = re.compile(f"[{re.escape(_CONTROLS + _BIDI + _INVISIBLE)}]")
_LINE_STRIP = re.compile(f"[{re.escape(_CONTROLS + _BIDI + _INVISIBLE + _JOINERS)}\t\n]")


def clean_body(value: str) -> str:
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _BODY_STRIP.sub("", value).strip()


def clean_line(value: str) -> str:
    return _LINE_STRIP.sub("", value).strip()


class _WebUrlizer(Urlizer):
    """Django's urlizer, linking web addresses only (never ``mailto:``)."""

    @staticmethod
    def is_email_simple(value):
        return False


_urlize = _WebUrlizer()


def render_body(text: str) -> SafeString:
    """Comment text as HTML: escaped, paragraphs, links marked ``nofollow ugc``."""
    linked = _urlize(text, nofollow=True, autoescape=True)
    # Escaping turned every quote the reader typed into &quot;, so this only meets our own rel.
    linked = linked.replace('rel="nofollow"', 'rel="nofollow ugc"')
    return mark_safe(linebreaks(linked, autoescape=False))  # noqa: S308 - escaped by urlize


def count_links(text: str) -> int:
    return len(re.findall(r"(?i)\b(?:https?://|www\.)|<a\s", text))


def plain_escape(text: str) -> str:
    return escape(text)
