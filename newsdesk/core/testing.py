"""Test helpers shared by every app's tests: parsed HTML, the W3C checker, axe, a live demo site.

Missing tools make tests fail with a sentence saying what to install; they never skip.
"""

import contextlib
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
ARTIFACTS = REPO / "artifacts"
VNU_JAR = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("NEWSDESK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def soup(html: str | bytes) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def text(element) -> str:
    """An element's visible text with whitespace collapsed, as a reader would see it."""
    collapsed = re.sub(r"\s+", " ", element.get_text(" ")).strip()
    return re.sub(r" ([,.;:!?])", r"\1", collapsed)


# --- W3C Nu HTML Checker ----------------------------------------------------------------------


def validate_html(documents: dict[str, str]) -> list[str]:
    """Run vnu once over named HTML documents; return its errors as readable lines."""
    java = shutil.which("java")
    if not java:
        pytest.fail("Java is missing: the W3C Nu HTML Checker needs it (make install-test).")
    if not VNU_JAR.exists():
        pytest.fail(f"{VNU_JAR} is missing: run `make install-test` (npm ci).")
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for name, html in documents.items():
            path = Path(folder) / (re.sub(r"[^\w.-]+", "_", name) + ".html")
            path.write_text(html, encoding="utf-8")
            paths.append(str(path))
        result = subprocess.run(  # noqa: S603 - fixed tool, our own files
            [java, "-jar", str(VNU_JAR), "--format", "json", "--stdout", *paths],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    try:
        messages = json.loads(result.stdout or "{}").get("messages", [])
    except json.JSONDecodeError:
        pytest.fail(f"vnu gave no JSON: {result.stdout[:500]} {result.stderr[:500]}")
    errors = []
    for message in messages:
        if message.get("type") in {"error", "non-document-error"}:
            where = Path(message.get("url", "?")).name
            errors.append(f"{where}:{message.get('lastLine', '?')}: {message.get('message')}")
    return errors


# --- Browsers ---------------------------------------------------------------------------------


def launch_chromium(playwright):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (make install-test).")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def axe_violations(page) -> list[dict]:
    """Inject axe-core into a Playwright page and return its violations (WCAG 2.x A/AA)."""
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `make install-test` (npm ci).")
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# --- A live demo site in a subprocess ---------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, timeout: float = 60) -> None:
    """Wait until a server answers HTTP at all (a 503 from /healthz is an answer)."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - local URL
                return
        except urllib.error.HTTPError:
            return
        except OSError as error:
            last = error
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout}s: {last}")


@dataclass
class LiveSite:
    url: str
    env: dict
    data_dir: Path
    process: subprocess.Popen

    def get(self, path: str, headers: dict | None = None):
        """(status, headers, text) of one request; redirects are returned, not followed."""
        return self.request("GET", path, headers=headers)

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        parts = urllib.parse.urlsplit(self.url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read().decode()
        finally:
            connection.close()

    def manage(self, *args: str, **kwargs) -> subprocess.CompletedProcess:
        return newsdesk(self.env, *args, **kwargs)


def newsdesk(env: dict, *args: str, check: bool = True, timeout: float = 600, input=None):
    """Run the ``newsdesk`` command; with ``check``, a failure shows its output."""
    result = subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-m", "newsdesk", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        input=input,
    )
    if check and result.returncode != 0:
        pytest.fail(
            f"`newsdesk {' '.join(args)[:200]}` failed ({result.returncode}):\n"
            f"{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
        )
    return result


def site_env(data_dir: Path, **extra: str) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
        and not key.startswith("NEWSDESK_")
    }
    env.update(
        NEWSDESK_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="newsdesk.settings.dev",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def start_server(
    env: dict, port: int | None = None, *extra_args: str
) -> tuple[str, subprocess.Popen]:
    port = port or free_port()
    log = open(Path(env["NEWSDESK_DATA_DIR"]) / f"server-{port}.log", "ab")  # noqa: SIM115
    process = subprocess.Popen(  # noqa: S603 - our own command
        [sys.executable, "-m", "newsdesk", "serve", "--port", str(port), *extra_args],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(url + "/healthz")
    except RuntimeError:
        process.kill()
        raise
    return url, process


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class TcpProxy:
    """A TCP relay to a real server that a test can cut, as a network or database outage."""

    def __init__(self, target_host: str, target_port: int):
        import threading

        self.target = (target_host, target_port)
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.open = True
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        import threading

        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.open:
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        """Drop every open connection and refuse new ones until :meth:`restore`."""
        self.open = False
        with self.lock:
            for sock in self.sockets:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                    sock.close()
                except OSError:
                    pass
            self.sockets.clear()

    def restore(self) -> None:
        self.open = True

    def close(self) -> None:
        self.cut()
        self.listener.close()


# --- The newsroom through HTTP ----------------------------------------------------------------


def admin_session(url: str, username: str, password: str):
    """A requests session signed in to the Wagtail admin at ``url``."""
    import requests

    browser = requests.Session()
    browser.get(f"{url}/admin/login/", timeout=10)
    response = browser.post(
        f"{url}/admin/login/",
        data={
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": browser.cookies["csrftoken"],
        },
        timeout=10,
    )
    if not response.ok or "/admin/login/" in response.url:
        pytest.fail(f"could not sign in to {url}/admin/ as {username}")
    return browser


def publish_through_admin(browser, url: str, page_id: int) -> None:
    """Publish a page's latest revision with the admin's own publish action."""
    action = f"{url}/admin/bulk/wagtailcore/page/publish/?id={page_id}&next=/admin/"
    browser.get(action, timeout=10)
    # Not following the redirect: the admin's dashboard rendered after publishing is not part
    # of the publish (the clock of a freshness test stops being the editor's click otherwise).
    response = browser.post(
        action,
        data={"csrfmiddlewaretoken": browser.cookies["csrftoken"]},
        timeout=30,
        allow_redirects=False,
    )
    if response.status_code != 302 or "/login/" in response.headers.get("Location", ""):
        pytest.fail(f"publishing page {page_id} failed: {response.status_code}")


# --- Varnish in front -------------------------------------------------------------------------


def shell(env: dict, code: str) -> str:
    """The last line ``newsdesk shell -c code`` printed."""
    return newsdesk(env, "shell", "-c", code).stdout.strip().splitlines()[-1]


@contextlib.contextmanager
def app_behind_varnish(tmp_path_factory, label: str, setup: str):
    """An app server with Varnish in front: the app purges Varnish and names it as its public
    address; readers come through Varnish. ``setup`` runs in ``newsdesk shell`` after migrating
    and prints one line of JSON (ids of what it made), yielded as ``ids``."""
    from newsdesk.conftest import live_site_env

    front_port = free_port()
    env = live_site_env(tmp_path_factory, label)
    env["NEWSDESK_FRONTEND_CACHE_URLS"] = f"http://127.0.0.1:{front_port}"
    env["NEWSDESK_BASE_URL"] = f"http://127.0.0.1:{front_port}"
    newsdesk(env, "migrate", "--noinput")
    ids = json.loads(shell(env, setup))
    app_url, app = start_server(env)
    try:
        front_url, varnish = start_varnish(env, int(app_url.rsplit(":", 1)[1]), front_port)
        try:
            yield {
                "env": env,
                "ids": ids,
                "app": LiveSite(app_url, env, None, app),
                "front": LiveSite(front_url, env, None, varnish),
            }
        finally:
            stop(varnish)
    finally:
        stop(app)


VARNISHD_PARAMETERS = Path(__file__).resolve().parents[2] / "deploy" / "varnish" / "varnishd.params"


def varnishd_parameters() -> list[str]:
    """``-p name=value`` for each line of deploy/varnish/varnishd.params, as production runs."""
    arguments = []
    for line in VARNISHD_PARAMETERS.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            arguments += ["-p", line.strip()]
    return arguments


def start_varnish(env: dict, backend_port: int, port: int | None = None):
    """Varnish (Debian's package) with deploy/varnish/newsdesk.vcl in front of an app server."""
    varnishd = shutil.which("varnishd") or "/usr/sbin/varnishd"
    if not Path(varnishd).exists():
        pytest.fail("varnishd is missing: install Debian's varnish (make install-test).")
    port = port or free_port()
    folder = Path(env["NEWSDESK_DATA_DIR"]) / f"varnish-{port}"
    folder.mkdir()
    vcl = folder / "newsdesk.vcl"
    vcl.write_text(
        newsdesk(env, "front_config", "varnish", "--backend", f"127.0.0.1:{backend_port}").stdout
    )
    log = open(folder / "varnishd.log", "ab")  # noqa: SIM115 - handed to the process
    process = subprocess.Popen(  # noqa: S603 - fixed program, our files
        [
            varnishd,
            "-F",
            "-n",
            str(folder / "work"),
            "-a",
            f"127.0.0.1:{port}",
            "-T",
            "127.0.0.1:0",
            "-f",
            str(vcl),
            "-s",
            "malloc,64m",
            "-j",
            "none",
            *varnishd_parameters(),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    wait_for(url + "/healthz")
    return url, process
