"""Whatever a reader types, the search page answers normally (possibly with no results) or
explains; never a 500. Each case runs on SQLite and, under services, on PostgreSQL."""

import pytest

from newsdesk.core.testing import soup, text

pytestmark = pytest.mark.django_db

CASES = {
    "empty": "",
    "spaces": "   ",
    "ten-thousand-characters": "missiles " * 1111 + "x",
    "only-punctuation": "!?.,;:-()[]{}<>/|~`@#$%^&+=",
    "double-quote": '"',
    "unbalanced-quotes": '"Storm Shadow',
    "star": "*",
    "star-suffix": "missi*",
    "near": "NEAR",
    "near-syntax": "NEAR(Storm Shadow, 2)",
    "or": "OR",
    "or-between": "Ukraine OR Russia",
    "and-not": "AND NOT",
    "single-quote": "'",
    "sql-injection": "' OR 1=1; DROP TABLE wagtailcore_page; --",
    "backslash": "\\",
    "backslashes-and-quotes": "\\\"\\'\\",
    "nul-byte": "missiles\x00ATACMS",
    "only-nul": "\x00",
    "fts5-column-filter": "title:missiles",
    "caret-and-plus": "^missiles +Ukraine -Russia",
    "percent-and-underscore": "%_%",
    "tsquery-syntax": "missiles & !ukraine | (russia <-> strike)",
    "french": "Élection présidentielle",
    "russian": "Результаты выборов",
    "chinese": "中国导弹",
    "arabic": "الصواريخ",
    "emoji": "🚀 missiles",
    "stop-words-only": "the and of",
}


@pytest.mark.parametrize("query", CASES.values(), ids=CASES.keys())
def test_bad_input_gives_a_normal_page(client, newsroom, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    page = soup(response.content)
    assert page.select_one("#search-q") is not None
    # Either results, a "no results" page, or a sentence about the query.
    assert (
        page.select(".search-result")
        or page.select(".search-empty")
        or page.select(".search-notice")
        or page.select(".search-sections")
        or not query.strip()
    )


def test_long_query_is_shortened_with_a_notice(client, newsroom):
    page = soup(client.get("/search/", {"q": "missiles " * 1111}).content)
    assert "shortened to its first 200 characters" in text(page.select_one(".search-notice"))
    assert len(page.select_one("#search-q")["value"]) <= 200


def test_punctuation_only_explains(client, newsroom):
    page = soup(client.get("/search/", {"q": "!?*"}).content)
    assert "punctuation alone finds nothing" in text(page.select_one(".search-notice"))


def test_nul_byte_is_dropped_and_the_rest_searched(client, newsroom):
    page = soup(client.get("/search/", {"q": "ATACMS\x00"}).content)
    assert [text(a) for a in page.select(".search-result h2 a")] == [
        "Ukraine may fire long-range missiles into Russia"
    ]


def test_non_english_text_is_found(client, newsroom):
    for query in ["présidentielle", "Результаты"]:
        page = soup(client.get("/search/", {"q": query}).content)
        assert [text(a) for a in page.select(".search-result h2 a")] == [
            "Élection présidentielle: les résultats"
        ], query


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99999999999", "1e3"])
def test_bad_page_numbers(client, newsroom, page):
    assert client.get("/search/", {"q": "storm", "page": page}).status_code == 200


@pytest.mark.parametrize("name", ["section", "sort"])
def test_unknown_filter_values(client, newsroom, name):
    response = client.get("/search/", {"q": "storm", name: "<nonsense>"})
    assert response.status_code == 200
    assert soup(response.content).select(".field-error")
