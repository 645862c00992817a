"""Reading at the speed of static files: the seed article four ways, side by side in one run.

    .venv/bin/python benchmarks/reading.py [--backend embedded|services] [--seconds 10]

Rows (issue 10): 1 through the app's page cache (production app server alone), 2 uncached
(every request rendered: the request carries a personal cookie, which bypasses every cache),
3 the same HTML as a static file served by nginx, 4 through the documented front (Varnish).
Each load: wrk, 2 threads, 32 connections, loopback. Server CPU per request counts the app
server's processes (rows 1-2), nginx's (row 3) and Varnish's (row 4).

Row 4b is row 4 with the client hint Chromium sends on every request (Sec-CH-UA-Mobile), which
lets Varnish skip asking the app for the device class; wrk sends no such hint in row 4.

Row 1b is not an issue-10 row: the same page-cache hits served by granian (the `bench` extra)
instead of the production server, gunicorn, with the same app, processes and threads. On a hit
the app's own work is a fraction of a millisecond, so the server's HTTP handling shows; this row
measures how much of row 1's cost is gunicorn's (omitted with --no-granian or when granian is
not installed).
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import harness


def start_nginx(folder: Path, html: bytes) -> harness.Server:
    folder.chmod(0o755)  # nginx's workers run unprivileged and must read the file
    root = folder / "static-site"
    (root / "article").mkdir(parents=True)
    (root / "article" / "index.html").write_bytes(html)
    port = harness.free_port()
    conf = folder / "nginx.conf"
    conf.write_text(
        textwrap.dedent(
            f"""
            daemon off;
            worker_processes 1;
            pid {folder}/nginx.pid;
            error_log {folder}/nginx-error.log;
            events {{ worker_connections 1024; }}
            http {{
                access_log off;
                sendfile on;
                tcp_nopush on;
                keepalive_requests 100000;
                default_type text/html;
                client_body_temp_path {folder}/tmp;
                proxy_temp_path {folder}/tmp;
                fastcgi_temp_path {folder}/tmp;
                uwsgi_temp_path {folder}/tmp;
                scgi_temp_path {folder}/tmp;
                server {{
                    listen 127.0.0.1:{port};
                    root {root};
                    location / {{ index index.html; }}
                }}
            }}
            """
        )
    )
    (folder / "tmp").mkdir(exist_ok=True)
    env = {**os.environ, "NEWSDESK_DATA_DIR": str(folder)}
    return harness.start("nginx", ["nginx", "-c", str(conf)], env, port, health="/article/")


def start_varnish(env: dict, app: harness.Server, folder: Path) -> harness.Server:
    port = harness.free_port()
    vcl = folder / "front.vcl"
    backend = app.url.removeprefix("http://")
    vcl.write_text(harness.newsdesk(env, "front_config", "varnish", "--backend", backend))
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=["embedded", "services"], default="embedded")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--no-granian", action="store_true", help="Leave out row 1b.")
    args = parser.parse_args()
    granian = not args.no_granian and shutil.which("granian", path=Path(sys.executable).parent)

    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        folder.chmod(0o755)
        if args.backend == "services":
            env = harness.services_env(folder, "newsdesk_bench_reading")
            workers = args.workers or 4
        else:
            env = harness.base_env(folder)
            workers = args.workers or 1
        harness.prepare(env)
        app = harness.start_newsdesk(env, workers, 8)
        servers = [app]
        rows = []
        try:
            url = app.url + harness.SEED_PATH
            html = subprocess.run(
                ["curl", "-s", "-H", "Cookie: newsdesk_wrote=1", url],
                capture_output=True,
                check=True,
            ).stdout
            harness.log(f"seed article: {len(html):,} bytes of HTML")
            nginx = start_nginx(folder, html)
            servers.append(nginx)
            varnish = start_varnish(env, app, folder)
            servers.append(varnish)

            harness.wrk("warm-up", url, seconds=2, connections=8, server=app)
            loads = {
                "1 app page cache": harness.wrk(
                    "app page cache", url, args.seconds, args.connections, server=app
                ),
                "1b app page cache, granian": None,
                "2 uncached": harness.wrk(
                    "uncached",
                    url,
                    args.seconds,
                    args.connections,
                    server=app,
                    headers={"Cookie": "newsdesk_wrote=1"},
                ),
                "3 nginx static file": harness.wrk(
                    "nginx static",
                    nginx.url + "/article/",
                    args.seconds,
                    args.connections,
                    server=nginx,
                ),
                "4 Varnish front": None,
            }
            if granian:
                other = harness.start_granian(env, workers, 8)
                servers.append(other)
                other_url = other.url + harness.SEED_PATH
                harness.wrk("warm-up", other_url, seconds=2, connections=8, server=other)
                loads["1b app page cache, granian"] = harness.wrk(
                    "app page cache, granian",
                    other_url,
                    args.seconds,
                    args.connections,
                    server=other,
                )
                other.stop()
            else:
                del loads["1b app page cache, granian"]
            harness.wrk("warm-up", varnish.url + harness.SEED_PATH, seconds=2, connections=8)
            loads["4 Varnish front"] = harness.wrk(
                "varnish front",
                varnish.url + harness.SEED_PATH,
                args.seconds,
                args.connections,
                server=varnish,
            )
            # As Chromium asks (it sends the device hint on every request): Varnish takes the
            # device class from the hint instead of asking the app for it (deploy/varnish).
            loads["4b Varnish front, Chromium hint"] = harness.wrk(
                "varnish front, hint",
                varnish.url + harness.SEED_PATH,
                args.seconds,
                args.connections,
                server=varnish,
                headers={"Sec-CH-UA-Mobile": "?0"},
            )
            static = loads["3 nginx static file"].requests_per_second
            for row, load in loads.items():
                rows.append(
                    {
                        "row": row,
                        "requests/s": load.requests_per_second,
                        "vs static file": load.requests_per_second / static,
                        "p50 ms": load.p50_ms,
                        "p99 ms": load.p99_ms,
                        "server CPU ms/request": load.server_cpu_ms_per_request,
                        "bytes/response": load.bytes_per_response,
                        "errors": load.errors,
                    }
                )
        finally:
            for server in servers:
                server.stop()
    harness.save(f"reading-{args.backend}", rows)
    print(
        f"backend: {args.backend}, app server: {workers} process(es) × 8 threads, "
        f"seed HTML {len(html):,} bytes"
    )
    print(
        harness.table(
            rows,
            [
                "row",
                "requests/s",
                "vs static file",
                "p50 ms",
                "p99 ms",
                "server CPU ms/request",
                "bytes/response",
                "errors",
            ],
        )
    )


if __name__ == "__main__":
    main()
