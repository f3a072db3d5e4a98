"""Progress text is written by members and shown to others: keep a small safe subset of
HTML, and make bare addresses into links that pass no authority (rel nofollow noopener)."""

from __future__ import annotations

import bleach
from bleach.linkifier import LinkifyFilter

ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "code", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "rel"]}
ALLOWED_PROTOCOLS = {"http", "https", "mailto"}


def _safe_rel(attrs, new=False):
    href_key = (None, "href")
    href = attrs.get(href_key, "")
    if not href.startswith(("http://", "https://", "mailto:")):
        attrs.pop(href_key, None)
    attrs[(None, "rel")] = "nofollow noopener"
    attrs[(None, "target")] = attrs.get((None, "target"))
    attrs.pop((None, "target"), None)
    return attrs


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[lambda source: LinkifyFilter(source, callbacks=[_safe_rel], parse_email=False)],
)


def clean_progress_text(text: str) -> str:
    """Sanitised HTML for a progress note; plain text keeps its line breaks."""
    text = (text or "").strip()
    if not text:
        return ""
    cleaned = _cleaner.clean(text)
    if "<p>" not in cleaned and "<br" not in cleaned:
        paragraphs = [part.strip() for part in cleaned.split("\n\n") if part.strip()]
        cleaned = "".join(f"<p>{part.replace(chr(10), '<br>')}</p>" for part in paragraphs)
    return cleaned
