"""Sitemaps and feeds at scale (issue 7): time and peak memory of the app server process while
it serves the sitemap index, one full sitemap file, the news sitemap and the feeds, measured at
growing site sizes on PostgreSQL + Redis.

    .venv/bin/python benchmarks/syndication.py --sizes 100000 1000000

Each size has a database of its own, kept between runs (``newsdesk generate`` tops it up and is
idempotent; ``--fresh`` rebuilds), and the script starts one
app server process (one worker, one thread, so its memory is the request's), and for every
address: resets the worker's peak-memory mark (/proc/<pid>/clear_refs), fetches the address
three times bypassing the page cache (a personal cookie), and records the median time to the
last byte and the peak resident memory above the worker's memory before the request.
Cached figures (page cache hits) are recorded beside them for the cached addresses.
"""

import argparse
import http.client
import re
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness

BYPASS = {"Cookie": "newsdesk_wrote=1"}  # a personal cookie: the page cache steps aside
DB_PREFIX = "newsdesk_bench_syndication_"


def fetch(url: str, headers: dict | None = None) -> tuple[float, int, int, bytes]:
    """(seconds to the last byte, status, bytes, body) of one GET."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=600)
    started = time.perf_counter()
    connection.request("GET", parts.path, headers=headers or {})
    response = connection.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed, response.status, len(body), body


def status_kib(pid: int, field: str) -> int:
    text = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(rf"^{field}:\s+(\d+) kB", text, re.M).group(1))


def worker_pid(server: harness.Server) -> int:
    """gunicorn's worker: the process of the group that is not the master."""
    for _ in range(50):
        workers = [pid for pid in server.pids() if pid != server.process.pid]
        if workers:
            return workers[0]
        time.sleep(0.1)
    raise RuntimeError("no gunicorn worker found")


def measure(server, pid: int, path: str, label: str, headers=None, rounds: int = 3) -> dict:
    times, peaks = [], []
    size = status = None
    for _ in range(rounds):
        Path(f"/proc/{pid}/clear_refs").write_text("5")  # reset VmHWM to the current RSS
        before = status_kib(pid, "VmRSS")
        elapsed, status, size, body = fetch(server.url + path, headers)
        peaks.append(status_kib(pid, "VmHWM") - before)
        times.append(elapsed)
    row = {
        "what": label,
        "path": path,
        "status": status,
        "bytes": size,
        "median_ms": round(statistics.median(times) * 1000, 1),
        "max_ms": round(max(times) * 1000, 1),
        "peak_extra_mib": round(max(peaks) / 1024, 1),
        "worker_rss_mib": round(status_kib(pid, "VmRSS") / 1024, 1),
        "urls": body.count(b"<url>") + body.count(b"<item>") + body.count(b"<entry>"),
    }
    harness.log(
        f"    {label}: {row['median_ms']} ms median, +{row['peak_extra_mib']} MiB peak, "
        f"{size:,} bytes, status {status}"
    )
    return row


