"""Flat cost to a million articles: each page type at 1,000 and at 1,000,000 articles.

    .venv/bin/python benchmarks/scale.py [--backend services|embedded] [--requests 40]
        [--per-day 274] [--large-database-url postgres://…/newsdesk_gen_1m]
        [--database-prefix newsdesk_scale]

Builds (or reuses) two sites with `newsdesk generate --per-day 274`, serves both at once with
the production server, and times every page type uncached (the request carries a personal
cookie, which bypasses every cache) with sequential requests alternating between the two sites,
so a shared machine's noise falls on both alike: median and p95 of wall time per request. The ratio 1M / 1k is
the figure (target ≤ 1.5×). Page types that answer 404 on a site are reported as such (page 500
of a section does not exist at 1,000 articles; its 1k figure is page 1's).

Both sites publish at the same steady rate (``--per-day``, 274 stories a day by default: a
large newsroom, and a million stories over ten years), so they differ in the depth of their
archive, not in how fast they publish: a thousand times more stories spread over the same ten
years would make the 1M site's news sitemap (the last two days) a different, 48 times longer
page. The table shows each page's size at both sizes, and the run warns when the two news
sitemaps do not hold about as many stories (a reused site generated another way). With
services, the 1k site uses BENCH_REDIS_URL's database and the 1M site the next one (both
flushed), so neither reads the other's cached sitemap file lists.
"""

import argparse
import statistics
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import harness

PAGES = {
    "home": "/",
    "section, page 1": "/world/",
    "section, page 500": "/world/?page=500",
    "article": None,  # the newest article in World, found at run time
    "feed": "/feed/",
    "sitemap index": "/sitemap.xml",
    "sitemap file": None,  # the first file listed in the index
    "news sitemap": "/news-sitemap.xml",
}
PERSONAL = {"Cookie": "newsdesk_wrote=1"}


SAME_NEWS = 0.1  # the two news sitemaps' story counts may differ by this fraction


def fetch(url: str) -> tuple[int, bytes, float]:
    request = urllib.request.Request(url, headers=PERSONAL)
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            body = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        body, status = error.read(), error.code
    return status, body, time.perf_counter() - started


def resolve(base: str) -> dict[str, str]:
    import re

    paths = dict(PAGES)
    _, body, _ = fetch(base + "/world/")
    match = re.search(rb'<h2><a href="(/world/[^"]+/)">', body)
    paths["article"] = match.group(1).decode() if match else None
    status, body, _ = fetch(base + "/sitemap.xml")
    match = re.search(rb"<loc>https?://[^/<]+(/[^<]+)</loc>", body) if status == 200 else None
    paths["sitemap file"] = match.group(1).decode() if match else None
    return paths


def measure(bases: dict[str, str], paths: dict[str, dict], requests: int) -> dict:
    """Each page type on every site, the sites' requests interleaved one by one, so the noise
    of a shared machine falls on both sizes alike."""
    results = {label: {} for label in bases}
    for name in PAGES:
        if any(paths[label].get(name) is None for label in bases):
            for label in bases:
                results[label][name] = None
            continue
        timings = {label: [] for label in bases}
        status, size = {}, {}
        for label, base in bases.items():
            fetch(
                base + paths[label][name]
            )  # warm the process, not the page (every request renders)
        for _ in range(requests):
            for label, base in bases.items():
                status[label], body, elapsed = fetch(base + paths[label][name])
                size[label] = len(body)
                timings[label].append(elapsed * 1000)
        for label in bases:
            samples = sorted(timings[label])
            results[label][name] = {
                "status": status[label],
                "median_ms": statistics.median(samples),
                "p95_ms": samples[int(len(samples) * 0.95) - 1],
                "bytes": size[label],
            }
        harness.log(
            f"    {name}: "
            + ", ".join(
                f"{label} {results[label][name]['status']} median "
                f"{results[label][name]['median_ms']:.1f} ms"
                for label in bases
            )
        )
    return results


def news_stories(base: str) -> int:
    """Stories in a site's news sitemap (the last two days' publications)."""
    from lxml import etree

    _, body, _ = fetch(base + PAGES["news sitemap"])
    root = etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True))
    return len(root.findall("{http://www.sitemaps.org/schemas/sitemap/0.9}url"))


