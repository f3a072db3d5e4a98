"""Hostile input: what a malicious member, editor or importer might type, and a check
that rendered HTML holds nothing executable.

Every script payload sets `window.__pwned` and opens a dialog if it ever runs, so the
browser test can tell."""

from __future__ import annotations

from html.parser import HTMLParser

RUN = "window.__pwned=1;alert(1)"
EXTERNAL = "https://example.org/hostile-link"

MARKUP = [
    f"<script>{RUN}</script>",
    f'<img src=x onerror="{RUN}">',
    f'<b onclick="{RUN}" onmouseover={RUN}>bold</b>',
    f'<svg onload="{RUN}"><script>{RUN}</script></svg>',
    f'<a href="javascript:{RUN}">js link</a>',
    f'<a href=" JaVaScRiPt:{RUN}">mixed-case js link</a>',
    f'<a href="&#106;avascript:{RUN}">entity js link</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data link</a>',
    f'<iframe src="javascript:{RUN}"></iframe>',
    f'<object data="data:text/html,<script>{RUN}</script>"></object>',
    f'<div style="width:expression({RUN});background:url(javascript:{RUN})">css</div>',
    f"<style>@import 'javascript:{RUN}';</style>",
    f'"><script>{RUN}</script>',
    f"'><img src=x onerror={RUN}>",
    f"<scr<script>ipt>{RUN}</scr</script>ipt>",
    f'<details open ontoggle="{RUN}">details</details>',
    f'<input autofocus onfocus="{RUN}">',
    f'<form action="javascript:{RUN}"><button>go</button></form>',
    f'<math><mi xlink:href="javascript:{RUN}">x</mi></math>',
    f"<!-- --><script>{RUN}</script><!-- -->",
    f'<meta http-equiv="refresh" content="0;url=javascript:{RUN}">',
    f'<base href="javascript:{RUN}//">',
    "<p>unclosed <b><i>tags <a href='https://x.example' ",
    f'<a href="{EXTERNAL}">an external link</a>',
    "\u202egnp.exe — right-to-left override",
    "zero\u200bwidth\u200djoiner\ufeffbom",
    "emoji 🚑 and CJK 漢字 and combining e\u0301",
]

# Query syntax of FTS5, Lucene/Elasticsearch and SQL, and other things a search box gets.
QUERIES = [
    '"',
    '""',
    '"unterminated phrase',
    "*",
    "radio*",
    "*radio",
    "NEAR(",
    "radio NEAR( evacuation",
    "NEAR(radio evacuation, 2)",
    "AND OR NOT",
    "NOT",
    "radio AND",
    "title:",
    "title:radio",
    "lessons_lessonpage:*",
    "\\",
    "radio\\",
    "( ) { } [ ] ^ ~ : ! ? / + - && ||",
    "radio~2",
    "radio^10",
    "/regex.*/",
    "'; DROP TABLE lessons_lessonpage; --",
    "' OR 1=1 --",
    "%' OR '%'='",
    "_%",
    "*:*",
    "{{7*7}}",
    "${7*7}",
    f"<script>{RUN}</script>",
    "\u202eradio",
    "ra\u200bdio",
    "nul\x00byte",
    "🚑",
    "ｒａｄｉｏ",
    " ",
]

PATH_TRAVERSAL = ["../../../etc/passwd", "..\\..\\windows\\win.ini", "/etc/passwd", "a/../../b"]


class _Scan(HTMLParser):
    def __init__(self, allowed_script_prefixes: tuple[str, ...]) -> None:
        super().__init__(convert_charrefs=True)
        self.allowed = allowed_script_prefixes
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = [(name.lower(), value or "") for name, value in attrs]
        values = dict(attrs)
        if tag == "script":
            src = values.get("src", "")
            if not (src.startswith(self.allowed) or values.get("type") == "application/json"):
                self.problems.append(f"<script src={src!r}> (inline or foreign script)")
        if tag in ("iframe", "object", "embed", "base", "frame", "frameset", "applet"):
            self.problems.append(f"<{tag}>")
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self.problems.append("<meta http-equiv=refresh>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> (event handler)")
            squeezed = "".join(value.split()).lower()
            if name in ("href", "src", "action", "formaction", "xlink:href", "data", "srcdoc"):
                if squeezed.startswith(("javascript:", "vbscript:", "data:text", "data:image/svg")):
                    self.problems.append(f"<{tag} {name}={value[:40]!r}>")
            if name == "style" and ("expression(" in squeezed or "javascript:" in squeezed):
                self.problems.append(f"<{tag} style={value[:40]!r}>")
        if tag == "a" and values.get("href", "").startswith(EXTERNAL):
            rel = set(values.get("rel", "").split())
            if not {"nofollow", "noopener"} <= rel:
                self.problems.append(f"<a href={EXTERNAL!r} rel={values.get('rel')!r}>")


def executable_markup(html: str, allowed_script_prefixes: tuple[str, ...] = ("/static/",)):
    """Everything in `html` that could run or navigate to script; [] when harmless."""
    scan = _Scan(allowed_script_prefixes)
    scan.feed(html)
    scan.close()
    return scan.problems
