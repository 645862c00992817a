"""Against a real server process: exact counts under concurrency, a worker crash, a browser."""

import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from newsdesk.core import testing

from .conftest import BROWSER


def views(site, flush=True) -> dict:
    args = ["views", "--json", *(["--flush"] if flush else [])]
    data = json.loads(site.manage(*args).stdout)
    return {
        "stored": {int(k): v for k, v in data["stored"].items()},
        "pending": {int(k): v for k, v in data["pending"].items()},
    }


def article_ids(site, count: int) -> list[int]:
    """Articles of the demo site, read from its pages (data-article of the beacon)."""
    status, _, html = site.get("/")
    links = [a["href"] for a in testing.soup(html).select("main a[href]")]
    ids = []
    for link in dict.fromkeys(links):
        if link.count("/") != 3:
            continue
        status, _, page = site.get(link)
        script = testing.soup(page).select_one("script[data-article]")
        if status == 200 and script:
            ids.append(int(script["data-article"]))
        if len(ids) == count:
            return ids
    raise AssertionError(f"only {len(ids)} articles found on the demo site")


def beacon(site, article_id: int, source_ip: str, agent: str = BROWSER) -> int:
    parts = urlsplit(site.url)
    connection = http.client.HTTPConnection(
        parts.hostname, parts.port, timeout=30, source_address=(source_ip, 0)
    )
    try:
        connection.request(
            "POST",
            "/readership/view",
            body=f"article={article_id}",
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "User-Agent": agent,
                "Origin": site.url,
            },
        )
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def delta(before: dict, after: dict) -> dict:
    return {k: v - before.get(k, 0) for k, v in after.items() if v != before.get(k, 0)}


def test_concurrent_views_from_many_visitors_are_counted_exactly(demo_site):
    """N beacons from M visitors (distinct loopback addresses) in parallel threads: the stored
    counts equal the de-duplicated expectation exactly."""
    articles = article_ids(demo_site, 6)
    visitors = [f"127.0.{n // 200 + 1}.{n % 200 + 10}" for n in range(40)]  # M = 40
    plan = []
    for number, ip in enumerate(visitors):
        for step in range(25):  # N = 1,000: each visitor repeats some articles
            plan.append((ip, articles[(number + step * step) % len(articles)]))
    expected: dict[int, int] = {}
    for _ip, article in set(plan):
        expected[article] = expected.get(article, 0) + 1
    before = views(demo_site)["stored"]
    statuses = []
    lock = threading.Lock()

    def visitor(ip):
        mine = [beacon(demo_site, article, ip) for who, article in plan if who == ip]
        with lock:
            statuses.extend(mine)

    threads = [threading.Thread(target=visitor, args=(ip,)) for ip in visitors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [204] * len(plan)
    after = views(demo_site)
    assert after["pending"] == {}
    assert delta(before, after["stored"]) == expected
    assert sum(expected.values()) < len(plan)


def test_one_visitor_replaying_thousands_of_times_counts_once(demo_site):
    article = article_ids(demo_site, 1)[0]
    before = views(demo_site)["stored"]
    first_minute = int(time.time() // 60)
    statuses = [beacon(demo_site, article, "127.0.9.9") for _ in range(1500)]
    minutes = int(time.time() // 60) - first_minute + 1  # the limit's windows are clock minutes
    assert set(statuses) <= {204, 429}
    # The per-address limit (120 a minute) stops the flood early in every minute it spans.
    assert statuses.count(204) <= 120 * minutes < 1500 / 2
    assert delta(before, views(demo_site)["stored"]) == {article: 1}


@pytest.mark.services
def test_a_worker_crash_loses_no_buffered_view(demo_site, services):
    """The worker flushes every NEWSDESK_READERSHIP_FLUSH_SECONDS (2 s here, 60 s by default).
    Killed with SIGKILL, it loses nothing: views wait in Redis until a worker flushes again.
    (Only losing Redis itself loses views: at most those of the last flush interval.)"""
    articles = article_ids(demo_site, 2)
    env = {**demo_site.env, "NEWSDESK_READERSHIP_FLUSH_SECONDS": "2"}
    before = views(demo_site)["stored"]

    def start_worker():
        log = open(Path(env["NEWSDESK_DATA_DIR"]) / "worker.log", "ab")  # noqa: SIM115
        return subprocess.Popen(
            [sys.executable, "-m", "newsdesk", "worker"], env=env, stdout=log, stderr=log
        )

    def wait_for_stored(total, timeout=45):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = sum(delta(before, views(demo_site, flush=False)["stored"]).values())
            if found == total:
                return time.monotonic()
            time.sleep(0.5)
        raise AssertionError(f"stored views never reached {total}")

    worker = start_worker()
    try:
        sent = time.monotonic()
        for n in range(5):
            assert beacon(demo_site, articles[0], f"127.0.20.{n + 1}") == 204
        flushed = wait_for_stored(5)
        assert flushed - sent < 2 + 15  # the interval, plus the worker's start and poll
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        for n in range(3):
            assert beacon(demo_site, articles[1], f"127.0.21.{n + 1}") == 204
        time.sleep(3)
        state = views(demo_site, flush=False)
        assert sum(delta(before, state["stored"]).values()) == 5
        assert state["pending"].get(articles[1]) == 3
        worker = start_worker()
        wait_for_stored(8)
    finally:
        if worker.poll() is None:
            os.kill(worker.pid, signal.SIGTERM)
            worker.wait(timeout=20)


@pytest.mark.browser
def test_a_real_browser_reports_one_view_under_our_csp(demo_site, browser):
    article = article_ids(demo_site, 1)[0]
    _, _, home = demo_site.get("/")
    path = next(
        a["href"]
        for a in testing.soup(home).select("main a[href]")
        if a["href"].count("/") == 3
        and testing.soup(demo_site.get(a["href"])[2]).select_one(
            f"script[data-article='{article}']"
        )
    )
    before = views(demo_site)["stored"]
    # Headless Chromium names itself "HeadlessChrome", which crawlerdetect rightly calls a bot:
    # this browser presents itself as the desktop Chrome a reader would use.
    context = browser.new_context(bypass_csp=False, user_agent=BROWSER)
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on(  # CSP refusals and script errors show here
        "console",
        lambda m: (
            problems.append(m.text)
            if m.type == "error" and "Failed to load resource" not in m.text
            else None
        ),
    )
    page.on(  # the browser's own favicon request aside, nothing may fail
        "response",
        lambda r: (
            problems.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico")
            else None
        ),
    )
    with page.expect_response(lambda r: r.url.endswith("/readership/view")) as beacon_response:
        page.goto(demo_site.url + path)
    assert beacon_response.value.status == 204
    assert beacon_response.value.headers["x-readership"] == "counted"
    assert beacon_response.value.request.method == "POST"
    with page.expect_response(lambda r: r.url.endswith("/readership/view")) as again:
        page.reload()
    assert again.value.headers["x-readership"] == "duplicate"
    assert problems == []
    assert not context.cookies(), "no cookies for readers"
    context.close()
    assert delta(before, views(demo_site)["stored"]) == {article: 1}


@pytest.mark.browser
def test_pages_with_trending_have_no_accessibility_violations(demo_site, browser):
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    _, _, home = demo_site.get("/")
    section = testing.soup(home).select_one("nav.site-nav a")["href"]
    trending_link = testing.soup(home).select_one("section.trending a")["href"]
    for path in ["/", section, trending_link]:
        page.goto(demo_site.url + path)
        assert page.locator("section.trending h2").count() == 1, path
        assert testing.axe_violations(page) == [], path
    testing.screenshot(page, "readership-article-trending")
    context.close()
