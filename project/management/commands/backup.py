"""`python manage.py backup DEST`: one tar.gz with a consistent snapshot of the SQLite
database (search tables included) and the uploaded files, while the site keeps running.

SQLite's online backup API copies the database as one transaction's view, so writes made
by the web server or the periodic job during the copy are either wholly in or wholly out.
PostgreSQL deployments use pg_dump instead (the command says so).
"""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import tarfile
import tempfile
import time
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

FORMAT = 1
DATABASE_MEMBER = "db.sqlite3"
MANIFEST_MEMBER = "manifest.json"
MEDIA_MEMBER = "media"
POSTGRES_ADVICE = (
    "This deployment runs on {vendor}: back it up with its own tools, e.g. "
    "`pg_dump --format=custom --file kb.dump DBNAME` (restore with `pg_restore --clean`), "
    "and copy MEDIA_ROOT ({media}). The search index (Elasticsearch) is rebuilt from the "
    "database with `python manage.py search_index rebuild`."
)


def require_sqlite() -> Path:
    """The database file of the embedded deployment, or a clear refusal."""
    if connection.vendor != "sqlite":
        raise CommandError(
            POSTGRES_ADVICE.format(vendor=connection.display_name, media=settings.MEDIA_ROOT)
        )
    name = str(settings.DATABASES["default"]["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        raise CommandError("An in-memory database cannot be backed up or restored.")
    return Path(name)


def table_counts(db: sqlite3.Connection) -> dict[str, int]:
    """Rows per table: the manifest's fingerprint of the data, checked again on restore."""
    names = [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name"
        )
    ]
    return {name: db.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def snapshot(source_path: Path, target_path: Path) -> None:
    source = sqlite3.connect(source_path, timeout=30)
    target = sqlite3.connect(target_path)
    try:
        with target:
            source.backup(target)  # all pages in one step: one consistent view
        target.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
    finally:
        source.close()
        target.close()


def media_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


class Command(BaseCommand):
    help = "Back up the SQLite database and the uploaded files into one .tar.gz (DEST)."

    def add_arguments(self, parser):
        parser.add_argument("dest", help="A .tar.gz file to write, or a folder to write it in.")

    def handle(self, dest: str, **options):
        started = time.monotonic()
        db_path = require_sqlite()
        if not db_path.exists():
            raise CommandError(f"No database at {db_path}.")
        target = Path(dest)
        if target.is_dir():
            target = target / f"kb-backup-{timezone.now():%Y%m%d-%H%M%S}.tar.gz"
        media_root = Path(settings.MEDIA_ROOT)
        with tempfile.TemporaryDirectory(prefix="kb-backup-") as work:
            copy = Path(work) / DATABASE_MEMBER
            snapshot(db_path, copy)
            db = sqlite3.connect(copy)
            counts = table_counts(db)
            db.close()
            files = media_files(media_root)
            manifest = {
                "format": FORMAT,
                "application": "lessons-kb",
                "version": metadata.version("lessons-kb"),
                "created_at": timezone.now().isoformat(),
                "database": {"sha256": sha256(copy), "bytes": copy.stat().st_size},
                "counts": counts,
                "media": {"files": len(files), "bytes": sum(p.stat().st_size for p in files)},
            }
            partial = target.with_name(target.name + ".partial")
            with tarfile.open(partial, "w:gz") as archive:
                data = json.dumps(manifest, indent=1).encode()
                info = tarfile.TarInfo(MANIFEST_MEMBER)
                info.size, info.mtime = len(data), int(time.time())
                archive.addfile(info, io.BytesIO(data))
                archive.add(copy, DATABASE_MEMBER)
                for path in files:
                    archive.add(path, f"{MEDIA_MEMBER}/{path.relative_to(media_root).as_posix()}")
            partial.replace(target)  # never a half-written archive under the final name
        self.stdout.write(
            f"Backup written to {target}: {counts.get('lessons_lessonpage', 0)} lessons, "
            f"{counts.get('lessons_debriefpage', 0)} debriefs, {len(files)} media files, "
            f"{target.stat().st_size / 1e6:.1f} MB in {time.monotonic() - started:.1f} s."
        )
