"""Readership (issue 5): beacon throughput, what the reader pays, and the trending query at scale.

    .venv/bin/python benchmarks/readership.py [--seconds 10] [--articles 1000000] [--rows 50000000]
    .venv/bin/python benchmarks/readership.py --only beacon     # or: reader, trending

- beacon: ``newsdesk serve`` with PostgreSQL and Redis (2 processes per core × 8 threads), wrk
  posting beacons for random articles from 50,000 simulated visitors (X-Forwarded-For from the
  trusted local proxy address, as behind nginx). Lean path (routed before Django) and the same
  endpoint through Django's full middleware stack, interleaved, side by side.
- reader: what a page view costs the reader: re-rendering the Trending fragment inside a cached
  page (Redis cache), and the beacon's own latency under light load (it is sent after the page,
  asynchronously, and never blocks it).
- trending: ``newsdesk generate`` builds 1M articles in PostgreSQL, SQL fills 50M hourly rows,
  then the Trending scoreboard's build and minute-by-minute updates, the ranking query (median of
  30 runs, site-wide and per section) and the worker's pass are timed, and the top ten is checked
  against the full sum over the window.
"""

import argparse
import json
import statistics
import tempfile
import textwrap
from pathlib import Path

import harness

BEACON_SCRIPT = """
math.randomseed(%(seed)d)
local ids = {%(ids)s}
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
request = function()
  wrk.headers["X-Forwarded-For"] = string.format("2001:db8::%%x", math.random(1, 50000))
  return wrk.format(nil, nil, nil, "article=" .. ids[math.random(#ids)])
end
"""

FULL_STACK_SETTINGS = """
from newsdesk.settings.dev import *  # noqa: F403
NEWSDESK_FAST_PATHS = {}
"""


def article_ids(env: dict, limit: int = 200) -> list[int]:
    out = harness.newsdesk(
        env,
        "shell",
        "-c",
        "from newsdesk.news.models import ArticlePage;"
        f"print(list(ArticlePage.objects.live().values_list('pk', flat=True)[:{limit}]))",
    )
    return json.loads(out.strip().splitlines()[-1])