def run_size(articles: int, fresh: bool) -> list[dict]:
    harness.log(f"  site of {articles:,} generated articles")
    env = prepare(articles, fresh)
    started = time.monotonic()
    harness.newsdesk(env, "generate", "--articles", str(articles))
    analyze(env)
    harness.log(f"    generate and analyze: {time.monotonic() - started:,.0f} s")
    server = harness.start_newsdesk(env, workers=1, threads=1)
    try:
        pid = worker_pid(server)
        fetch(server.url + "/", BYPASS)  # warm the worker up (imports, connections)
        # Keys 50,000–99,999 are all generated stories: a full file. Measured first, on a
        # worker that has served one page only, so its peak is not hidden by earlier ones.
        path = "/sitemap-articles-1.xml"
        rows = [
            measure(server, pid, path, "sitemap file (streamed)", BYPASS),
            measure(server, pid, "/sitemap.xml", "sitemap index", BYPASS),
            measure(server, pid, "/sitemap-authors-0.xml", "authors sitemap", BYPASS),
            measure(server, pid, "/sitemap-tags-0.xml", "tags sitemap", BYPASS),
            measure(server, pid, "/news-sitemap.xml", "news sitemap", BYPASS),
            measure(server, pid, "/feed/", "RSS feed (20 items)", BYPASS),
            measure(server, pid, "/feed/atom/", "Atom feed", BYPASS),
            measure(server, pid, "/feed/json/", "JSON Feed", BYPASS),
            measure(server, pid, "/world/feed/", "section RSS feed", BYPASS),
        ]
        for cached in ["/sitemap.xml", "/news-sitemap.xml", "/feed/"]:
            fetch(server.url + cached)  # store in the page cache
            rows.append(measure(server, pid, cached, f"{cached} from the page cache"))
        news = fetch(server.url + "/news-sitemap.xml")[3].count(b"<url>")
        harness.log(f"    news sitemap holds {news:,} stories (cap 1,000)")
    finally:
        server.stop()
    for row in rows:
        row["articles"] = articles
        row["news_stories"] = news
    return rows + stock_versus_streamed(env, articles, path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--fresh", action="store_true", help="drop the database first")
    parser.add_argument(
        "--prepare-only", action="store_true", help="build the sites, measure nothing"
    )
    args = parser.parse_args()
    rows = []
    for size in sorted(args.sizes):
        if args.prepare_only:
            env = prepare(size, args.fresh)
            harness.newsdesk(env, "generate", "--articles", str(size))
            continue
        rows += run_size(size, args.fresh)
    if args.prepare_only:
        return
    path = harness.save("syndication", rows)
    print(
        harness.table(
            rows,
            ["articles", "what", "urls", "median_ms", "max_ms", "peak_extra_mib", "bytes"],
        )
    )
    harness.log(f"raw results: {path}")


STOCK = """
import json, resource, sys, time
import django
django.setup()
from django.contrib.sites.requests import RequestSite
from django.test import RequestFactory
from django.template import Engine
import django.contrib.sitemaps as stock
from pathlib import Path
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
if sys.argv[1] == "stock":
    from wagtail.contrib.sitemaps import Sitemap
    request = RequestFactory().get("/sitemap.xml?p=2")
    sitemap = Sitemap(request)
    urls = sitemap.get_urls(page=2, site=RequestSite(request), protocol="http")
    engine = Engine(dirs=[str(Path(stock.__file__).parent / "templates")])
    body = engine.get_template("sitemap.xml").render(
        __import__("django.template", fromlist=["Context"]).Context({"urlset": urls})
    ).encode()
    count, size = len(urls), len(body)
else:
    from newsdesk.syndication import sitemaps
    count = size = 0
    for chunk in sitemaps.urlset(sitemaps.ArticleSitemap().urls(int(sys.argv[2]))):
        size += len(chunk)
        count += chunk.count(b"<url>")
elapsed = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(json.dumps({"seconds": elapsed, "peak_mib": peak / 1024, "urls": count, "bytes": size}))
"""


def stock_versus_streamed(env: dict, articles: int, file_path: str) -> list[dict]:
    """One 50,000-address file made in a fresh process by Wagtail's sitemap (Django's
    paginator: OFFSET, every page object loaded, the template rendered whole) and by ours."""
    import json
    import subprocess

    number = re.search(r"-(\d+)\.xml$", file_path).group(1)
    rows = []
    for kind in ["stock", "streamed"]:
        result = subprocess.run(
            [sys.executable, "-c", STOCK, kind, number],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        data = json.loads(result.stdout.strip().splitlines()[-1])
        label = "Wagtail's sitemap, page 2" if kind == "stock" else f"ours, {file_path}"
        row = {
            "articles": articles,
            "what": f"in-process: {label} ({data['urls']:,} URLs)",
            "median_ms": round(data["seconds"] * 1000, 1),
            "peak_extra_mib": round(data["peak_mib"], 1),
            "bytes": data["bytes"],
            "urls": data["urls"],
        }
        harness.log(f"    {row['what']}: {row['median_ms']} ms, +{row['peak_extra_mib']} MiB")
        rows.append(row)
    return rows


def analyze(env: dict) -> None:
    """Planner statistics after bulk inserts, as autovacuum would gather them in production."""
    import psycopg

    with psycopg.connect(env["NEWSDESK_DATABASE_URL"], autocommit=True) as db:
        db.execute("VACUUM ANALYZE")


def prepare(articles: int, fresh: bool) -> dict:
    """The environment of the site of this size: a database of its own, migrated."""
    import psycopg
    import redis

    name = f"{DB_PREFIX}{articles}"
    data_dir = harness.RESULTS / f"syndication-{articles}"
    data_dir.mkdir(parents=True, exist_ok=True)
    parts = urlsplit(harness.PG_URL)
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as db:
        exists = db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    if fresh or not exists:
        env = harness.services_env(data_dir, name)
        harness.newsdesk(env, "migrate", "--noinput")
        harness.newsdesk(env, "collectstatic", "--noinput", "--verbosity", "0")
        return env
    redis.Redis.from_url(harness.REDIS_URL).flushdb()
    url = parts._replace(path=f"/{name}").geturl()
    return harness.base_env(
        data_dir, NEWSDESK_DATABASE_URL=url, NEWSDESK_REDIS_URL=harness.REDIS_URL
    )


if __name__ == "__main__":
    main()
