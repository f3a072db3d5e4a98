"""The committee report as a PDF (reportlab), from the same figures as the dashboard.

It is given the dashboard's context, already trimmed by the access policy: aggregate
figures, and titles only of what the reader may open. Every text that came from a member
is escaped before reportlab's paragraph markup reads it.
"""

from __future__ import annotations

import io
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.graphics.shapes import Drawing, Rect
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

# A Unicode font when the system has one (city and organisation names are not all Latin-1);
# otherwise the PDF base fonts.
FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
]
BAR_WIDTH = 80 * mm
COLOURS = {
    "total": colors.HexColor("#6b7785"),
    "open": colors.HexColor("#6b7785"),
    "proposed": colors.HexColor("#4a6a8a"),
    "declined": colors.HexColor("#8b95a1"),
    "validated": colors.HexColor("#1f6f3a"),
}
LINK = colors.HexColor("#0a4d8c")


def _fonts() -> tuple[str, str]:
    for candidate in FONT_CANDIDATES:
        bold = candidate.replace("Sans.ttf", "Sans-Bold.ttf").replace("Regular", "Bold")
        if Path(candidate).exists() and Path(bold).exists():
            if "KbSans" not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont("KbSans", candidate))
                pdfmetrics.registerFont(TTFont("KbSans-Bold", bold))
            return "KbSans", "KbSans-Bold"
    return "Helvetica", "Helvetica-Bold"


def _styles():
    regular, bold = _fonts()
    sheet = getSampleStyleSheet()
    base = ParagraphStyle("kb", parent=sheet["Normal"], fontName=regular, fontSize=9.5, leading=12)
    return {
        "body": base,
        "muted": ParagraphStyle("muted", parent=base, textColor=colors.HexColor("#4b5563")),
        "title": ParagraphStyle("title", parent=base, fontName=bold, fontSize=17, leading=21),
        "h2": ParagraphStyle(
            "h2", parent=base, fontName=bold, fontSize=12.5, leading=16, spaceBefore=8, spaceAfter=4
        ),
        "h3": ParagraphStyle("h3", parent=base, fontName=bold, fontSize=10.5, spaceBefore=4),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=10.5),
        "head": ParagraphStyle("head", parent=base, fontName=bold, fontSize=8.5, leading=10.5),
        "num": ParagraphStyle("num", parent=base, fontSize=8.5, alignment=TA_RIGHT),
        "bold": bold,
    }


def _p(text, style) -> Paragraph:
    return Paragraph(escape(str(text)), style)


def _bar(width: float, kind: str) -> Drawing:
    drawing = Drawing(BAR_WIDTH, 8)
    drawing.add(Rect(0, 0, BAR_WIDTH, 8, fillColor=colors.HexColor("#f3f5f7"), strokeColor=None))
    if width:
        fill = COLOURS.get(kind, LINK)
        drawing.add(Rect(0, 0, BAR_WIDTH * width / 100, 8, fillColor=fill, strokeColor=None))
    return drawing


def _table(rows: list[list], widths: list[float], styles: dict) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#c9d1d9")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def _bars_table(heading: str, bars: list[dict], styles: dict) -> Table:
    rows = [[_p(heading, styles["head"]), "", _p(_("Actions"), styles["head"])]]
    for bar in bars:
        rows.append(
            [
                _p(bar["label"], styles["cell"]),
                _bar(bar["width"], bar["value"]),
                _p(bar["count"], styles["num"]),
            ]
        )
    return _table(rows, [50 * mm, BAR_WIDTH + 4 * mm, 20 * mm], styles)


def _late(title: str, actions: list, hidden: int, styles: dict) -> list:
    flow = [_p(title, styles["h2"])]
    if actions:
        rows = [
            [
                _p(h, styles["head"])
                for h in (_("Action"), _("Organisation"), _("City"), _("Due"), _("Last update"))
            ]
        ]
        for action in actions:
            lesson = action.recommendation.lesson
            rows.append(
                [
                    _p(action.corrective_action[:160], styles["cell"]),
                    _p(action.responsible_organisation.name, styles["cell"]),
                    _p(lesson.owner_city.name if lesson.owner_city_id else "", styles["cell"]),
                    _p(action.due_date.isoformat() if action.due_date else "—", styles["cell"]),
                    _p(action.last_update_at.date().isoformat(), styles["cell"]),
                ]
            )
        flow.append(_table(rows, [62 * mm, 36 * mm, 24 * mm, 23 * mm, 23 * mm], styles))
    else:
        flow.append(_p(_("None you may see."), styles["muted"]))
    if hidden:
        more = _("%(hidden)s more on lessons whose marking you do not meet.") % {"hidden": hidden}
        flow.append(_p(more, styles["muted"]))
    return flow


