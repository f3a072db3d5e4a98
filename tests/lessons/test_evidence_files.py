"""Evidence files on the site: type checked by extension and content, size limited,
hostile names neutralised, stored out of reach and served only to who may see the action."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import RequestFactory
from openpyxl import Workbook

from lessons.tracking import logic
from lessons.tracking.evidence import (
    public_media_urlpatterns,
    safe_file_name,
    validate_evidence_file,
)
from tests.factories import make_action
from tests.lessons.tracking_world import build_world

PDF = b"%PDF-1.4\n% evidence\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 16


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})


def _file(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def _error(name: str, data: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        validate_evidence_file(_file(name, data))
    return " ".join(caught.value.messages)


@pytest.mark.parametrize(
    "name, data",
    [
        ("report.pdf", PDF),
        ("photo.png", PNG),
        ("photo.JPG", JPEG),
        ("photo.jpeg", JPEG),
        ("notes.txt", "Radios tested on 3 May — all talk groups worked.\n".encode()),
        ("rows.csv", b"action,result\n1,ok\n"),
        ("plan.xlsx", _xlsx()),
        ("plan.docx", DOCX),
        ("plan.odt", ODT),
    ],
)
def test_allowed_types_with_matching_content_are_accepted(name, data):
    validate_evidence_file(_file(name, data))


@pytest.mark.parametrize(
    "name, data, says",
    [
        ("drawing.svg", b"<svg onload=alert(1)>", ".svg is not accepted"),
        ("page.html", b"<html><script>x</script>", ".html is not accepted"),
        ("report.pdf.htm", PDF, ".htm is not accepted"),
        ("tool.exe", b"MZ", ".exe is not accepted"),
        ("README", b"text", "a file without extension is not accepted"),
        ("fake.pdf", b"<html><script>x</script>", "its content is not a PDF file"),
        ("image.png", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "not a PNG file"),
        ("notes.txt", b"\n  <!DOCTYPE html><p>hi", "not a TXT file"),
        ("notes.txt", b"<svg><script>alert(1)</script></svg>", "not a TXT file"),
        ("data.csv", b"a,b\x00\x01\x02", "not a CSV file"),
        ("latin.txt", b"caf\xe9 cr\xe8me", "not a TXT file"),
        ("plan.docx", _zip({"[Content_Types].xml": b"<Types/>"}), "not a DOCX file"),
        ("plan.xlsx", b"PK\x03\x04 not really a zip", "not a XLSX file"),
        ("plan.odt", _zip({"mimetype": b"text/html"}), "not a ODT file"),
        ("empty.pdf", b"", "the file is empty"),
    ],
)
def test_other_types_and_mismatched_content_are_refused_naming_the_field(name, data, says):
    message = _error(name, data)
    assert message.startswith("Evidence file:")
    assert says in message


def test_size_limit_is_a_setting_and_the_message_gives_both_sizes(settings):
    message = _error("big.pdf", PDF + b"0" * (11 * 1024 * 1024))
    assert message == "Evidence file: at most 10.0 MB (this one is 11.0 MB)."
    settings.KB_EVIDENCE_MAX_BYTES = 1024
    message = _error("report.pdf", PDF + b"0" * 2048)
    assert message == "Evidence file: at most 1.0 KB (this one is 2.0 KB)."
    validate_evidence_file(_file("report.pdf", PDF + b"0" * 100))


@pytest.mark.parametrize(
    "hostile, safe",
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\win.ini", "win.ini"),
        ("/var/www/../../x.pdf", "x.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),  # right-to-left override
        ("re\u200bport\u0000.pdf", "report.pdf"),  # zero-width space and NUL
        ("\uff52\uff45\uff50\uff4f\uff52\uff54\uff0e\uff50\uff44\uff46", "report.pdf"),  # fullwidth
        ('a<b>"c";\r\nd.pdf', "a_b__c__d.pdf"),
        (".htaccess", "htaccess"),
        ("...", "evidence"),
        ("", "evidence"),
        ("Rapport d’exercice – Nice.PDF", "Rapport d_exercice _ Nice.pdf"),
    ],
)
def test_hostile_file_names_are_neutralised(hostile, safe):
    assert safe_file_name(hostile) == safe


def test_very_long_name_is_cut_but_keeps_its_extension():
    name = safe_file_name("a" * 5000 + ".pdf")
    assert len(name) == 100 and name.endswith("aaa.pdf")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def world(db, media):
    return build_world()


def _upload(client, user, action, name, data, **extra):
    client.force_login(user)
    return client.post(f"/tracker/actions/{action.pk}/", {"file": _file(name, data), **extra})


def test_refused_file_is_shown_next_to_the_field_in_the_ui(client, world):
    response = _upload(client, world.owner, world.action, "map.svg", b"<svg/>")
    assert response.status_code == 422
    page = response.content.decode()
    assert "Evidence file: .svg is not accepted" in page
    assert 'class="field field--error"' in page
    assert not world.action.updates.exists()


def test_uploaded_file_is_stored_under_a_random_name_outside_static(client, world, media, settings):
    response = _upload(client, world.owner, world.action, "../../etc/passwd.pdf", PDF, note="Plan")
    assert response.status_code == 302
    update = world.action.updates.get()
    assert update.file_name == "passwd.pdf"
    stored = Path(update.file.path).resolve()
    assert stored.is_relative_to((media / "evidence").resolve())
    assert not stored.is_relative_to(Path(settings.STATIC_ROOT).resolve())
    assert "passwd" not in stored.name and len(stored.stem) == 32 and stored.suffix == ".pdf"
    assert stored.read_bytes() == PDF
    with pytest.raises(ValueError):
        update.file.url  # noqa: B018 (no public URL exists)


def test_evidence_is_served_as_a_sandboxed_attachment(client, world):
    _upload(client, world.owner, world.action, "notes\u202etxt.txt", b"All talk groups work.")
    update = world.action.updates.get()
    page = client.get(f"/tracker/actions/{world.action.pk}/").content.decode()
    url = f"/tracker/actions/{world.action.pk}/evidence/{update.pk}/"
    assert f'href="{url}"' in page and "notestxt.txt" in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="notestxt.txt"'
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == b"All talk groups work."


def test_member_of_another_city_gets_404_for_restricted_evidence(client, world):
    action = make_action(world.secret_lesson, world.fire)
    update = logic.post_update(world.owner, action, logic.Evidence(file=_file("r.pdf", PDF)))
    url = f"/tracker/actions/{action.pk}/evidence/{update.pk}/"
    client.force_login(world.committee)
    assert client.get(url).status_code == 200
    client.force_login(world.berlin_committee)
    assert client.get(f"/tracker/actions/{action.pk}/").status_code == 404
    assert client.get(url).status_code == 404
    # Nor through another action the member may see.
    other = f"/tracker/actions/{world.action.pk}/evidence/{update.pk}/"
    assert client.get(other).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_evidence_is_not_reachable_under_media(client, world, media, settings):
    update = logic.post_update(world.owner, world.action, logic.Evidence(file=_file("r.pdf", PDF)))
    name = update.file.name
    assert (media / "evidence" / name).exists()
    client.force_login(world.owner)
    assert client.get(f"/media/evidence/{name}").status_code == 404
    # The development server's media route (DEBUG only) refuses the folder however it is
    # spelled, while still serving other uploads.
    (media / "images").mkdir()
    (media / "images" / "logo.png").write_bytes(PNG)
    settings.DEBUG = True
    [route] = public_media_urlpatterns()
    request = RequestFactory().get("/")
    for path in (
        f"evidence/{name}",
        f"./evidence/{name}",
        f"images/../evidence/{name}",
        f"Evidence/{name}",
        f"/evidence/{name}",
    ):
        match = route.resolve(f"media/{path}")
        with pytest.raises(Http404):
            match.func(request, **match.kwargs)
    match = route.resolve("media/images/logo.png")
    assert match.func(request, **match.kwargs).status_code == 200
