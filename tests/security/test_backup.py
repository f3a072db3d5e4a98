"""`manage.py backup` and `restore` for the embedded deployment: a snapshot taken while
another connection writes comes back whole (data, search, evidence files)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import threading
import time
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection

from kb.choices import Marking
from lessons.tracking.models import ProgressUpdate
from tests.factories import (
    make_action,
    make_city,
    make_debrief,
    make_lesson,
    make_member,
    make_organisation,
)

ROOT = Path(__file__).resolve().parents[2]
EVIDENCE = b"%PDF-1.4 exercise report zqevidence"
PROBE = """
import json, django
django.setup()
from django.contrib.auth import get_user_model
from lessons.models import LessonPage
from lessons.tracking.models import ProgressUpdate
from search import engine
from search.backends.base import SearchQuery
member = get_user_model().objects.get(username="nice-member")
update = ProgressUpdate.objects.exclude(file="").get()
print(json.dumps({
    "titles": sorted(LessonPage.objects.values_list("title", flat=True)),
    "found": [hit.title for hit in engine.search(member, SearchQuery(text="zqbackupword")).hits],
    "evidence": update.file.open("rb").read().decode(),
}))
"""


def manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def deployment(tmp_path, settings):
    """The test database copied to a file, as a running embedded deployment has it."""
    if connection.vendor != "sqlite":
        pytest.skip("backup and restore cover the embedded (SQLite) deployment")
    nice = make_city("Nice")
    police = make_organisation("Nice police", nice)
    member = make_member("nice-member", nice, "owner", organisation=police)
    lesson = make_lesson(
        make_debrief(nice, marking=Marking.GREEN),
        title="Zqbackup lesson",
        observation="The zqbackupword radios failed.",
    )
    action = make_action(lesson, police, status="in_progress")
    ProgressUpdate.objects.create(
        action=action, author=member, text="Report", file=ContentFile(EVIDENCE, "report.pdf")
    )
    var = tmp_path / "var"
    var.mkdir()
    db_file = var / "db.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(db_file)
    connection.connection.backup(target)
    target.execute("PRAGMA journal_mode=WAL")
    target.close()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kb.settings.dev",
        "KB_VAR_DIR": str(var),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "KB_SEARCH_BACKEND": "embedded",
    }
    env.pop("DATABASE_URL", None)
    return {"env": env, "db": db_file, "media": Path(settings.MEDIA_ROOT), "tmp": tmp_path}


def write_while(db_file: Path, stop: threading.Event, written: list[int]) -> None:
    """Another process's connection (the web server, the periodic job) writing away."""
    db = sqlite3.connect(db_file, timeout=20)
    db.execute("CREATE TABLE IF NOT EXISTS backup_probe (n INTEGER)")
    db.commit()
    n = 0
    while not stop.is_set():
        n += 1
        db.execute("INSERT INTO backup_probe VALUES (?)", (n,))
        db.commit()
        written.append(n)
    db.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_taken_while_the_site_writes_restores_data_search_and_evidence(deployment):
    env, db_file = deployment["env"], deployment["db"]
    stop, written = threading.Event(), []
    writer = threading.Thread(target=write_while, args=(db_file, stop, written))
    writer.start()
    while len(written) < 20:
        time.sleep(0.01)
    archive = deployment["tmp"] / "kb.tar.gz"
    result = manage(env, "manage.py", "backup", str(archive))
    stop.set()
    writer.join()
    assert result.returncode == 0, result.stderr
    assert "Backup written to" in result.stdout and "1 lessons" in result.stdout

    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        names = tar.getnames()
    assert manifest["format"] == 1 and manifest["version"]
    assert manifest["counts"]["lessons_lessonpage"] == 1
    assert manifest["media"] == {"files": 1, "bytes": len(EVIDENCE)}
    assert any(name.startswith("media/") and name.endswith(".pdf") for name in names)
    snapshot_rows = manifest["counts"]["backup_probe"]
    assert 20 <= snapshot_rows <= len(written)

    # The machine is lost: database and uploaded files are gone.
    for path in db_file.parent.glob("db.sqlite3*"):
        path.unlink()
    shutil.rmtree(deployment["media"])

    result = manage(env, "manage.py", "restore", str(archive))
    assert result.returncode == 0, result.stderr
    assert "Restored the backup of" in result.stdout and "1 media files" in result.stdout
    db = sqlite3.connect(db_file)
    rows = db.execute("SELECT count(*), max(n) FROM backup_probe").fetchone()
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()
    assert rows == (snapshot_rows, snapshot_rows)  # a consistent prefix of the writes

    probe = manage(env, "-c", PROBE)
    assert probe.returncode == 0, probe.stderr
    seen = json.loads(probe.stdout.strip().splitlines()[-1])
    assert seen == {
        "titles": ["Zqbackup lesson"],
        "found": ["Zqbackup lesson"],
        "evidence": EVIDENCE.decode(),
    }

    refused = manage(env, "manage.py", "restore", str(archive))
    assert refused.returncode != 0
    assert "Refusing to overwrite the database" in refused.stderr
    assert "--force" in refused.stderr
    forced = manage(env, "manage.py", "restore", str(archive), "--force")
    assert forced.returncode == 0, forced.stderr


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restore_refuses_an_archive_that_writes_outside_its_folders(deployment):
    evil = deployment["tmp"] / "evil.tar.gz"
    with tarfile.open(evil, "w:gz") as tar:
        manifest = deployment["tmp"] / "manifest.json"
        manifest.write_text(json.dumps({"application": "lessons-kb", "format": 1}))
        tar.add(manifest, "manifest.json")
        tar.add(manifest, "media/../../escaped.txt")
    result = manage(deployment["env"], "manage.py", "restore", str(evil), "--force")
    assert result.returncode != 0
    assert "unexpected member: 'media/../../escaped.txt'" in result.stderr
    assert not (deployment["tmp"] / "escaped.txt").exists()


@pytest.mark.django_db
def test_on_postgresql_the_commands_point_to_pg_dump(tmp_path):
    if connection.vendor == "sqlite":
        pytest.skip("the PostgreSQL advice is shown on PostgreSQL")
    for command in ("backup", "restore"):
        with pytest.raises(CommandError) as refused:
            call_command(command, str(tmp_path / "kb.tar.gz"))
        assert "pg_dump" in str(refused.value)
        assert "search_index rebuild" in str(refused.value)
