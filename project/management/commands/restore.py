"""`python manage.py restore SRC [--force]`: put back what `backup` wrote.

It checks the archive first (manifest format, database checksum, member names that stay
inside their folders), refuses to overwrite a database holding data unless --force,
restores the database and MEDIA_ROOT, then proves the result: same row counts as the
manifest, a clean integrity check, and a search index equal to the published lessons.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import tarfile
import tempfile
import time
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from search import engine
from search.backends import get_backend, reset_backend
from search.documents import indexable_lessons
from search.sync import drain

from .backup import (
    DATABASE_MEMBER,
    FORMAT,
    MANIFEST_MEMBER,
    MEDIA_MEMBER,
    require_sqlite,
    sha256,
    table_counts,
)


def read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(archive.extractfile(MANIFEST_MEMBER))
    except (KeyError, ValueError, AttributeError) as error:
        raise CommandError(
            f"Not a backup of this application: no readable manifest ({error})."
        ) from error
    if manifest.get("application") != "lessons-kb" or manifest.get("format") != FORMAT:
        raise CommandError(
            f"Unknown backup format {manifest.get('format')!r} of {manifest.get('application')!r}."
        )
    return manifest


def check_members(archive: tarfile.TarFile) -> None:
    """Only regular files, and only where a backup puts them (no ../, no absolute paths)."""
    for member in archive.getmembers():
        path = PurePosixPath(member.name)
        inside = member.name in {MANIFEST_MEMBER, DATABASE_MEMBER} or (
            path.parts[0] == MEDIA_MEMBER and ".." not in path.parts and not path.is_absolute()
        )
        if not inside or not (member.isfile() or member.isdir()):
            raise CommandError(f"Refusing an archive with an unexpected member: {member.name!r}.")


def has_data(db_path: Path) -> bool:
    if not db_path.exists() or db_path.stat().st_size == 0:
        return False
    db = sqlite3.connect(db_path)
    try:
        tables = db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()
        return tables[0] > 0
    finally:
        db.close()


def restore_database(copy: Path, db_path: Path) -> None:
    """Copy the snapshot into the live database file through SQLite's backup API, so
    connections other processes hold see the restored content, never a torn file."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(copy)
    target = sqlite3.connect(db_path, timeout=30)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=WAL")
    finally:
        source.close()
        target.close()


def restore_media(extracted: Path, media_root: Path) -> int:
    media_root.parent.mkdir(parents=True, exist_ok=True)
    incoming = extracted if extracted.is_dir() else None
    old = media_root.with_name(media_root.name + ".before-restore")
    if old.exists():
        shutil.rmtree(old)
    if media_root.exists():
        media_root.rename(old)
    if incoming is not None:
        shutil.move(str(incoming), media_root)
    else:
        media_root.mkdir()
    if old.exists():
        shutil.rmtree(old)
    return sum(1 for p in media_root.rglob("*") if p.is_file())


class Command(BaseCommand):
    help = "Restore the database and uploaded files from a `backup` archive (SRC)."

    def add_arguments(self, parser):
        parser.add_argument("src", help="A .tar.gz written by `manage.py backup`.")
        parser.add_argument(
            "--force", action="store_true", help="Overwrite a database that holds data."
        )

    def handle(self, src: str, force: bool, **options):
        started = time.monotonic()
        db_path = require_sqlite()
        media_root = Path(settings.MEDIA_ROOT)
        if not Path(src).is_file():
            raise CommandError(f"No backup at {src}.")
        with tarfile.open(src, "r:gz") as archive, tempfile.TemporaryDirectory() as work:
            manifest = read_manifest(archive)
            check_members(archive)
            if has_data(db_path) and not force:
                raise CommandError(
                    f"Refusing to overwrite the database at {db_path}, which holds data: "
                    "pass --force to replace it (and MEDIA_ROOT) with the backup of "
                    f"{manifest['created_at']}."
                )
            archive.extractall(work, filter="data")
            copy = Path(work) / DATABASE_MEMBER
            if sha256(copy) != manifest["database"]["sha256"]:
                raise CommandError("The database in the archive does not match its checksum.")
            connections.close_all()
            restore_database(copy, db_path)
            files = restore_media(Path(work) / MEDIA_MEMBER, media_root)
        self.verify(db_path, manifest, files)
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']}: "
            f"{manifest['counts'].get('lessons_lessonpage', 0)} lessons, {files} media files, "
            f"search checked, in {time.monotonic() - started:.1f} s."
        )

    def verify(self, db_path: Path, manifest: dict, files: int) -> None:
        db = sqlite3.connect(db_path)
        try:
            if db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise CommandError("The restored database fails SQLite's integrity check.")
            counts = table_counts(db)
        finally:
            db.close()
        differ = {
            table: (n, counts.get(table))
            for table, n in manifest["counts"].items()
            if counts.get(table) != n
        }
        if differ:
            raise CommandError(f"Restored row counts differ from the manifest: {differ}")
        if files != manifest["media"]["files"]:
            raise CommandError(
                f"{files} media files restored, the manifest lists {manifest['media']['files']}."
            )
        self.check_search()

    def check_search(self) -> None:
        """The index must hold exactly the published lessons; rebuild it when it does not
        (e.g. a backup taken while an index change waited in the outbox)."""

        reset_backend()
        drain()
        published = set(indexable_lessons().values_list("pk", flat=True))
        if get_backend().indexed_ids() != published:
            self.stdout.write("The search index differs from the content: rebuilding it.")
            engine.rebuild()
        if get_backend().indexed_ids() != published:
            raise CommandError("The search index still differs from the published lessons.")
