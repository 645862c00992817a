"""Comment POST latency and throughput (issue 4).

    .venv/bin/python benchmarks/comments.py [--posts 200] [--concurrency 8] [--embedded-only]

The site: the demo (the seed article and one story per section) with 20 approved comments on
the seed article (``newsdesk comments_demo --approved 20``). Every POST is a real reader's: a
form token from a page view (served from the page cache, the token fragment rendered fresh), a
distinct address (X-Forwarded-For from our trusted proxy) and e-mail, sent after the minimum
time, through every rule (rate limit, flood, duplicates, word lists, links, previous approval).

Two kinds of comment:
- *held*: a first-time author; stored pending, the moderators' e-mail task enqueued;
- *approved*: a returning author with an approved comment; stored, the article's count
  recounted under its row lock and the article purged from the page cache.

Latency: one client posting one comment after another (median, p95), with the server's CPU
time per request (user + system of its processes: what the request costs, whatever else the
machine runs). Beside them, the same server answering a page-cache hit of the article and a
POST refused before any database work, for scale. Throughput: ``--concurrency`` client threads
posting as fast as the server answers. Both on the embedded default (SQLite,
1 process × 8 threads) and on PostgreSQL + Redis (2 processes × 8 threads), side by side.
"""

import argparse
import http.client
import itertools
import re
import statistics
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import harness

KNOWN_AUTHORS = """
from datetime import timedelta
from django.utils import timezone
from newsdesk.comments.models import Comment, Status
from newsdesk.comments.moderation import refresh_count
from newsdesk.news.models import ArticlePage
from django.db import transaction
article = ArticlePage.objects.live().exclude(slug__startswith="biden").first()
old = timezone.now() - timedelta(days=1)
Comment.objects.bulk_create([
    Comment(article=article, name=f"Known {n}", email=f"known{n}@bench.example",
            body=f"An earlier comment {n}.", status=Status.APPROVED, created_at=old)
    for n in range(COUNT)
])
with transaction.atomic():
    refresh_count(article.pk)
"""

TOKEN = re.compile(rb'name="token" value="([^"]+)"')
ARTICLE = re.compile(rb'name="article" value="(\d+)"')
ADDRESSES = itertools.count(1)


class Client:
    def __init__(self, url: str):
        parts = urlsplit(url)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)

    def request(self, method: str, path: str, body: str | None = None, headers=None):
        self.connection.request(method, path, body=body, headers=headers or {})
        response = self.connection.getresponse()
        return response.status, response.read()


def fetch_forms(url: str, count: int) -> list[tuple[str, str]]:
    client = Client(url)
    forms = []
    for _ in range(count):
        status, body = client.request("GET", harness.SEED_PATH)
        if status != 200:
            raise RuntimeError(f"the seed article answered {status}")
        forms.append((ARTICLE.search(body).group(1).decode(), TOKEN.search(body).group(1).decode()))
    return forms


def post_body(form, n: int, kind: str, run: str, offset: int = 0) -> str:
    """A reader's form; returning authors are ``known<n + offset>`` (each posts once, so the
    15-second flood rule never applies)."""
    article, token = form
    if kind == "approved":
        email = f"known{n + offset}@bench.example"
    else:
        email = f"new-{run}-{n}@bench.example"
    return urlencode(
        {
            "comment": f"Benchmark comment {run} {n}: a few sentences of a reader's view of the "
            "story, long enough to look like a real comment, with no links in it at all.",
            "author": f"Bench Reader {n}",
            "email": email,
            "url": "",
            "article": article,
            "parent": "",
            "token": token,
            "fax": "",
        }
    )


def headers(url: str) -> dict:
    """Every reader from an address of their own (through our trusted proxy's header)."""
    n = next(ADDRESSES)
    return {
        "Content-Type": "application/x-www-form-urlencoded",
        "Origin": url,
        "Sec-Fetch-Site": "same-origin",
        "X-Forwarded-For": f"10.{n // 62500}.{n // 250 % 250}.{n % 250 + 1}",
        "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0 newsdesk-bench",
    }


