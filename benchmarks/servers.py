"""gunicorn or granian? Both serve the seed article, uncached, side by side on both backends.

    .venv/bin/python benchmarks/servers.py [--seconds 10] [--rounds 2]

Each (backend, server) pair runs in interleaved rounds so drift on the shared machine hits both
alike; the table reports the mean of the rounds and granian's figure relative to gunicorn's.
"""

import argparse
import statistics
import tempfile
from pathlib import Path

import harness


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()

    rows = []
    with tempfile.TemporaryDirectory() as folder:
        backends = {
            "embedded (SQLite, in-process cache)": (harness.base_env(Path(folder) / "embedded"), 1),
            "services (PostgreSQL, Redis)": (
                harness.services_env(Path(folder) / "services", "newsdesk_bench_servers"),
                4,
            ),
        }
        for backend, (env, workers) in backends.items():
            Path(env["NEWSDESK_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
            harness.log(f"{backend}: {workers} worker process(es) × 8 threads")
            harness.prepare(env)
            results = {"gunicorn": [], "granian": []}
            for _ in range(args.rounds):
                for name in results:
                    starter = (
                        harness.start_newsdesk if name == "gunicorn" else harness.start_granian
                    )
                    server = starter(env, workers, 8)
                    try:
                        url = server.url + harness.SEED_PATH
                        harness.wrk("warm-up", url, seconds=2, connections=8, server=server)
                        results[name].append(
                            harness.wrk(name, url, args.seconds, args.connections, server=server)
                        )
                    finally:
                        server.stop()
            base = statistics.mean(r.requests_per_second for r in results["gunicorn"])
            for name, loads in results.items():
                rps = statistics.mean(r.requests_per_second for r in loads)
                rows.append(
                    {
                        "backend": backend,
                        "server": name,
                        "requests/s": rps,
                        "vs gunicorn": rps / base,
                        "p50 ms": statistics.mean(r.p50_ms for r in loads),
                        "p99 ms": statistics.mean(r.p99_ms for r in loads),
                        "server CPU ms/request": statistics.mean(
                            r.server_cpu_ms_per_request for r in loads
                        ),
                        "errors": sum(r.errors for r in loads),
                    }
                )
    harness.save("servers", rows)
    print(
        harness.table(
            rows,
            [
                "backend",
                "server",
                "requests/s",
                "vs gunicorn",
                "p50 ms",
                "p99 ms",
                "server CPU ms/request",
                "errors",
            ],
        )
    )


if __name__ == "__main__":
    main()
