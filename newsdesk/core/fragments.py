"""Fragments: parts of a page that stay fresh inside a cached page (the Trending list).

A fragment is rendered by providers registered with the ``newsdesk_fragment_<name>`` Wagtail
hook: ``provider(request, **params) -> safe HTML``; each provider caches its own output for as
long as it may be stale. :func:`render` wraps the output in HTML comments naming the fragment
and its parameters; when the page cache serves a stored page it calls :func:`refresh`, which
renders every marked fragment again, so a page cached for ten minutes still shows a list at
most as old as the fragment's own cache.
"""

import hashlib
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe
from wagtail import hooks

MARKED = re.compile(
    r"<!--fragment:(?P<name>[a-z0-9_]+)(?:\?(?P<params>[^>]*))?-->.*?<!--/fragment:(?P=name)-->",
    re.S,
)


def render(name: str, request, **params) -> SafeString:
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise ValueError(f"Fragment names are lower-case words: {name!r}")
    query = "?" + urlencode(sorted((k, str(v)) for k, v in params.items())) if params else ""
    html = Hole(name, params, f"<!--fragment:{name}{query}-->", f"<!--/fragment:{name}-->").render(
        request
    )
    return mark_safe(html)  # noqa: S308


def refresh(html: str, request) -> str:
    def again(match):
        params = dict(parse_qsl(match.group("params") or ""))
        return render(match.group("name"), request, **params)

    return MARKED.sub(again, html)


# Output that differs on every view by design (the comment form's token) is wrapped in these
# markers; ETags leave it out, so it does not defeat conditional requests.
VOLATILE = re.compile(rb"<!--volatile-->.*?<!--/volatile-->", re.S)


def stable(body: bytes) -> bytes:
    """The body without its volatile parts: what ETags are computed from."""
    return VOLATILE.sub(b"", body) if b"<!--volatile-->" in body else body


def has_fragments(body: bytes) -> bool:
    return b"<!--fragment:" in body


# --- Stored pages split at their holes -------------------------------------------------------
#
# The page cache stores a page as its static parts and its holes (:func:`split`), so that a hit
# fills the holes (:func:`fill`) without searching 30 KB of HTML, and its ETag (:func:`digest`)
# hashes only what was just rendered: the static parts' digests are computed once, when stored.


@dataclass(frozen=True)
class Hole:
    """One marked fragment of a stored page: rendered again on every hit."""

    name: str
    params: dict
    opening: str
    closing: str

    def render(self, request) -> str:
        html = "".join(
            str(provider(request, **self.params))
            for provider in hooks.get_hooks(f"newsdesk_fragment_{self.name}")
        )
        return f"{self.opening}{html}{self.closing}"


def split(body: bytes) -> tuple[tuple, tuple]:
    """The page as static parts (bytes) and :class:`Hole` s, in order, and the same with each
    hole's text as it stands in ``body``; ``fill`` of the first gives what :func:`refresh`
    would give."""
    if not has_fragments(body):
        return (body,), (body,)
    html = body.decode()
    parts, current, position = [], [], 0
    for match in MARKED.finditer(html):
        static = html[position : match.start()].encode()
        name, query = match.group("name"), match.group("params")
        opening = html[match.start() : html.index("-->", match.start()) + 3]
        parts += [
            static,
            Hole(name, dict(parse_qsl(query or "")), opening, f"<!--/fragment:{name}-->"),
        ]
        current += [static, match.group(0).encode()]
        position = match.end()
    parts.append(html[position:].encode())
    current.append(parts[-1])
    return tuple(parts), tuple(current)


def fill(parts, request) -> list[bytes]:
    """The page's parts with every hole rendered afresh."""
    return [part if type(part) is bytes else part.render(request).encode() for part in parts]


def part_digest(part: bytes) -> bytes:
    return hashlib.sha256(stable(part)).digest()


def digest(parts, static_digests=None) -> str:
    """A hash of the page without its volatile parts, for ETags: a hash of each part's hash,
    so the static parts' hashes (``static_digests``, one per part, None for holes) are reused
    and only the freshly rendered holes are hashed on a hit."""
    combined = hashlib.sha256()
    for index, part in enumerate(parts):
        known = static_digests[index] if static_digests is not None else None
        combined.update(known if known is not None else part_digest(part))
    return combined.hexdigest()


# --- One round trip per hit ------------------------------------------------------------------
#
# A provider that reads the shared cache may declare the keys it reads (:func:`reads`). The page
# cache then reads them in the same round trip as the stored page's tag generations
# (:func:`cache_keys`, :func:`remember`), and the provider finds them with :func:`cache_get_many`
# instead of asking Redis again: one round trip per hit instead of one per fragment.

_MISSING = object()
_PREFETCHED = "_newsdesk_fragment_cache"


def reads(keys_for):
    """Declare the cache keys a provider reads: ``keys_for(**params) -> list[str]``."""

    def declare(provider):
        provider.cache_keys = keys_for
        return provider

    return declare


def cache_keys(parts) -> tuple[str, ...]:
    """Every cache key the providers of these parts' holes declare they read."""
    keys = []
    for part in parts:
        if type(part) is not bytes:
            for provider in hooks.get_hooks(f"newsdesk_fragment_{part.name}"):
                declared = getattr(provider, "cache_keys", None)
                if declared is not None:
                    keys.extend(declared(**part.params))
    return tuple(dict.fromkeys(keys))


def remember(request, keys, found: dict) -> None:
    """Keep what the page cache read for ``keys`` (absent ones as absent) for this request."""
    setattr(request, _PREFETCHED, {key: found.get(key, _MISSING) for key in keys})


def cache_get_many(request, keys) -> dict:
    """``cache.get_many(keys)``, answered from what was read for this request when it holds
    every one of them (a provider may run outside a page-cache hit too: then it asks)."""
    known = getattr(request, _PREFETCHED, None) if request is not None else None
    if known is not None and all(key in known for key in keys):
        return {key: known[key] for key in keys if known[key] is not _MISSING}
    return cache.get_many(keys)


def cache_get(request, key: str, default=None):
    return cache_get_many(request, [key]).get(key, default)
