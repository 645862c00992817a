"""Backups of the database and uploaded media as one ``.tar.gz`` file, and their restore.

SQLite is copied with its online backup API (consistent while the site keeps serving);
PostgreSQL with ``pg_dump --format=custom`` and ``pg_restore --clean``. A backup restores only
into the same kind of database it came from.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT_VERSION = 1


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


def engine() -> str:
    vendor = connections["default"].vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def create_backup(output: Path, log=print) -> Path:
    kind = engine()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        if kind == "sqlite":
            database_file = work / "database.sqlite3"
            log("Copying the SQLite database (online backup)…")
            sqlite_backup(Path(settings.DATABASES["default"]["NAME"]), database_file)
        else:
            database_file = work / "database.pgdump"
            log("Dumping the PostgreSQL database (pg_dump)…")
            run_pg("pg_dump", "--format=custom", "--no-owner", f"--file={database_file}")
        manifest = {
            "format": FORMAT_VERSION,
            "engine": kind,
            "created_at": timezone.now().isoformat(),
            "migrations": len(MigrationRecorder(connections["default"]).applied_migrations()),
            "database_file": database_file.name,
        }
        (work / "manifest.json").write_text(json.dumps(manifest, indent=2))
        output.parent.mkdir(parents=True, exist_ok=True)
        media = Path(settings.MEDIA_ROOT)
        log(f"Writing {output}…")
        with tarfile.open(output, "w:gz") as archive:
            archive.add(work / "manifest.json", arcname="manifest.json")
            archive.add(database_file, arcname=database_file.name)
            if media.exists():
                archive.add(media, arcname="media")
    return output


def restore_backup(source: Path, log=print) -> dict:
    kind = engine()
    if not source.is_file():
        raise BackupError(f"{source} does not exist.")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        try:
            with tarfile.open(source, "r:gz") as archive:
                archive.extractall(work, filter="data")
            manifest = json.loads((work / "manifest.json").read_text())
        except (tarfile.TarError, OSError, ValueError, KeyError) as error:
            raise BackupError(f"{source} is not a Newsdesk backup: {error}") from None
        if manifest.get("format") != FORMAT_VERSION:
            raise BackupError(f"{source} has backup format {manifest.get('format')}, not 1.")
        if manifest["engine"] != kind:
            raise BackupError(
                f"{source} is a {manifest['engine']} backup; this site runs on {kind}. "
                "Restore it into the same kind of database."
            )
        database_file = work / manifest["database_file"]
        connections.close_all()
        if kind == "sqlite":
            log("Restoring the SQLite database…")
            sqlite_backup(database_file, Path(settings.DATABASES["default"]["NAME"]))
        else:
            log("Restoring the PostgreSQL database (pg_restore)…")
            run_pg(
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                str(database_file),
            )
        media = Path(settings.MEDIA_ROOT)
        if (work / "media").exists():
            log("Restoring uploaded media…")
            if media.exists():
                shutil.rmtree(media)
            shutil.copytree(work / "media", media)
    return manifest


def sqlite_backup(source: Path, target: Path) -> None:
    source_db = sqlite3.connect(source)
    target_db = sqlite3.connect(target)
    try:
        with target_db:
            source_db.backup(target_db)
    finally:
        source_db.close()
        target_db.close()


def run_pg(program: str, *args: str) -> None:
    config = settings.DATABASES["default"]
    if not shutil.which(program):
        raise BackupError(f"{program} is missing: install PostgreSQL's client tools.")
    env = os.environ.copy()
    if config.get("PASSWORD"):
        env["PGPASSWORD"] = config["PASSWORD"]
    connection_args = [
        f"--host={config.get('HOST') or 'localhost'}",
        f"--port={config.get('PORT') or 5432}",
        f"--username={config.get('USER') or 'postgres'}",
        f"--dbname={config['NAME']}",
    ]
    result = subprocess.run(  # noqa: S603 - fixed PostgreSQL tools, arguments from settings
        [program, *connection_args, *args], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{program} failed: {result.stderr.strip()[:500]}")
