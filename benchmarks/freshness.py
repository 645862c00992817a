"""Publish → visible through the front (issue 10, row 5; target ≤ 1 s).

    .venv/bin/python benchmarks/freshness.py [--backend embedded|services] [--trials 10]

An app server behind Varnish (deploy/varnish), the pages readers would have cached (article
address, section front, home, feed, news sitemap) warmed through Varnish first. Each trial
publishes a new article with the admin's publish action and polls those addresses through
Varnish (one polling reader per address, at once) until each shows it; the figure is the time
from sending the publish request to the last address showing the new article.
"""

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

import harness
import requests

WATCHED = ["{article}", "/world/", "/", "/feed/", "/news-sitemap.xml"]


def shell(env, code: str) -> str:
    return harness.newsdesk(env, "shell", "-c", code).strip().splitlines()[-1]


def start_varnish(env: dict, app: harness.Server, folder: Path, port: int) -> harness.Server:
    import os

    vcl = folder / "front.vcl"
    vcl.write_text(
        harness.newsdesk(
            env, "front_config", "varnish", "--backend", app.url.removeprefix("http://")
        )
    )
    command = [
        "varnishd",
        "-F",
        "-n",
        str(folder / "varnish"),
        "-a",
        f"127.0.0.1:{port}",
        "-T",
        "127.0.0.1:0",
        "-f",
        str(vcl),
        "-s",
        "malloc,256m",
        "-j",
        "none",
    ]
    return harness.start("varnish", command, {**os.environ, "NEWSDESK_DATA_DIR": str(folder)}, port)


def watch(front: str, paths: list[str], marker: str, started: float) -> dict[str, float]:
    """Each address polled by its own reader, as readers do: seconds until each shows it."""
    from concurrent.futures import ThreadPoolExecutor

    def poll(path):
        while time.monotonic() - started < 10:
            response = requests.get(front + path, timeout=10)
            if response.status_code == 200 and marker in response.text:
                return time.monotonic() - started
            time.sleep(0.01)
        return None

    with ThreadPoolExecutor(len(paths)) as pool:
        found = dict(zip(paths, pool.map(poll, paths), strict=True))
    return {path: seconds for path, seconds in found.items() if seconds is not None}


def sign_in(url: str) -> requests.Session:
    session = requests.Session()
    session.get(f"{url}/admin/login/")
    session.post(
        f"{url}/admin/login/",
        data={
            "username": "bench",
            "password": "bench",
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
    )
    return session


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=["embedded", "services"], default="embedded")
    parser.add_argument("--trials", type=int, default=10)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        front_port = harness.free_port()
        extra = {
            "NEWSDESK_FRONTEND_CACHE_URLS": f"http://127.0.0.1:{front_port}",
            "NEWSDESK_BASE_URL": f"http://127.0.0.1:{front_port}",
        }
        if args.backend == "services":
            env = harness.services_env(folder, "newsdesk_bench_freshness")
            env.update(extra)
        else:
            env = harness.base_env(folder, **extra)
        harness.prepare(env)
        shell(
            env,
            "from django.contrib.auth.models import User; "
            "User.objects.create_superuser('bench', 'bench@example.com', 'bench'); print(1)",
        )
        drafts = json.loads(
            shell(
                env,
                "import json; from newsdesk.news.factories import ArticlePageFactory; "
                "from newsdesk.news.models import SectionPage; w = SectionPage.objects.get(slug='world'); "
                "ids = []\n"
                f"for n in range({args.trials}):\n"
                "    p = ArticlePageFactory(parent=w, title=f'Freshness trial {n} story', slug=f'freshness-{n}', live=False)\n"
                "    p.save_revision(); ids.append(p.pk)\n"
                "print(json.dumps(ids))",
            )
        )
        app = harness.start_newsdesk(env, 4 if args.backend == "services" else 1, 8)
        varnish = start_varnish(env, app, folder, front_port)
        front = varnish.url
        timings = []
        try:
            editor = sign_in(front)
            for number, page_id in enumerate(drafts):
                marker = f"Freshness trial {number} story"
                watched = [p.format(article=f"/world/freshness-{number}/") for p in WATCHED]
                for path in watched:  # readers have these cached at the front
                    requests.get(front + path, timeout=10)
                    requests.get(front + path, timeout=10)
                action = f"{front}/admin/bulk/wagtailcore/page/publish/?id={page_id}&next=/admin/"
                editor.get(action)
                started = time.monotonic()
                response = editor.post(
                    action,
                    data={"csrfmiddlewaretoken": editor.cookies["csrftoken"]},
                    allow_redirects=False,  # the dashboard shown afterwards is not the publish
                )
                if response.status_code != 302:
                    raise SystemExit(f"publishing failed: {response.status_code}")
                posted = time.monotonic() - started  # the editor's publish request itself
                seen = watch(front, watched, marker, started)
                missing = [p for p in watched if p not in seen]
                last = max(seen.values()) if not missing else float("inf")
                timings.append(
                    {
                        "trial": number,
                        "seconds": last,
                        "publish_request": posted,
                        "missing": missing,
                        "each": seen,
                    }
                )
                harness.log(
                    f"  trial {number}: {last:.3f} s (publish request {posted:.3f} s) "
                    f"{'missing ' + str(missing) if missing else ''}"
                )
        finally:
            varnish.stop()
            app.stop()
    values = [t["seconds"] for t in timings]
    harness.save(f"freshness-{args.backend}", timings)
    print(f"backend: {args.backend}; {args.trials} publishes; watched: {', '.join(WATCHED)}")
    print(
        f"publish → visible everywhere through Varnish: median {statistics.median(values):.3f} s, "
        f"max {max(values):.3f} s; the publish request alone: median "
        f"{statistics.median(t['publish_request'] for t in timings):.3f} s"
    )


if __name__ == "__main__":
    main()
