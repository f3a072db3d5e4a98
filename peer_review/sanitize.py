"""What a reviewer may format in a comment; everything else is stripped or escaped."""

from __future__ import annotations

import bleach
from bleach.linkifier import Linker

ALLOWED_TAGS = {"b", "i", "em", "strong", "p", "ul", "ol", "li", "a", "code", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": ["href"]}
ALLOWED_PROTOCOLS = {"http", "https", "mailto"}


def _safe_rel(attrs, new=False):
    href_key = (None, "href")
    if href_key in attrs:
        attrs[(None, "rel")] = "nofollow noopener"
    return attrs


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
)
_linker = Linker(callbacks=[_safe_rel], skip_tags={"code"})


def clean_comment(text: str) -> str:
    """Sanitised HTML, safe to render as is: allowed tags only, links made inert-safe."""
    return _linker.linkify(_cleaner.clean(text or ""))


def plain_text(html: str) -> str:
    return bleach.clean(html or "", tags=set(), strip=True)
