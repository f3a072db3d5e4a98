"""The one rule for HTML that members write and others read (review comments, progress
notes): a small set of formatting tags, and links only to absolute http(s) and mailto
addresses, each marked rel="nofollow noopener" so it passes no authority and no opener.

Relative and protocol-relative links are refused (the tag goes, its text stays): written by
one member and shown to another, a link into this site's own pages could be made to look
like part of the page (a "confirm" button that is really a POST target or the logout URL).
"""

from __future__ import annotations

import bleach
from bleach.linkifier import LinkifyFilter

ALLOWED_TAGS = frozenset(
    {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "code", "blockquote"}
)
# rel is not taken from the writer: the link rule sets it on every link it keeps.
ALLOWED_ATTRIBUTES = {"a": ["href"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_PREFIXES = ("http://", "https://", "mailto:")
LINK_REL = "nofollow noopener"


def _link_rule(attrs: dict, new: bool = False) -> dict | None:
    href = attrs.get((None, "href"), "")
    if not href.lower().startswith(LINK_PREFIXES):
        return None  # bleach then keeps the link's text and drops the tag
    return {(None, "href"): href, (None, "rel"): LINK_REL, "_text": attrs.get("_text", "")}


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    # Runs after the sanitiser: bare addresses become links, and every link, written or
    # made, passes the link rule.
    filters=[lambda source: LinkifyFilter(source, callbacks=[_link_rule], parse_email=False)],
)


def clean_html(text: str, *, paragraphs: bool = False) -> str:
    """Sanitised HTML, safe to render as is. With `paragraphs`, text written without any
    paragraph or line-break tag keeps its blank lines as paragraphs and its line breaks."""
    cleaned = _cleaner.clean(text or "")
    if paragraphs:
        cleaned = cleaned.strip()
        if cleaned and "<p>" not in cleaned and "<br" not in cleaned:
            parts = [part.strip() for part in cleaned.split("\n\n") if part.strip()]
            cleaned = "".join(f"<p>{part.replace(chr(10), '<br>')}</p>" for part in parts)
    return cleaned


def plain_text(html: str) -> str:
    """The text of some HTML, every tag stripped (what remains is escaped)."""
    return bleach.clean(html or "", tags=set(), strip=True)