def render(context: dict) -> bytes:
    """The report for one dashboard context (see views_dashboard._context)."""
    styles = _styles()
    scope = context["scope"]
    place = scope.city.name if scope.city else _("all cities")
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=_("Committee report: %(place)s") % {"place": place},
        author=getattr(settings, "WAGTAIL_SITE_NAME", "Lessons Knowledge Base"),
    )
    applied = " ".join(f"{label}: {value}." for label, value in context["applied"])
    flow = [
        _p(_("Oversight committee report"), styles["muted"]),
        _p(_("Implementation of lessons: %(place)s") % {"place": place}, styles["title"]),
        Spacer(0, 3 * mm),
        _p(
            _("Prepared %(date)s (UTC).")
            % {"date": date_format(context["generated"], "DATETIME_FORMAT")}
            + f" {applied}",
            styles["muted"],
        ),
        _p(
            _(
                "Figures count every action in scope; lists name only what the reader's "
                "marking allows. Share this report only as the markings of the named lessons "
                "allow."
            ),
            styles["muted"],
        ),
        Spacer(0, 4 * mm),
    ]
    figures = [
        (_("Actions"), context["total"]),
        (_("Overdue"), context["overdue_count"]),
        (_("Due within 14 days"), context["due_soon_count"]),
        (_("Stale (60 days)"), context["stale_count"]),
    ]
    flow.append(
        _table(
            [
                [_p(label, styles["head"]) for label, _n in figures],
                [_p(n, styles["body"]) for _l, n in figures],
            ],
            [40 * mm] * 4,
            styles,
        )
    )
    flow += [
        _p(_("Actions by status"), styles["h2"]),
        _bars_table(_("Status"), context["status_bars"], styles),
    ]
    flow += [
        _p(_("Ageing of open actions"), styles["h2"]),
        _bars_table(_("Open for"), context["ageing_bars"], styles),
    ]
    rows = [
        [
            _p(h, styles["head"])
            for h in (_("Month"), _("Actions"), _("Implemented or validated"), _("Rate"))
        ]
    ]
    for row in context["over_time"]:
        rows.append(
            [
                _p(row["month"], styles["cell"]),
                _p(row["total"], styles["num"]),
                _p(row["done"], styles["num"]),
                _p(f"{row['rate']}%", styles["num"]),
            ]
        )
    flow += [
        KeepTogether(
            [
                _p(_("Implementation over time"), styles["h2"]),
                _table(rows, [30 * mm, 25 * mm, 45 * mm, 20 * mm], styles),
            ]
        )
    ]
    flow += _late(_("Overdue actions"), context["overdue"], context["overdue_hidden"], styles)
    flow += _late(_("Stale actions"), context["stale"], context["stale_hidden"], styles)
    flow.append(_p(_("Breakdowns"), styles["h2"]))
    for caption, heading, _param, bars in context["breakdowns"]:
        rows = [
            [_p(h, styles["head"]) for h in (heading, _("Actions"), _("Validated"), _("Overdue"))]
        ]
        for bar in bars:
            rows.append(
                [_p(bar["label"], styles["cell"])]
                + [_p(bar[key], styles["num"]) for key in ("total", "validated", "overdue")]
            )
        if len(rows) == 1:
            rows.append([_p(_("No actions."), styles["cell"]), "", "", ""])
        flow.append(
            KeepTogether(
                [
                    _p(caption, styles["h3"]),
                    _table(rows, [70 * mm, 25 * mm, 25 * mm, 25 * mm], styles),
                ]
            )
        )
    flow.append(_p(_("Identified in several cities, not yet learned"), styles["h2"]))
    if context["not_learned"]:
        rows = [
            [
                _p(h, styles["head"])
                for h in (
                    _("Theme"),
                    _("Cities"),
                    _("Lessons not learned"),
                    _("Lessons you may open"),
                )
            ]
        ]
        for row in context["not_learned"]:
            names = "; ".join(lesson.title for lesson in row["visible"])
            if row["more"]:
                names += f" and {row['more']} more"
            if row["hidden"]:
                names += f" (+{row['hidden']} restricted)"
            rows.append(
                [
                    _p(row["label"], styles["cell"]),
                    _p(row["cities"], styles["num"]),
                    _p(row["lessons"], styles["num"]),
                    _p(names, styles["cell"]),
                ]
            )
        flow.append(_table(rows, [40 * mm, 15 * mm, 25 * mm, 100 * mm], styles))
    else:
        flow.append(_p(_("None."), styles["muted"]))
    marking = str(context["material"].marking)
    page = _header_and_footer(place, marking)
    document.build(flow, onFirstPage=page, onLaterPages=page)
    return buffer.getvalue()


# TLP 2.0 label colours, on black (FIRST's Traffic Light Protocol 2.0 definition).
TLP_COLOURS = {
    "TLP:RED": "#FF2B2B",
    "TLP:AMBER": "#FFC000",
    "TLP:AMBER+STRICT": "#FFC000",
    "TLP:GREEN": "#33FF00",
    "TLP:CLEAR": "#FFFFFF",
}


def _label(canvas, marking: str, y: float) -> None:
    """The marking as TLP 2.0 shows it: its own colour on black, right-aligned."""
    regular, bold = _fonts()
    size = 9
    width = pdfmetrics.stringWidth(marking, bold, size) + 4 * mm
    x = A4[0] - 15 * mm - width
    canvas.setFillColor(colors.black)
    canvas.rect(x, y - 1.5 * mm, width, 5.5 * mm, stroke=0, fill=1)
    canvas.setFillColor(colors.HexColor(TLP_COLOURS.get(marking, "#FFFFFF")))
    canvas.setFont(bold, size)
    canvas.drawString(x + 2 * mm, y, marking)


def _header_and_footer(place: str, marking: str):
    def draw(canvas, document) -> None:
        canvas.saveState()
        _label(canvas, marking, A4[1] - 10 * mm)
        _label(canvas, marking, 7 * mm)
        canvas.setFont(_fonts()[0], 7.5)
        canvas.setFillColor(colors.HexColor("#4b5563"))
        canvas.drawString(15 * mm, 8 * mm, _("Committee report: %(place)s") % {"place": place})
        canvas.drawCentredString(A4[0] / 2, 8 * mm, _("Page %(n)s") % {"n": document.page})
        canvas.restoreState()

    return draw