def beacon(args, folder: Path) -> list[dict]:
    env = harness.services_env(folder / "beacon", "newsdesk_bench_readership")
    env["NEWSDESK_READERSHIP_RATE_LIMIT"] = "1000000"
    Path(env["NEWSDESK_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    harness.prepare(env, per_section=12)
    ids = article_ids(env)
    script = folder / "beacon.lua"
    script.write_text(BEACON_SCRIPT % {"seed": 7, "ids": ",".join(map(str, ids))})
    settings_dir = folder / "settings"
    settings_dir.mkdir()
    (settings_dir / "bench_full_stack.py").write_text(FULL_STACK_SETTINGS)
    variants = {
        "lean path (before Django)": env,
        "full Django stack": {
            **env,
            "DJANGO_SETTINGS_MODULE": "bench_full_stack",
            "PYTHONPATH": str(settings_dir),
        },
    }
    results: dict[str, list] = {name: [] for name in variants}
    for _ in range(args.rounds):
        for name, variant_env in variants.items():
            server = harness.start_newsdesk(variant_env, workers=4, threads=8, name="beacon")
            try:
                url = server.url + "/readership/view"
                harness.wrk("warm-up", url, seconds=2, connections=8, script=script)
                results[name].append(
                    harness.wrk(name, url, args.seconds, 32, server=server, script=script)
                )
            finally:
                server.stop()
    base = statistics.mean(r.requests_per_second for r in results["full Django stack"])
    rows = []
    for name, loads in results.items():
        rps = statistics.mean(r.requests_per_second for r in loads)
        rows.append(
            {
                "path": name,
                "requests/s": rps,
                "vs full stack": rps / base,
                "p50 ms": statistics.mean(r.p50_ms for r in loads),
                "p99 ms": statistics.mean(r.p99_ms for r in loads),
                "server CPU ms/request": statistics.mean(
                    r.server_cpu_ms_per_request for r in loads
                ),
                "errors": sum(r.errors for r in loads),
                "rounds": [r.requests_per_second for r in loads],
            }
        )
    counted = json.loads(harness.newsdesk(env, "views", "--flush", "--json"))
    rows.append(
        {"path": "views stored after the runs", "requests/s": sum(counted["stored"].values())}
    )
    return rows


READER_TIMING = textwrap.dedent(
    """
    import json, statistics, time
    from django.test import RequestFactory
    from newsdesk.core import fragments
    from newsdesk.news.models import ArticlePage
    article = ArticlePage.objects.live().first()
    request = RequestFactory().get(article.url)
    body = fragments.render("trending", request)
    page = "<html>" + "x" * 40000 + str(body) + "</html>"
    fragments.refresh(page, request)
    timings = []
    for _ in range(2000):
        start = time.perf_counter()
        fragments.refresh(page, request)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    print(json.dumps({"median_ms": statistics.median(timings), "p99_ms": timings[int(len(timings) * 0.99)]}))
    """
)


def reader(args, folder: Path) -> list[dict]:
    env = harness.services_env(folder / "reader", "newsdesk_bench_readership_reader")
    Path(env["NEWSDESK_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    harness.prepare(env, per_section=12)
    fragment = json.loads(
        harness.newsdesk(env, "shell", "-c", READER_TIMING).strip().splitlines()[-1]
    )
    ids = article_ids(env)
    script = folder / "reader.lua"
    script.write_text(BEACON_SCRIPT % {"seed": 11, "ids": ",".join(map(str, ids))})
    server = harness.start_newsdesk(env, workers=4, threads=8, name="reader")
    try:
        url = server.url + "/readership/view"
        harness.wrk("warm-up", url, seconds=2, connections=2, script=script)
        light = harness.wrk(
            "beacon, light load", url, args.seconds, 4, threads=1, server=server, script=script
        )
        page = harness.wrk(
            "seed article, page-cache hit",
            server.url + harness.SEED_PATH,
            args.seconds,
            4,
            threads=1,
            server=server,
        )
    finally:
        server.stop()
    size = len((harness.REPO / "newsdesk/readership/static/readership/beacon.js").read_bytes())
    return [
        {
            "what": "Trending fragment re-rendered in a cached page (Redis)",
            "median ms": fragment["median_ms"],
            "p99 ms": fragment["p99_ms"],
        },
        {
            "what": "seed article, page-cache hit, end to end (4 connections)",
            "median ms": page.p50_ms,
            "p99 ms": page.p99_ms,
        },
        {
            "what": "beacon request, sent after the page (4 connections)",
            "median ms": light.p50_ms,
            "p99 ms": light.p99_ms,
        },
        {"what": "beacon.js, bytes (served compressed, cached a year)", "median ms": size},
    ]


FILL_VIEWS = """
SET synchronous_commit = off;
SET maintenance_work_mem = '512MB';
DO $$ DECLARE c text; BEGIN FOR c IN SELECT conname FROM pg_constraint WHERE conrelid = 'readership_hourlyviews'::regclass AND contype = 'f' LOOP EXECUTE 'ALTER TABLE readership_hourlyviews DROP CONSTRAINT ' || quote_ident(c); END LOOP; END $$;
DROP INDEX IF EXISTS hourlyviews_hour;
DROP INDEX IF EXISTS hourlyviews_pending;
ALTER TABLE readership_hourlyviews DROP CONSTRAINT IF EXISTS readership_hourlyviews_pkey;
TRUNCATE readership_hourlyviews;
-- Every article is read in the %(per_article)d hours after it was published (fewer when that is
-- in the future), most in the first hours: %(per_article)d rows per article. Rows older than
-- the window were absorbed by the Trending scoreboard while in it (its steady state); the
-- window's rows are not, so the first update builds the scores from all of them.
INSERT INTO readership_hourlyviews (article_id, hour, views, absorbed)
SELECT article_id, hour, views, CASE WHEN hour < %(now_hour)d - 47 THEN views ELSE 0 END
FROM (
  SELECT a.page_ptr_id AS article_id,
         GREATEST(floor(extract(epoch FROM a.published_at) / 3600)::int,
                  LEAST(floor(extract(epoch FROM a.published_at) / 3600)::int + g,
                        %(now_hour)d - (g %% 48))) AS hour,
         1 + floor(random() * 500 * exp(-g / 8.0))::int AS views
  FROM news_articlepage a CROSS JOIN generate_series(0, %(per_article)d - 1) g
) rows;
-- LEAST() can fold two hours of a just-published article into one: keep the first.
DELETE FROM readership_hourlyviews a USING readership_hourlyviews b
WHERE a.ctid < b.ctid AND a.article_id = b.article_id AND a.hour = b.hour
  AND a.hour > %(now_hour)d - 200 AND b.hour > %(now_hour)d - 200;
-- The long tail: old articles read in the last 48 hours too.
INSERT INTO readership_hourlyviews (article_id, hour, views)
SELECT a.page_ptr_id, %(now_hour)d - (random() * 47)::int, 1 + (random() * 3)::int
FROM news_articlepage a TABLESAMPLE SYSTEM (20)
WHERE a.published_at < now() - interval '5 days';
ALTER TABLE readership_hourlyviews ADD PRIMARY KEY (article_id, hour);
CREATE INDEX hourlyviews_hour ON readership_hourlyviews (hour);
CREATE INDEX hourlyviews_pending ON readership_hourlyviews (hour) WHERE views > absorbed;
ALTER TABLE readership_hourlyviews ADD CONSTRAINT hourlyviews_article_fk FOREIGN KEY (article_id) REFERENCES news_articlepage (page_ptr_id);
VACUUM ANALYZE readership_hourlyviews;
"""

TRENDING_TIMING = textwrap.dedent(
    """
    import json, random, statistics, time
    from datetime import timedelta
    from django.db import connection
    from newsdesk.news.models import ArticlePage, SectionPage
    from newsdesk.readership import clock, ranking, scoreboard, trending
    from newsdesk.readership.models import HourlyViews, Scoreboard, TrendingSettings
    config = TrendingSettings.load()
    sections = list(SectionPage.objects.values_list("pk", flat=True))
    def summary(samples):
        samples.sort()
        runs = len(samples)
        return {"median_ms": statistics.median(samples), "p95_ms": samples[min(runs - 1, int(runs * 0.95))], "runs": runs}
    def timed(fn, runs=30, before=None):
        fn()
        samples = []
        for _ in range(runs):
            if before:
                before()
            start = time.perf_counter(); fn(); samples.append((time.perf_counter() - start) * 1000)
        return summary(samples)
    def forget_scores():
        Scoreboard.objects.all().delete()
    young = list(ArticlePage.objects.filter(
        listed=True, published_at__gte=clock.now() - timedelta(days=config.max_age_days)
    ).values_list("pk", flat=True))
    rng = random.Random(1)
    table = HourlyViews._meta.db_table
    def a_minute_of_views():
        # 3,000 counted views a second for a minute, as the Redis flush writes them: one
        # upsert per (article, hour), here 5,000 rows over young articles, skewed to a few.
        hour = clock.hour_of(clock.now())
        counts = {}
        for _ in range(5000):
            article = young[min(int(rng.expovariate(1 / 300)), len(young) - 1)]
            counts[article] = counts.get(article, 0) + 36
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {table} (article_id, hour, views) VALUES (%s, %s, %s) "
                f"ON CONFLICT (article_id, hour) DO UPDATE SET views = {table}.views + excluded.views",
                [(a, hour, n) for a, n in counts.items()],
            )
    result = {
        "scoreboard: first build from the window's rows (rebuild)": timed(scoreboard.update, runs=3, before=forget_scores),
        "scoreboard: a minute of views folded in (update)": timed(scoreboard.update, runs=10, before=a_minute_of_views),
        "scoreboard: update with nothing new": timed(scoreboard.update),
        "site-wide ranking query (top 10)": timed(lambda: scoreboard.ranked_rows(clock.now(), config, limit=10)),
        "one section's ranking query (top 10)": timed(lambda: scoreboard.ranked_rows(clock.now(), config, sections[1], limit=10)),
        "site-wide scores (ranking.scores: update attempt + query)": timed(lambda: ranking.scores(limit=10, config=config)),
        "site-wide list (scores + headlines)": timed(lambda: ranking.trending()),
        "worker: every list from one pass (refresh_all)": timed(trending.refresh_all, runs=10),
        "reader: the stored site-wide list": timed(lambda: trending.fragment(None)),
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM readership_hourlyviews")
        result["rows"] = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM readership_hourlyviews WHERE hour >= %s", [clock.hour_of(clock.now()) - config.window_hours + 1])
        result["rows in the window"] = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM readership_trendingscore")
        result["scored articles"] = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM news_articlepage")
        result["articles"] = cursor.fetchone()[0]
        result["young articles"] = len(young)
        sql, params = scoreboard.ranking_sql(clock.now(), config, limit=10)
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        result["plan"] = "\\n".join(row[0] for row in cursor.fetchall())
    # The definition, summed over the window's rows (what the ranking used to run each time),
    # must give the same top ten.
    first = clock.hour_of(clock.now()) - config.window_hours + 1
    with connection.cursor() as cursor:
        start = time.perf_counter()
        cursor.execute(
            "SELECT h.article_id FROM readership_hourlyviews h JOIN news_articlepage a "
            "ON a.page_ptr_id = h.article_id WHERE h.hour >= %s AND a.listed "
            "AND a.published_at >= %s GROUP BY h.article_id "
            "ORDER BY SUM(h.views * POWER(0.5, (%s - h.hour) / %s)) DESC, MAX(a.published_at) DESC LIMIT 10",
            [first, clock.now() - timedelta(days=config.max_age_days), clock.now().timestamp() / 3600, config.half_life_hours],
        )
        full = [row[0] for row in cursor.fetchall()]
        result["full sum over the window, once (ms)"] = (time.perf_counter() - start) * 1000
    kept = [s.article_id for s in ranking.scores(limit=10, config=config)]
    result["same top ten as the full sum"] = kept == full
    result["top"] = [s.views for s in ranking.scores(limit=5, config=config)]
    print(json.dumps(result))
    """
)


def trending(args, folder: Path) -> dict:
    import time

    import psycopg

    env = harness.base_env(folder / "trending")
    Path(env["NEWSDESK_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    # --database-url reuses a site already generated (e.g. by benchmarks/scale.py).
    env["NEWSDESK_DATABASE_URL"] = args.database_url or harness.fresh_postgres(
        "newsdesk_bench_trending"
    )
    harness.newsdesk(env, "migrate", "--noinput")
    started = time.monotonic()
    harness.log(f"  generating {args.articles:,} articles")
    harness.newsdesk(env, "generate", "--articles", str(args.articles))
    generated = time.monotonic() - started
    per_article = max(1, args.rows // max(args.articles, 1))
    now_hour = int(time.time() // 3600)
    started = time.monotonic()
    with psycopg.connect(env["NEWSDESK_DATABASE_URL"], autocommit=True) as db:
        present = db.execute(
            "SELECT count(*) FROM readership_hourlyviews WHERE hour >= %s", [now_hour - 47]
        ).fetchone()[0]
        if args.reuse_views and present:
            harness.log(f"  reusing the hourly rows there ({present:,} in the window)")
        else:
            harness.log(f"  filling {per_article} hourly rows per article")
            for statement in (
                FILL_VIEWS % {"per_article": per_article, "now_hour": now_hour}
            ).split(";\n"):
                if statement.strip():
                    db.execute(statement)
    filled = time.monotonic() - started
    result = json.loads(
        harness.newsdesk(env, "shell", "-c", TRENDING_TIMING).strip().splitlines()[-1]
    )
    result["generate_seconds"] = round(generated)
    result["fill_seconds"] = round(filled)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--rows", type=int, default=50_000_000)
    parser.add_argument("--only", choices=["beacon", "reader", "trending"])
    parser.add_argument("--database-url", default=None, help="trending: reuse this database")
    parser.add_argument(
        "--reuse-views", action="store_true", help="trending: keep hourly rows already filled"
    )
    args = parser.parse_args()
    output = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.only in (None, "beacon"):
            harness.log("beacon throughput")
            output["beacon"] = beacon(args, folder)
            print(
                harness.table(
                    output["beacon"],
                    [
                        "path",
                        "requests/s",
                        "vs full stack",
                        "p50 ms",
                        "p99 ms",
                        "server CPU ms/request",
                        "errors",
                    ],
                )
            )
        if args.only in (None, "reader"):
            harness.log("the reader's cost")
            output["reader"] = reader(args, folder)
            print(harness.table(output["reader"], ["what", "median ms", "p99 ms"]))
        if args.only in (None, "trending"):
            harness.log("trending query at scale")
            output["trending"] = trending(args, folder)
            print(
                json.dumps({k: v for k, v in output["trending"].items() if k != "plan"}, indent=2)
            )
            print(output["trending"]["plan"])
    harness.save(f"readership-{args.only or 'all'}", output)


if __name__ == "__main__":
    main()
