"""Row 2 of issue 10 (the seed article rendered on every request), two versions side by side.

    .venv/bin/python benchmarks/uncached.py --base c70f570 [--backend embedded|services]
        [--rounds 3] [--seconds 8]

Two app servers on the same site (the demo with 20 approved comments on the seed article): one
running the code of ``--base`` (a commit, extracted with ``git archive``), one running this
working tree. wrk loads them in turn, ``--rounds`` times each, with the personal cookie that
makes every request rendered (as ``reading.py``'s row 2), so both meet the same machine load.
Reported per version: the best and median requests/s, server CPU per request, and the ratio
of the working tree to the base.
"""

import argparse
import os
import statistics
import subprocess
import tempfile
from pathlib import Path

import harness

ROOT = Path(__file__).resolve().parent.parent


def start_in(folder: Path, env: dict, workers: int, name: str) -> harness.Server:
    """``python -m newsdesk serve`` imports the package from the working directory."""
    here = Path.cwd()
    os.chdir(folder)
    try:
        return harness.start_newsdesk(env, workers, 8, name=name)
    finally:
        os.chdir(here)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True, help="the commit to compare with")
    parser.add_argument("--backend", choices=["embedded", "services"], default="embedded")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        base_code = folder / "base-code"
        base_code.mkdir()
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", args.base], capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(base_code)], input=archive, check=True)
        data = folder / "data"
        data.mkdir()
        if args.backend == "services":
            env = harness.services_env(data, "newsdesk_bench_uncached")
            workers = 4
        else:
            env = harness.base_env(data)
            workers = 1
        harness.prepare(env)
        servers = {
            "base": start_in(base_code, env, workers, "gunicorn-base"),
            "this tree": start_in(ROOT, env, workers, "gunicorn-tree"),
        }
        loads: dict[str, list[harness.Load]] = {name: [] for name in servers}
        cookie = {"Cookie": "newsdesk_wrote=1"}
        try:
            for server in servers.values():
                url = server.url + harness.SEED_PATH
                harness.wrk("warm-up", url, 2, 8, server=server, headers=cookie)
            for _ in range(args.rounds):
                for name, server in servers.items():
                    url = server.url + harness.SEED_PATH
                    loads[name].append(
                        harness.wrk(
                            name, url, args.seconds, args.connections, server=server, headers=cookie
                        )
                    )
        finally:
            for server in servers.values():
                server.stop()

    rows = []
    for name, runs in loads.items():
        rates = [load.requests_per_second for load in runs]
        cpus = [load.server_cpu_ms_per_request for load in runs]
        rows.append(
            {
                "version": name if name != "base" else f"base ({args.base})",
                "best requests/s": max(rates),
                "median requests/s": statistics.median(rates),
                "median server CPU ms/request": statistics.median(cpus),
                "errors": sum(load.errors for load in runs),
            }
        )
    rows[1]["vs base (median requests/s)"] = (
        rows[1]["median requests/s"] / rows[0]["median requests/s"]
    )
    rows[1]["vs base (CPU)"] = (
        rows[1]["median server CPU ms/request"] / rows[0]["median server CPU ms/request"]
    )
    harness.save(f"uncached-{args.backend}", rows)
    print(f"backend: {args.backend}, {workers} process(es) × 8 threads, {args.rounds} rounds")
    print(
        harness.table(
            rows,
            [
                "version",
                "best requests/s",
                "median requests/s",
                "median server CPU ms/request",
                "errors",
                "vs base (median requests/s)",
                "vs base (CPU)",
            ],
        )
    )


if __name__ == "__main__":
    main()