def site(
    folder: Path,
    backend: str,
    name: str,
    articles: int,
    database_url: str | None,
    per_day: float,
    redis_offset: int,
) -> dict:
    folder.mkdir(parents=True, exist_ok=True)
    if backend == "services":
        # Each site its own Redis database: cache keys name no site (the sitemap index keeps
        # its list of story files there), so two sites sharing one would read each other's.
        redis_url = harness.redis_database(redis_offset)
        if database_url:
            import redis

            redis.Redis.from_url(redis_url).flushdb()
            env = harness.base_env(
                folder, NEWSDESK_DATABASE_URL=database_url, NEWSDESK_REDIS_URL=redis_url
            )
        else:
            env = harness.services_env(folder, name, redis_url)
    else:
        env = harness.base_env(folder)
    harness.newsdesk(env, "migrate", "--noinput")
    harness.newsdesk(env, "collectstatic", "--noinput", "--verbosity", "0")
    started = time.monotonic()
    harness.newsdesk(env, "generate", "--articles", str(articles), "--per-day", f"{per_day:g}")
    harness.log(f"  {name}: {articles:,} articles ready in {time.monotonic() - started:,.0f} s")
    return env


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=["services", "embedded"], default="services")
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument(
        "--per-day",
        type=float,
        default=274,
        help="Both sites' publication rate (stories a day): they differ in archive depth only.",
    )
    parser.add_argument(
        "--large-database-url",
        default=None,
        help="Reuse a site generated with the same --per-day (topped up to --large).",
    )
    parser.add_argument(
        "--database-prefix",
        default="newsdesk_scale",
        help="Databases built here are <prefix>_1k and <prefix>_1m (dropped and made anew).",
    )
    args = parser.parse_args()

    rows = []
    with tempfile.TemporaryDirectory() as temp:
        servers, paths, warning = {}, {}, None
        try:
            for offset, (label, articles, url) in enumerate(
                [("1k", 1000, None), ("1M", args.large, args.large_database_url)]
            ):
                folder = Path(temp) / label
                name = f"{args.database_prefix}_{label.lower()}"
                env = site(folder, args.backend, name, articles, url, args.per_day, offset)
                servers[label] = harness.start_newsdesk(env, 1, 4)
                paths[label] = resolve(servers[label].url)
            news = {label: news_stories(server.url) for label, server in servers.items()}
            harness.log(f"  news sitemap stories: 1k {news['1k']:,}, 1M {news['1M']:,}")
            if abs(news["1M"] - news["1k"]) > SAME_NEWS * max(news.values()):
                warning = (
                    f"the two news sitemaps hold {news['1k']:,} and {news['1M']:,} stories: "
                    "not the same page; build both sites with the same --per-day"
                )
                harness.log(f"  WARNING: {warning}")
            paths["1k"]["section, page 500"] = "/world/"  # no page 500 at 1,000 articles
            results = measure(
                {label: server.url for label, server in servers.items()}, paths, args.requests
            )
        finally:
            for server in servers.values():
                server.stop()
        for name in PAGES:
            small, large = results["1k"].get(name), results["1M"].get(name)
            if not small or not large:
                rows.append({"page": name, "note": "not available on this build"})
                continue
            rows.append(
                {
                    "page": name,
                    "1k median ms": small["median_ms"],
                    "1M median ms": large["median_ms"],
                    "1M / 1k": large["median_ms"] / small["median_ms"],
                    "1k p95 ms": small["p95_ms"],
                    "1M p95 ms": large["p95_ms"],
                    "KB 1k/1M": f"{small['bytes'] / 1024:,.1f}/{large['bytes'] / 1024:,.1f}",
                    "status 1k/1M": f"{small['status']}/{large['status']}",
                }
            )
    harness.save(
        f"scale-{args.backend}",
        {"per_day": args.per_day, "news_sitemap_stories": news, "rows": rows},
    )
    print(
        f"backend: {args.backend}; {args.requests} sequential uncached requests per page; "
        f"both sites {args.per_day:g} stories a day; news sitemap stories "
        f"1k {news['1k']:,}, 1M {news['1M']:,}"
    )
    if warning:
        print(f"WARNING: {warning}")
    print(
        harness.table(
            rows,
            [
                "page",
                "1k median ms",
                "1M median ms",
                "1M / 1k",
                "1k p95 ms",
                "1M p95 ms",
                "KB 1k/1M",
                "status 1k/1M",
                "note",
            ],
        )
    )


if __name__ == "__main__":
    main()
