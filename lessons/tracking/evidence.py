"""Evidence files: what may be uploaded, where it is kept and how it is handed back.

An evidence file comes from a member and goes to other members, some of whom may hold
more rights: it is checked twice (its extension against an allow-list AND its content
sniffed), stored under MEDIA_ROOT/evidence with a random name that no URL maps to, and
served only by views that ask kb.access first, as an attachment that no browser renders.
"""

from __future__ import annotations

import codecs
import posixpath
import re
import unicodedata
import uuid
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.urls import re_path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.static import serve

# Extension -> the Content-Type it is served with. Nothing a browser would run: no HTML,
# no SVG (an image that carries script), no XML.
EVIDENCE_EXTENSIONS = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".txt": "text/plain; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text",
}
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
NAME_MAX_CHARS = 100
SNIFF_BYTES = 64 * 1024
_MAGIC = {
    ".pdf": b"%PDF-",
    ".png": b"\x89PNG\r\n\x1a\n",
    ".jpg": b"\xff\xd8\xff",
    ".jpeg": b"\xff\xd8\xff",
}
# The entry every document of the type must hold (an OOXML or ODF file is a zip).
_ZIP_MARKERS = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml", ".odt": "mimetype"}
# What browsers sniff as a web page or an image with script, whatever the extension says.
_MARKUP = (b"<!doctype", b"<html", b"<script", b"<svg", b"<?xml", b"<body", b"<iframe", b"<head")
NAME_KEEP = "-_.() "


def max_bytes() -> int:
    return int(getattr(settings, "KB_EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


def size_text(size: int) -> str:
    return filesizeformat(size).replace("\xa0", " ")


def allowed_types() -> str:
    return ", ".join(suffix.lstrip(".").upper() for suffix in EVIDENCE_EXTENSIONS)


def safe_file_name(name: str) -> str:
    """A display name that cannot climb folders, hide its extension or spoof the page:
    only its last path part, normalised (NFKC), without control or bidi characters,
    at most NAME_MAX_CHARS characters, its extension kept."""
    name = unicodedata.normalize("NFKC", str(name or ""))
    name = posixpath.basename(name.replace("\\", "/"))
    kept = []
    for char in name:
        if unicodedata.category(char)[0] in "CZ" and char != " ":
            continue  # controls, bidi overrides, zero-width and odd spaces
        kept.append(char if char.isalnum() or char in NAME_KEEP else "_")
    name = " ".join("".join(kept).split()).lstrip(". ")
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    suffix = suffix[:10].lower()
    stem = stem.rstrip(". ")[: NAME_MAX_CHARS - len(suffix) - 1] or "evidence"
    return f"{stem}.{suffix}" if suffix else stem


def _is_text(upload) -> bool:
    head = upload.read(SNIFF_BYTES)
    if b"\x00" in head:
        return False
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return not any(marker in lowered[:4096] for marker in _MARKUP)


def _is_office(upload, suffix: str) -> bool:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if _ZIP_MARKERS[suffix] not in names:
                return False
            if suffix == ".odt":
                return archive.read("mimetype").strip() == EVIDENCE_EXTENSIONS[".odt"].encode()
            return "[Content_Types].xml" in names
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return False


def _content_matches(upload, suffix: str) -> bool:
    upload.seek(0)
    try:
        if suffix in _MAGIC:
            return upload.read(len(_MAGIC[suffix])) == _MAGIC[suffix]
        if suffix in (".txt", ".csv"):
            return _is_text(upload)
        return _is_office(upload, suffix)
    finally:
        upload.seek(0)


def validate_evidence_file(upload) -> None:
    """Raise ValidationError with a message naming the field and the rule broken."""
    name = safe_file_name(getattr(upload, "name", ""))
    suffix = Path(name).suffix.lower()
    if suffix not in EVIDENCE_EXTENSIONS:
        raise ValidationError(
            _("Evidence file: %(kind)s is not accepted; use one of %(allowed)s.")
            % {"kind": suffix or _("a file without extension"), "allowed": allowed_types()},
            code="evidence_type",
        )
    size, limit = upload.size or 0, max_bytes()
    if size > limit:
        raise ValidationError(
            _("Evidence file: at most %(limit)s (this one is %(size)s).")
            % {"limit": size_text(limit), "size": size_text(size)},
            code="evidence_size",
        )
    if size == 0:
        raise ValidationError(_("Evidence file: the file is empty."), code="evidence_empty")
    if not _content_matches(upload, suffix):
        raise ValidationError(
            _(
                "Evidence file: its content is not a %(kind)s file "
                "(web pages and SVG images are not accepted)."
            )
            % {"kind": suffix.lstrip(".").upper()},
            code="evidence_content",
        )


class EvidenceStorage(FileSystemStorage):
    """Files under MEDIA_ROOT/evidence with no public URL: the media route refuses this
    folder (see serve_public_media) and only the tracker's download views read it."""

    @property
    def base_location(self):
        return Path(settings.MEDIA_ROOT) / "evidence"

    @property
    def location(self):
        return str(self.base_location)

    def url(self, name):
        raise ValueError("Evidence files are served through the tracker's download view.")


evidence_storage = EvidenceStorage()


def evidence_path(instance, filename: str) -> str:
    """A name nobody can guess (122 random bits); the member's name is kept apart."""
    suffix = Path(safe_file_name(filename)).suffix.lower()
    if suffix not in EVIDENCE_EXTENSIONS:
        suffix = ".bin"
    return f"{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


def evidence_response(update) -> HttpResponse:
    """The file as an attachment no browser renders, sniffs or caches for others.
    The caller has already checked that the reader may see the action."""
    if not update.file:
        raise Http404
    suffix = Path(update.file.name).suffix.lower()
    try:
        handle = update.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=safe_file_name(update.file_name or update.file.name),
        content_type=EVIDENCE_EXTENSIONS.get(suffix, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


def public_media_urlpatterns() -> list:
    """What kb/urls.py adds in development (DEBUG) to serve uploads: never evidence."""
    if not settings.DEBUG:
        return []
    prefix = settings.MEDIA_URL.lstrip("/")
    return [re_path(rf"^{re.escape(prefix)}(?P<path>.*)$", serve_public_media)]


def serve_public_media(request: HttpRequest, path: str, document_root=None) -> HttpResponse:
    """The development server's /media/ route, which must never hand out evidence:
    the path is normalised first so that ./evidence or a//evidence cannot slip past."""
    parts = [part for part in posixpath.normpath(path.replace("\\", "/")).split("/") if part]
    if parts and parts[0].lower() == "evidence":
        raise Http404
    return serve(request, path, document_root=document_root or settings.MEDIA_ROOT)
