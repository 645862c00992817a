"""WhiteNoise serves collected static files compressed, with hashed names and long caching."""

import re
import urllib.request

import pytest

from newsdesk.core.testing import soup


@pytest.fixture(scope="module")
def stylesheet(demo_site):
    _, _, html = demo_site.get("/")
    return soup(html).find("link", rel="stylesheet")["href"]


def test_static_names_are_hashed_and_cached_for_a_year(demo_site, stylesheet):
    assert re.fullmatch(r"/static/core/css/site\.[0-9a-f]{12}\.css", stylesheet)
    status, headers, _ = demo_site.get(stylesheet)
    assert status == 200
    max_age = int(re.search(r"max-age=(\d+)", headers["Cache-Control"]).group(1))
    assert max_age >= 365 * 24 * 3600
    assert "immutable" in headers["Cache-Control"]


@pytest.mark.parametrize("encoding", ["gzip", "br"])
def test_static_files_are_served_compressed(demo_site, stylesheet, encoding):
    request = urllib.request.Request(
        demo_site.url + stylesheet, headers={"Accept-Encoding": encoding}
    )
    with urllib.request.urlopen(request) as response:
        assert response.headers["Content-Encoding"] == encoding
        assert "Accept-Encoding" in response.headers["Vary"]
