"""Commenters' e-mail addresses never appear in public output: comments posted with distinctive
addresses (approved, held, spam, replies, remembered details), then every public URL of the demo
site crawled (pages, pagination, replies, feeds, sitemaps, robots.txt, search, error pages) and
every body and header searched."""

import re
from collections import deque
from urllib.parse import parse_qs, quote, quote_plus, urldefrag, urljoin, urlsplit

import requests

from newsdesk.core.testing import soup

from .live import SEED_PATH, Reader, approve_all, set_rules, wait_minimum_time

CANARY_DOMAIN = "canary-mail.example"
ADDRESS = re.compile(r"[\w.+-]+@canary-mail\.example", re.I)
SKIP = re.compile(r"^/(admin|static|media|documents)/|\.(png|jpe?g|webp|avif|gif|svg|css|js)$")
ENTRY_POINTS = [
    "/",
    "/feed/",
    "/feed/atom/",
    "/feed/json/",
    "/sitemap.xml",
    "/news-sitemap.xml",
    "/robots.txt",
    "/corrections/",
    "/search/?q=canary",
    "/search/?q=privacy-canary%40canary-mail.example",
    "/no-such-page-anywhere/",
    "/world/no-such-story/",
    "/healthz",
    SEED_PATH + "?replytocom=999999",
]


def post_canaries(url: str, env: dict) -> list[str]:
    set_rules(url, env, flood_seconds=0, disallowed_words="forbidden-canary-word")
    readers = [Reader(url) for _ in range(5)]
    forms = [reader.form() for reader in readers]
    wait_minimum_time()
    addresses = [f"privacy-canary-{n}@{CANARY_DOMAIN}" for n in range(5)]
    plan = [
        {"comment": "Approved canary comment.", "url": "https://canary-site.example/"},
        {"comment": "Second approved canary, remembered.", "remember": "yes"},
        {"comment": "Spam canary forbidden-canary-word."},
    ]
    for number, fields in enumerate(plan):
        response = readers[number].post(
            forms[number], author=f"Canary {number}", email=addresses[number], **fields
        )
        assert response.status_code == 302, response.text[:300]
    approve_all(url, env)
    # A reply to an approved comment, and a comment left waiting for moderation.
    page = soup(requests.get(url + SEED_PATH + "?canary", timeout=30).text)
    parent = page.find(string=re.compile("Approved canary comment")).find_parent("li")["id"]
    reply = readers[3].post(
        forms[3],
        author="Canary 3",
        email=addresses[3],
        comment="Replying canary.",
        parent=parent.removeprefix("comment-"),
    )
    assert reply.status_code == 302
    approve_all(url, env)
    held = readers[4].post(forms[4], author="Canary 4", email=addresses[4], comment="Held canary.")
    assert held.status_code == 302
    # The author of the held comment sees it; their page still shows no address of anyone's
    # but their own remembered one (they did not tick the box, so not even that).
    assert ADDRESS.search(readers[4].session.get(url + SEED_PATH).text) is None
    return addresses


def crawl(url: str, base_url: str) -> dict[str, int]:
    # Feeds and sitemaps name the public address (NEWSDESK_BASE_URL): the same site.
    hosts = {urlsplit(url).netloc, urlsplit(base_url).netloc}
    queue = deque(ENTRY_POINTS)
    seen = set(queue)
    statuses = {}
    session = requests.Session()
    while queue:
        path = queue.popleft()
        response = session.get(url + path, timeout=30, allow_redirects=False)
        statuses[path] = response.status_code
        headers = "\n".join(f"{k}: {v}" for k, v in response.headers.items())
        body = response.content.decode("utf-8", "replace")
        # A search page echoes the reader's own query (the address the crawler typed in);
        # what must not appear is the address coming back from stored comments.
        for query in parse_qs(urlsplit(path).query).get("q", []):
            for echo in (query, quote(query, safe=""), quote_plus(query)):
                body = body.replace(echo, "")
        leaked = ADDRESS.search(headers) or ADDRESS.search(body) or (CANARY_DOMAIN in body)
        assert not leaked, f"{path} shows a commenter's e-mail address"
        found = re.findall(r"""(?:href|src)=["']([^"']+)["']|<loc>([^<]+)</loc>""", body)
        found += [
            (item, "") for item in re.findall(r'"(?:url|id|external_url)":\s*"([^"]+)"', body)
        ]
        if "Location" in response.headers:
            found.append((response.headers["Location"], ""))
        for first, second in found:
            link = urldefrag(urljoin(url + path, (first or second).replace("&amp;", "&")))[0]
            parts = urlsplit(link)
            if parts.netloc not in hosts:
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if SKIP.search(parts.path) or target in seen:
                continue
            seen.add(target)
            queue.append(target)
    return statuses


def test_no_commenter_address_in_any_public_output(demo_site):
    post_canaries(demo_site.url, demo_site.env)
    base_url = demo_site.env.get("NEWSDESK_BASE_URL", "http://127.0.0.1:8000")
    statuses = crawl(demo_site.url, base_url)
    # The crawl really covered the site: articles, replies, every feed and sitemap file.
    assert statuses[SEED_PATH] == 200
    assert any("replytocom=" in path for path in statuses)
    assert sum(1 for path in statuses if path.count("/") == 3 and "?" not in path) > 100
    assert sum(1 for path in statuses if path.endswith(("/feed/", "/atom/", "/json/"))) > 10
    assert any(path.startswith("/sitemap-") for path in statuses)
    assert any(path.startswith("/authors/") for path in statuses)
    assert statuses["/no-such-page-anywhere/"] == 404
    assert len(statuses) > 300
