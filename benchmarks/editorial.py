"""Newsroom latencies as readers meet them, through the page cache (issue 8).

    .venv/bin/python benchmarks/editorial.py [--samples 5] [--embedded-timeout 90]

- Scheduled publishing: an article scheduled a few seconds ahead; the app server and
  `newsdesk worker` run as separate processes; the home page is polled (cached, as readers get
  it) until the headline shows. Figure: seconds from the go-live time to visible (target ≤ 60).
- Breaking news: an alert created by another process; the cached home page is polled until the
  banner shows, then the alert is given an end a few seconds ahead and the page is polled until
  the banner has gone. Figure: seconds from creation / end to seen (target ≤ 1).

Services (PostgreSQL, Redis) is the production shape. The embedded default (SQLite, in-process
cache) is measured once too, to show what its per-process cache does to work done by the worker.
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import harness

SCHEDULE = """
from datetime import timedelta
from django.utils import timezone
from newsdesk.news.models import ArticlePage, SectionPage
from newsdesk.news.factories import ArticlePageFactory
section = SectionPage.objects.get(slug="world")
article = ArticlePageFactory(parent=section, title="Scheduled story {n}", slug="scheduled-{n}",
                             live=False, first_published_at=None, last_published_at=None)
article.go_live_at = timezone.now() + timedelta(seconds={ahead})
article.save_revision().publish()
print(article.go_live_at.timestamp())
"""

ALERT = """
from datetime import timedelta
from django.utils import timezone
from newsdesk.editorial.models import BreakingNews
from newsdesk.news.models import ArticlePage
BreakingNews.objects.all().delete()
alert = BreakingNews.objects.create(article=ArticlePage.objects.live().first(),
                                    headline="Bench alert {n}", ends_at=timezone.now() + timedelta(hours=1))
print(alert.created_at.timestamp())
"""

END_ALERT = """
from datetime import timedelta
from django.utils import timezone
from newsdesk.editorial.models import BreakingNews
alert = BreakingNews.objects.get()
alert.ends_at = timezone.now() + timedelta(seconds={ahead})
alert.save()
print(alert.ends_at.timestamp())
"""


def page(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


class Watcher(threading.Thread):
    """Polls the page from before the change is made, so the time a command takes to exit is
    not counted: the figure is from the moment of the change to the first reader who sees it."""

    def __init__(self, check, timeout: float, poll: float = 0.05):
        super().__init__(daemon=True)
        self.check, self.timeout, self.poll = check, timeout, poll
        self.seen: float | None = None

    def run(self) -> None:
        deadline = time.time() + self.timeout
        while time.time() < deadline:
            if self.check():
                self.seen = time.time()
                return
            time.sleep(self.poll)


def latency(env, code: str, check, timeout: float) -> float | None:
    """Seconds from the moment the command reports (its last printed timestamp) to seen."""
    watcher = Watcher(check, timeout)
    watcher.start()
    moment = float(harness.newsdesk(env, "shell", "-c", code).split()[-1])
    watcher.join(timeout + 5)
    return None if watcher.seen is None else round(watcher.seen - moment, 2)


def measure(env: dict, samples: int, timeout: float) -> dict:
    server = harness.start_newsdesk(env, workers=2 if "NEWSDESK_REDIS_URL" in env else 1, threads=4)
    worker = subprocess.Popen(
        [sys.executable, "-m", "newsdesk", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    home = server.url + "/"
    results = {"schedule": [], "banner_on": [], "banner_off": []}
    try:
        for n in range(samples):
            page(home)  # cached before the story goes live
            results["schedule"].append(
                latency(
                    env,
                    SCHEDULE.format(n=n, ahead=5),
                    lambda n=n: f"Scheduled story {n}" in page(home),
                    timeout + 5,
                )
            )
            harness.log(f"  scheduled story {n}: {results['schedule'][-1]}")
            page(home)
            results["banner_on"].append(
                latency(
                    env, ALERT.format(n=n), lambda n=n: f"Bench alert {n}" in page(home), timeout
                )
            )
            results["banner_off"].append(
                latency(
                    env,
                    END_ALERT.format(ahead=3),
                    lambda n=n: f"Bench alert {n}" not in page(home),
                    timeout + 3,
                )
            )
            harness.log(
                f"  banner {n}: on {results['banner_on'][-1]}, off {results['banner_off'][-1]}"
            )
    finally:
        worker.terminate()
        worker.wait(timeout=20)
        server.stop()
    return results


def summary(values: list) -> str:
    seen = [v for v in values if v is not None]
    missed = len(values) - len(seen)
    if not seen:
        return f"never ({missed} of {len(values)} missed)"
    text = f"median {statistics.median(seen):.2f}, max {max(seen):.2f}"
    return text + (f", {missed} of {len(values)} missed" if missed else "")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=5)
    parser.add_argument("--embedded-timeout", type=float, default=90)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        runs = {
            "services (PostgreSQL, Redis)": (
                harness.services_env(Path(folder) / "services", "newsdesk_bench_editorial"),
                args.samples,
                65.0,
            ),
            "embedded (SQLite, in-process cache)": (
                harness.base_env(Path(folder) / "embedded"),
                1,
                args.embedded_timeout,
            ),
        }
        for backend, (env, samples, timeout) in runs.items():
            Path(env["NEWSDESK_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
            harness.log(backend)
            harness.prepare(env, per_section=6)
            results = measure(env, samples, timeout)
            rows.append({"backend": backend, "samples": samples, **results})
    harness.save("editorial", rows)
    print(
        "| backend | scheduled story visible after go-live (s) | banner shown after save (s) "
        "| banner gone after end (s) |"
    )
    print("| --- | --- | --- | --- |")
    for row in rows:
        print(
            f"| {row['backend']} | {summary(row['schedule'])} | {summary(row['banner_on'])} "
            f"| {summary(row['banner_off'])} |"
        )
    for row in rows:
        print(f"\nraw {row['backend']}: {row}")


if __name__ == "__main__":
    main()
