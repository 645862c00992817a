"""Fragments: parts of a page that stay fresh inside a cached page (the Trending list).

A fragment is rendered by providers registered with the ``newsdesk_fragment_<name>`` Wagtail
hook: ``provider(request, **params) -> safe HTML``; each provider caches its own output for as
long as it may be stale. :func:`render` wraps the output in HTML comments naming the fragment
and its parameters; when the page cache serves a stored page it calls :func:`refresh`, which
renders every marked fragment again, so a page cached for ten minutes still shows a list at
most as old as the fragment's own cache.
"""

import re
from urllib.parse import parse_qsl, urlencode

from django.utils.safestring import SafeString, mark_safe
from wagtail import hooks

MARKED = re.compile(
    r"<!--fragment:(?P<name>[a-z0-9_]+)(?:\?(?P<params>[^>]*))?-->.*?<!--/fragment:(?P=name)-->",
    re.S,
)


def render(name: str, request, **params) -> SafeString:
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise ValueError(f"Fragment names are lower-case words: {name!r}")
    html = "".join(
        str(provider(request, **params))
        for provider in hooks.get_hooks(f"newsdesk_fragment_{name}")
    )
    query = "?" + urlencode(sorted((k, str(v)) for k, v in params.items())) if params else ""
    return mark_safe(f"<!--fragment:{name}{query}-->{html}<!--/fragment:{name}-->")  # noqa: S308


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
