"""Comments on a real server: nothing lost or doubled under concurrent posting (on whichever
database the suite runs: SQLite by default, PostgreSQL with services), and through Varnish."""

import concurrent.futures

import pytest

from newsdesk.core import testing

from .live import (
    SEED_PATH,
    Reader,
    approve_all,
    count_comments,
    set_rules,
    wait_minimum_time,
)


def fifty_concurrent_readers(urls: list[str], env: dict, label: str) -> None:
    readers = [Reader(urls[n % len(urls)]) for n in range(50)]
    forms = [reader.form() for reader in readers]
    assert len({form.token for form in forms}) == 50  # each view its own token
    wait_minimum_time()

    def post(n):
        return readers[n].post(
            forms[n], comment=f"{label} comment number {n}.", email=f"{label}{n}@concurrent.example"
        )

    with concurrent.futures.ThreadPoolExecutor(max_workers=50) as pool:
        responses = list(pool.map(post, range(50)))
    assert [r.status_code for r in responses] == [302] * 50, [r.text[:200] for r in responses]
    assert len({r.headers["Location"] for r in responses}) == 50
    assert count_comments(env, email__endswith="@concurrent.example", body__startswith=label) == 50


def test_fifty_concurrent_readers_store_exactly_fifty(site):
    fifty_concurrent_readers([site.url], site.env, "embedded")


def test_a_double_submit_racing_itself_stores_one_comment(site):
    reader = Reader(site.url)
    form = reader.form()
    wait_minimum_time()
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(
            pool.map(lambda _: reader.post(form, comment="Sent eight times at once."), range(8))
        )
    assert {r.status_code for r in responses} == {302}
    assert len({r.headers["Location"] for r in responses}) == 1
    assert count_comments(site.env, body="Sent eight times at once.") == 1


def test_a_held_comment_passes_varnish_by_and_an_approved_one_is_purged(site):
    """Through the deploy/varnish configuration: the author of a held comment is never served
    the shared copy, nor is their copy stored; approval purges Varnish's copy."""
    varnish_url, varnish = testing.start_varnish(site.env, int(site.url.rsplit(":", 1)[1]))
    try:
        anonymous = Reader(varnish_url)
        anonymous.session.get(varnish_url + SEED_PATH)
        assert anonymous.session.get(varnish_url + SEED_PATH).headers["X-Front-Cache"] == "HIT"
        author = Reader(varnish_url)
        form = author.form()
        wait_minimum_time()
        response = author.post(form, comment="Held behind Varnish.", email="varnish@live.example")
        assert response.status_code == 302
        for _ in range(2):
            mine = author.session.get(varnish_url + SEED_PATH)
            assert mine.headers["X-Front-Cache"] == "MISS"
            assert "Your comment is awaiting moderation." in mine.text
        shared = anonymous.session.get(varnish_url + SEED_PATH)
        assert shared.headers["X-Front-Cache"] == "HIT"
        assert "Held behind Varnish." not in shared.text
    finally:
        testing.stop(varnish)


@pytest.mark.services
def test_fifty_concurrent_readers_across_two_processes_on_postgresql(services, site):
    assert site.env["NEWSDESK_DATABASE_URL"].startswith("postgres")
    url, second = testing.start_server(site.env)
    try:
        fifty_concurrent_readers([site.url, url], site.env, "postgres")
    finally:
        testing.stop(second)


@pytest.mark.services
def test_the_rate_limit_is_shared_by_every_process(services, site):
    set_rules(site.url, site.env, flood_seconds=0)
    url, second = testing.start_server(site.env)
    try:
        address = "198.19.0.1"
        readers = [Reader(site.url, address), Reader(url, address)]
        forms = [readers[n % 2].form() for n in range(6)]
        wait_minimum_time()
        codes = [
            readers[n % 2]
            .post(forms[n], comment=f"Rate {n}.", email=f"rate{n}@live.example")
            .status_code
            for n in range(6)
        ]
        assert codes == [302] * 5 + [429]
    finally:
        testing.stop(second)
        set_rules(site.url, site.env, flood_seconds=15)
        approve_all(site.url, site.env)
