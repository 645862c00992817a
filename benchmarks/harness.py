"""Shared pieces of the benchmarks: a prepared site, servers, wrk, CPU accounting.

Figures are taken side by side in one run and reported as ratios too: the machines are shared
and noisy, so absolute numbers drift between runs while ratios hold.
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results"
SEED_PATH = "/world/biden-considers-allowing-ukraine-to-use-long-range-missiles-against-russia/"
PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def base_env(data_dir: Path, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSDESK_", "DJANGO_"))}
    env.update(
        NEWSDESK_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="newsdesk.settings.dev",
        NEWSDESK_LOG_LEVEL="WARNING",
    )
    env.update(extra)
    return env


def fresh_postgres(name: str) -> str:
    import psycopg

    parts = urlsplit(PG_URL)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        db.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def services_env(data_dir: Path, name: str, redis_url: str = REDIS_URL) -> dict:
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    return base_env(
        data_dir, NEWSDESK_DATABASE_URL=fresh_postgres(name), NEWSDESK_REDIS_URL=redis_url
    )


def redis_database(offset: int) -> str:
    """``REDIS_URL`` with its database number moved by ``offset``: for a second site served at
    the same time, which must not read the first one's cache keys."""
    parts = urlsplit(REDIS_URL)
    number = int(parts.path.strip("/") or 0) + offset
    return urlunsplit(parts._replace(path=f"/{number}"))


def newsdesk(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "newsdesk", *args], env=env, capture_output=True, text=True
    )
    if result.returncode:
        raise RuntimeError(f"newsdesk {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def prepare(env: dict, per_section: int = 36) -> None:
    log(f"  preparing site in {env['NEWSDESK_DATA_DIR']}")
    newsdesk(env, "migrate", "--noinput")
    newsdesk(env, "collectstatic", "--noinput", "--verbosity", "0")
    newsdesk(env, "demo", "--per-section", str(per_section))
    # The seed article with 20 approved comments, as the WordPress figures were measured.
    newsdesk(env, "comments_demo", "--approved", "20")


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


@dataclass
class Server:
    name: str
    process: subprocess.Popen
    url: str

    def pids(self) -> list[int]:
        out = subprocess.run(
            ["pgrep", "-g", str(self.process.pid)], capture_output=True, text=True
        ).stdout
        return [int(p) for p in out.split()]

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


def start(name: str, command: list[str], env: dict, port: int, health: str = "/healthz") -> Server:
    log_file = open(Path(env["NEWSDESK_DATA_DIR"]) / f"{name}.log", "ab")  # noqa: SIM115 - the server keeps it
    process = subprocess.Popen(
        command, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
    )
    url = f"http://127.0.0.1:{port}"
    wait_for(url + health)
    return Server(name, process, url)


def start_newsdesk(env: dict, workers: int, threads: int, name: str = "gunicorn") -> Server:
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "newsdesk",
        "serve",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--threads",
        str(threads),
    ]
    return start(name, command, env, port)


def start_granian(env: dict, workers: int, threads: int) -> Server:
    port = free_port()
    granian = str(Path(sys.executable).parent / "granian")
    command = [
        granian,
        "--interface",
        "wsgi",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--blocking-threads",
        str(threads),
        "--no-ws",
        "newsdesk.wsgi:application",
    ]
    return start("granian", command, env, port)


def cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total / ticks


@dataclass
class Load:
    label: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    server_cpu_ms_per_request: float | None = None
    bytes_per_response: float | None = None

    def row(self) -> dict:
        return asdict(self)


def parse_ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def wrk(
    label: str,
    url: str,
    seconds: int = 10,
    connections: int = 32,
    threads: int = 2,
    headers: dict | None = None,
    server: Server | None = None,
    script: Path | None = None,
) -> Load:
    if not shutil.which("wrk"):
        raise RuntimeError("wrk is missing: apt-get install wrk")
    command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--latency"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    if script:
        command += ["-s", str(script)]
    command.append(url)
    before = cpu_seconds(server.pids()) if server else None
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    if "Latency Distribution" not in out:
        raise RuntimeError(f"wrk measured nothing:\n{out}")
    after = cpu_seconds(server.pids()) if server else None
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    errors = 0
    for match in re.finditer(r"Non-2xx or 3xx responses: (\d+)", out):
        errors += int(match.group(1))
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    if socket_errors:
        errors += sum(int(x) for x in socket_errors.groups())
    transfer = re.search(r"Transfer/sec:\s+([\d.]+)(\w+)", out)
    load = Load(
        label=label,
        requests_per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        p50_ms=parse_ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)),
        p99_ms=parse_ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)),
        requests=requests,
        errors=errors,
    )
    if server and requests:
        load.server_cpu_ms_per_request = round((after - before) * 1000 / requests, 3)
    if transfer and requests:
        size = (
            float(transfer.group(1))
            * {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}[transfer.group(2)]
        )
        load.bytes_per_response = round(size / load.requests_per_second)
    log(
        f"    {label}: {load.requests_per_second:,.0f} req/s, p50 {load.p50_ms:.1f} ms, "
        f"p99 {load.p99_ms:.1f} ms, cpu {load.server_cpu_ms_per_request} ms/req, errors {errors}"
    )
    return load


def save(name: str, data) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(data, indent=2, default=str))
    return path


def table(rows: list[dict], columns: list[str]) -> str:
    lines = ["| " + " | ".join(columns) + " |", "| " + " | ".join("---" for _ in columns) + " |"]
    for row in rows:
        lines.append("| " + " | ".join(format_cell(row.get(c)) for c in columns) + " |")
    return "\n".join(lines)


def format_cell(value) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}" if value >= 10 else f"{value:,.2f}"
    return "" if value is None else str(value)
