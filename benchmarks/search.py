"""Search page latency (issue 9): median and p95 of ``/search/?q=`` at growing archive sizes, on
SQLite (FTS5) and PostgreSQL (full-text search), measured side by side in one run.

    .venv/bin/python benchmarks/search.py --site sqlite:10000 --site postgres:10000 \\
        --site postgres:1000000=postgres://postgres@127.0.0.1:5432/newsdesk_search_1m

Each ``--site backend:articles[=location]`` is prepared with ``newsdesk migrate`` and
``newsdesk generate --articles N`` (idempotent: an existing site is topped up, never rebuilt;
generation fills the search index in bulk). The location is a PostgreSQL URL or an SQLite data
folder; without one, ``newsdesk_search_bench_<n>`` / ``/tmp/newsdesk-search-bench-<n>`` is used.
One app server (one process, one thread: the figure is one request's own latency, no
queueing) serves every query; search result pages bypass the page cache by design, so every
request runs the search. Queries: a fixed mix a reader types (place and country names, topics,
people, a quoted phrase, two- and three-word queries, common words), some with a section
filter, newest-first sorting or page 2. Each is fetched once to warm up, then ``--rounds`` times.
"""

import argparse
import http.client
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness

QUERIES = [
    {"q": "Nairobi"},
    {"q": "Kenya drought"},
    {"q": "grain exports"},
    {"q": '"fishing rights"'},
    {"q": "ceasefire"},
    {"q": "prime minister"},
    {"q": "inflation"},
    {"q": "housing market"},
    {"q": "interest rates Bank"},
    {"q": "Lumen Labs outage"},
    {"q": "data privacy"},
    {"q": "coral reefs"},
    {"q": "Svalbard exoplanet"},
    {"q": "NHS budget vote"},
    {"q": "community energy"},
    {"q": "said"},
    {"q": "missiles"},
    {"q": "Warsaw protest", "section": "world"},
    {"q": "semiconductors", "sort": "newest"},
    {"q": "election", "page": "2"},
]


def fetch(url: str) -> tuple[float, int, bytes, dict]:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=600)
    started = time.perf_counter()
    connection.request("GET", f"{parts.path}?{parts.query}")
    response = connection.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed, response.status, body, dict(response.getheaders())


def site_env(backend: str, articles: int, location: str | None) -> dict:
    if backend == "postgres":
        url = location or harness.PG_URL.rsplit("/", 1)[0] + f"/newsdesk_search_bench_{articles}"
        _ensure_database(url)
        data_dir = Path(f"/tmp/newsdesk-search-bench-pg-{articles}")
        data_dir.mkdir(parents=True, exist_ok=True)
        return harness.base_env(data_dir, NEWSDESK_DATABASE_URL=url)
    data_dir = Path(location or f"/tmp/newsdesk-search-bench-{articles}")
    data_dir.mkdir(parents=True, exist_ok=True)
    return harness.base_env(data_dir)


def _ensure_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as db:
        if not db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            db.execute(f'CREATE DATABASE "{name}"')


def measure(backend: str, articles: int, location: str | None, rounds: int) -> dict:
    env = site_env(backend, articles, location)
    harness.log(f"{backend} {articles:,}: preparing ({env['NEWSDESK_DATA_DIR']})")
    started = time.monotonic()
    harness.newsdesk(env, "migrate", "--noinput")
    harness.log(harness.newsdesk(env, "generate", "--articles", str(articles)).strip())
    harness.log(f"  prepared in {time.monotonic() - started:,.0f} s")
    server = harness.start_newsdesk(env, workers=1, threads=1, name=f"search-{backend}")
    times, per_query = [], {}
    try:
        for params in QUERIES:
            url = f"{server.url}/search/?{urlencode(params)}"
            _, status, body, headers = fetch(url)  # warm-up
            if status != 200 or headers.get("X-Cache"):
                raise RuntimeError(f"{url}: status {status}, X-Cache {headers.get('X-Cache')}")
            found = []
            for _ in range(rounds):
                elapsed, status, body, _ = fetch(url)
                found.append(elapsed * 1000)
            times += found
            label = urlencode(params)
            per_query[label] = {
                "median_ms": round(statistics.median(found), 1),
                "results": body.count(b'class="search-result"'),
            }
            harness.log(f"  {label}: median {per_query[label]['median_ms']} ms")
    finally:
        server.stop()
    ordered = sorted(times)
    return {
        "backend": backend,
        "articles": articles,
        "requests": len(times),
        "median_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 1),
        "max_ms": round(ordered[-1], 1),
        "queries": per_query,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--site", action="append", required=True, help="backend:articles[=location]"
    )
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    rows = []
    for spec in args.site:
        kind, _, location = spec.partition("=")
        backend, _, count = kind.partition(":")
        if backend not in {"sqlite", "postgres"}:
            parser.error(f"unknown backend {backend!r}")
        rows.append(measure(backend, int(count), location or None, args.rounds))
    path = harness.save("search", rows)
    print(harness.table(rows, ["backend", "articles", "requests", "median_ms", "p95_ms", "max_ms"]))
    print(f"\n(details: {path})")


if __name__ == "__main__":
    main()
