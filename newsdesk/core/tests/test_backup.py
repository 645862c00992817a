"""`newsdesk backup` and `newsdesk restore`: a round trip gives back every row and upload."""

from pathlib import Path

import pytest

from newsdesk.core import testing

# Everything a newsroom would miss: pages and their revisions, authors, tags, pictures,
# redirects, settings and users.
DUMPED = [
    "news",
    "core",
    "wagtailcore.page",
    "wagtailcore.revision",
    "wagtailcore.site",
    "wagtailredirects",
    "taggit",
    "auth.user",
    "auth.group",
]


def dump(env) -> str:
    return testing.newsdesk(env, "dumpdata", *DUMPED, "--indent", "1").stdout


def test_round_trip_restores_every_row_and_picture(site_env, tmp_path):
    testing.newsdesk(site_env, "migrate", "--noinput")
    testing.newsdesk(site_env, "demo", "--per-section", "2")
    testing.newsdesk(
        site_env,
        "shell",
        "-c",
        "from django.contrib.auth.models import User; User.objects.create_superuser('ed', 'ed@example.com', 'pw')",
    )
    before = dump(site_env)
    media = Path(
        site_env.get("NEWSDESK_MEDIA_ROOT") or Path(site_env["NEWSDESK_DATA_DIR"]) / "media"
    )
    pictures = sorted(p.relative_to(media) for p in media.rglob("*") if p.is_file())
    assert pictures

    archive = tmp_path / "backup.tar.gz"
    result = testing.newsdesk(site_env, "backup", "--output", str(archive))
    assert "Backup written" in result.stdout

    # Damage: delete stories, rename an author, lose a picture.
    testing.newsdesk(
        site_env,
        "shell",
        "-c",
        "from newsdesk.news.models import ArticlePage, Author; "
        "[p.delete() for p in ArticlePage.objects.all()[:3]]; "
        "Author.objects.update(name='Changed')",
    )
    (media / pictures[0]).unlink()
    assert dump(site_env) != before

    result = testing.newsdesk(site_env, "restore", str(archive), "--yes")
    assert "Restored the backup" in result.stdout
    assert dump(site_env) == before
    assert sorted(p.relative_to(media) for p in media.rglob("*") if p.is_file()) == pictures


def test_restore_refuses_what_is_not_a_backup(site_env, tmp_path):
    testing.newsdesk(site_env, "migrate", "--noinput")
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not a backup")
    result = testing.newsdesk(site_env, "restore", str(junk), "--yes", check=False)
    assert result.returncode != 0
    assert "is not a Newsdesk backup" in result.stderr
    result = testing.newsdesk(
        site_env, "restore", str(tmp_path / "missing.tar.gz"), "--yes", check=False
    )
    assert "does not exist" in result.stderr


@pytest.mark.parametrize("answer", ["n\n", "\n"])
def test_restore_asks_before_replacing(site_env, tmp_path, answer):
    import subprocess
    import sys

    testing.newsdesk(site_env, "migrate", "--noinput")
    archive = tmp_path / "b.tar.gz"
    testing.newsdesk(site_env, "backup", "--output", str(archive))
    result = subprocess.run(
        [sys.executable, "-m", "newsdesk", "restore", str(archive)],
        input=answer,
        env=site_env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "nothing was changed" in result.stderr
