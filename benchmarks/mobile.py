"""The mobile version against the full page, side by side in one run (issue 6).

    .venv/bin/python benchmarks/mobile.py [--seconds 10] [--connections 32]

For the seed article: HTML bytes (raw and gzip-compressed, as a proxy would send them); requests
per page load in Chromium (every request until the load event, and how many of them block the
first paint: the document plus render-blocking resources, from the Performance API); and
throughput with wrk through the app's page cache and uncached (a personal cookie bypasses the
cache, so every request is rendered), each with the server's CPU per request; every load runs
twice in A-B-B-A order and the two runs are averaged.

Readers: the full version on a desktop (1280×900, desktop user agent), the full version on a
phone whose reader chose it (390×844, iPhone user agent, cookie newsdesk_full=1), and the mobile
version on a phone (390×844, iPhone user agent).
"""

import argparse
import gzip
import tempfile
import urllib.request
from pathlib import Path

import harness

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
DESKTOP = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/125.0.0.0 Safari/537.36"
)
MOBILE_PATH = "/m" + harness.SEED_PATH


def fetch(url: str, agent: str, cookie: str = "") -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"User-Agent": agent, "Cookie": cookie})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.read()


def page_load(base: str, path: str, agent: str, viewport: dict, cookie: str = "") -> dict:
    """Requests and bytes Chromium needs for one page load of ``path``, on a cold cache."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        context = browser.new_context(
            viewport=viewport,
            user_agent=agent,
            is_mobile=viewport["width"] < 600,
            has_touch=viewport["width"] < 600,
        )
        if cookie:
            name, value = cookie.split("=", 1)
            context.add_cookies([{"name": name, "value": value, "url": base}])
        page = context.new_page()
        requests: list[str] = []
        sizes: list[int] = []
        page.on("request", lambda request: requests.append(request.url))
        page.on(
            "requestfinished", lambda request: sizes.append(request.sizes()["responseBodySize"])
        )
        page.goto(base + path, wait_until="load")
        blocking = page.evaluate(
            """() => performance.getEntriesByType('resource')
                   .filter(e => e.renderBlockingStatus === 'blocking').length"""
        )
        final_url = page.url
        context.close()
        browser.close()
    return {
        "requests until load": len(requests),
        "requests for first paint": 1 + blocking,
        "bytes until load": sum(sizes),
        "url": final_url.removeprefix(base),
    }


def mean(loads: list[harness.Load]) -> harness.Load:
    def average(name):
        values = [getattr(load, name) for load in loads]
        return None if None in values else sum(values) / len(values)

    return harness.Load(
        label=loads[0].label,
        requests_per_second=average("requests_per_second"),
        p50_ms=average("p50_ms"),
        p99_ms=average("p99_ms"),
        requests=sum(load.requests for load in loads),
        errors=sum(load.errors for load in loads),
        server_cpu_ms_per_request=average("server_cpu_ms_per_request"),
        bytes_per_response=average("bytes_per_response"),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    # Rendering every request, 32 connections queue past wrk's 2 s timeout on one process.
    parser.add_argument("--uncached-connections", type=int, default=8)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        env = harness.base_env(folder)
        harness.prepare(env)
        app = harness.start_newsdesk(env, 1, 8)
        try:
            full_url, mobile_url = app.url + harness.SEED_PATH, app.url + MOBILE_PATH
            sizes = {}
            for label, url, agent in [
                ("full", full_url, DESKTOP),
                ("mobile", mobile_url, IPHONE),
            ]:
                status, html = fetch(url, agent)
                if status != 200:
                    raise RuntimeError(f"{label}: {url} answered {status}")
                sizes[label] = (len(html), len(gzip.compress(html, 6)))
            harness.log(f"HTML bytes: {sizes}")

            phone, desktop = {"width": 390, "height": 844}, {"width": 1280, "height": 900}
            loads = {
                "full, desktop": page_load(app.url, harness.SEED_PATH, DESKTOP, desktop),
                "full, phone (opted out)": page_load(
                    app.url, harness.SEED_PATH, IPHONE, phone, "newsdesk_full=1"
                ),
                "mobile, phone": page_load(app.url, MOBILE_PATH, IPHONE, phone),
            }
            harness.log(f"page loads: {loads}")

            harness.wrk("warm-up", full_url, 2, 8, headers={"User-Agent": DESKTOP}, server=app)
            harness.wrk("warm-up", mobile_url, 2, 8, headers={"User-Agent": IPHONE}, server=app)
            personal = {"Cookie": "newsdesk_wrote=1"}
            cases = {
                "full, page cache": (full_url, DESKTOP, {}, args.connections),
                "mobile, page cache": (mobile_url, IPHONE, {}, args.connections),
                "phone redirect (full address), page cache": (
                    full_url,
                    IPHONE,
                    {},
                    args.connections,
                ),
                "full, uncached": (full_url, DESKTOP, personal, args.uncached_connections),
                "mobile, uncached": (mobile_url, IPHONE, personal, args.uncached_connections),
            }
            # Each load twice, in A-B-B-A order, so drift on a shared machine hits both alike.
            runs: dict[str, list[harness.Load]] = {label: [] for label in cases}
            for order in (list(cases), list(cases)[::-1]):
                for label in order:
                    url, agent, extra, connections = cases[label]
                    runs[label].append(
                        harness.wrk(
                            label,
                            url,
                            args.seconds,
                            connections,
                            headers={"User-Agent": agent, **extra},
                            server=app,
                        )
                    )
            throughput = {label: mean(loads) for label, loads in runs.items()}
        finally:
            app.stop()

    size_rows = [
        {
            "version": label,
            "HTML bytes": raw,
            "gzip bytes": packed,
            "vs full (raw)": raw / sizes["full"][0],
        }
        for label, (raw, packed) in sizes.items()
    ]
    load_rows = [{"reader": label, **load} for label, load in loads.items()]
    full_rate = {
        "page cache": throughput["full, page cache"].requests_per_second,
        "uncached": throughput["full, uncached"].requests_per_second,
    }
    throughput_rows = [
        {
            "load": label,
            "requests/s": load.requests_per_second,
            "vs full": load.requests_per_second
            / full_rate["uncached" if "uncached" in label else "page cache"],
            "p50 ms": load.p50_ms,
            "server CPU ms/request": load.server_cpu_ms_per_request,
            "bytes/response": load.bytes_per_response,
            "errors": load.errors,
        }
        for label, load in throughput.items()
    ]
    harness.save("mobile", {"sizes": size_rows, "loads": load_rows, "throughput": throughput_rows})
    print(harness.table(size_rows, ["version", "HTML bytes", "gzip bytes", "vs full (raw)"]))
    print()
    print(
        harness.table(
            load_rows,
            [
                "reader",
                "url",
                "requests until load",
                "requests for first paint",
                "bytes until load",
            ],
        )
    )
    print()
    print(
        harness.table(
            throughput_rows,
            [
                "load",
                "requests/s",
                "vs full",
                "p50 ms",
                "server CPU ms/request",
                "bytes/response",
                "errors",
            ],
        )
    )


if __name__ == "__main__":
    main()