def sequential(server, count: int, kind: str, run: str, offset: int = 0) -> dict:
    url = server.url
    forms = fetch_forms(url, count)
    time.sleep(3.2)  # the minimum time between page view and post
    client = Client(url)
    times = []
    cpu_before = harness.cpu_seconds(server.pids())
    for n in range(count):
        started = time.perf_counter()
        status, body = client.request(
            "POST", "/comments/post", post_body(forms[n], n, kind, run, offset), headers(url)
        )
        times.append((time.perf_counter() - started) * 1000)
        if status != 302:
            raise RuntimeError(f"a comment POST answered {status}: {body[:300]!r}")
    cpu = harness.cpu_seconds(server.pids()) - cpu_before
    return summary(times, cpu, count)


def summary(times: list[float], cpu: float, count: int) -> dict:
    times = sorted(times)
    return {
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 2),
        "server_cpu_ms": round(cpu * 1000 / count, 2),
        "posts": count,
    }


def baseline(server, count: int, method: str, path: str, body: str | None, expect: int) -> dict:
    """The same server and client doing less: what any request costs on this machine now."""
    client = Client(server.url)
    times = []
    cpu_before = harness.cpu_seconds(server.pids())
    for _ in range(count):
        started = time.perf_counter()
        status, answer = client.request(method, path, body, headers(server.url) if body else {})
        times.append((time.perf_counter() - started) * 1000)
        if status != expect:
            raise RuntimeError(f"{method} {path} answered {status}: {answer[:200]!r}")
    return summary(times, harness.cpu_seconds(server.pids()) - cpu_before, count)


def concurrent(url: str, count: int, threads: int, kind: str, run: str, offset: int = 0) -> dict:
    forms = fetch_forms(url, count)
    time.sleep(3.2)
    failures = []
    next_number = iter(range(count))
    lock = threading.Lock()

    def work():
        client = Client(url)
        while True:
            with lock:
                n = next(next_number, None)
            if n is None:
                return
            body = post_body(forms[n], n, kind, run, offset)
            status, answer = client.request("POST", "/comments/post", body, headers(url))
            if status != 302:
                failures.append((status, answer[:200]))

    workers = [threading.Thread(target=work) for _ in range(threads)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    if failures:
        raise RuntimeError(f"{len(failures)} POSTs failed, for example {failures[:3]}")
    return {"posts_per_second": round(count / elapsed, 1), "posts": count, "threads": threads}


def measure(env: dict, label: str, posts: int, concurrency: int, workers: int) -> list[dict]:
    Path(env["NEWSDESK_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    harness.prepare(env, per_section=1)
    harness.newsdesk(env, "comments_demo", "--approved", "20")
    harness.newsdesk(env, "shell", "-c", KNOWN_AUTHORS.replace("COUNT", str(posts * 2)))
    server = harness.start_newsdesk(env, workers=workers, threads=8)
    rows = []
    try:
        sequential(server, 20, "held", f"{label}-warm")  # warm every code path
        for kind, method, path, body, expect in [
            ("GET article (page cache hit)", "GET", harness.SEED_PATH, None, 200),
            ("POST refused before the database (400)", "POST", "/comments/post", "article=", 400),
        ]:
            row = baseline(server, posts, method, path, body, expect)
            harness.log(
                f"  {label} {kind}: median {row['median_ms']} ms, cpu {row['server_cpu_ms']}"
            )
            rows.append({"backend": label, "kind": kind, **row})
        for kind in ("held", "approved"):
            latency = sequential(server, posts, kind, f"{label}-{kind}")
            harness.log(
                f"  {label} {kind}: median {latency['median_ms']} ms, p95 {latency['p95_ms']}"
            )
            rate = concurrent(
                server.url, posts, concurrency, kind, f"{label}-{kind}-load", offset=posts
            )
            harness.log(f"  {label} {kind}: {rate['posts_per_second']} posts/s")
            rows.append({"backend": label, "kind": kind, **latency, **rate})
    finally:
        server.stop()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--embedded-only", action="store_true")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        harness.log("embedded (SQLite, in-process cache)")
        rows += measure(
            harness.base_env(Path(folder) / "embedded"), "embedded", args.posts, args.concurrency, 1
        )
        if not args.embedded_only:
            harness.log("services (PostgreSQL, Redis)")
            env = harness.services_env(Path(folder) / "services", "newsdesk_bench_comments")
            rows += measure(env, "services", args.posts, args.concurrency, 2)
    harness.save("comments", rows)
    print(
        harness.table(
            rows,
            [
                "backend",
                "kind",
                "median_ms",
                "p95_ms",
                "server_cpu_ms",
                "posts_per_second",
                "posts",
                "threads",
            ],
        )
    )


if __name__ == "__main__":
    main()
