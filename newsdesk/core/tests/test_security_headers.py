"""Every public response carries the security headers; scripts never run inline."""

import pytest

from newsdesk.news.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


@pytest.mark.parametrize("path", ["/", "/healthz", "/no-such-page/", "ARTICLE"])
def test_security_headers(client, path):
    if path == "ARTICLE":
        path = ArticlePageFactory().url
    response = client.get(path)
    csp = directives(response["Content-Security-Policy"])
    assert csp["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp.get("script-src", []) + csp.get("default-src", [])
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_debug_is_off_outside_development(settings):
    from newsdesk.settings import base

    assert base.DEBUG is False  # unless NEWSDESK_DEBUG=1 is set on purpose
