"""The committee dashboard and report, the improvement-plan exports and the CSV import."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from . import charts, exports, markings, report_pdf, rules
from .dashboard import Scope, scope_for
from .dashboard_cache import dashboard
from .filters import ActionFilterForm, filter_actions
from .forms import ImportForm
from .importer import import_updates
from .models import Action

# A chart segment's list keeps every filter of the dashboard, so its count and list agree.
KEPT_FILTERS = (
    "status",
    "late",
    "theme",
    "attack_type",
    "capability_element",
    "debrief",
    "lesson",
    "organisation",
)
BREAKDOWNS = [
    ("by_theme", _("By theme"), _("Theme"), "theme"),
    ("by_attack_type", _("By attack type"), _("Attack type"), "attack_type"),
    ("by_element", _("By capability element"), _("Capability element"), "capability_element"),
]


@dataclass
class CommitteeView:
    """The scope and filters a committee member's dashboard and report share."""

    form: ActionFilterForm
    scope: Scope
    filters: dict
    base: dict  # the filters a click-through keeps


def committee_view(request: HttpRequest) -> CommitteeView | None:
    form = ActionFilterForm(request.GET or None)
    filters = form.values()
    scope = scope_for(request.user, filters.get("city", ""))
    if scope is None:
        return None
    if not scope.network_wide:
        # A city committee follows its own city: the filter offers and shows only that one.
        data = request.GET.copy()
        data["city"] = scope.city.name
        form = ActionFilterForm(data)
        form.fields["city"].widget.choices = [(scope.city.name, scope.city.name)]
        filters = form.values()
    base = {key: value for key, value in filters.items() if key in KEPT_FILTERS}
    if scope.city is not None:
        base["city"] = scope.city.name
    return CommitteeView(form, scope, filters, base)


def _not_committee(request: HttpRequest) -> HttpResponse:
    return render(request, "lessons/tracking/not_committee.html", status=403)


def _context(request: HttpRequest, view: CommitteeView) -> dict:
    figures = dashboard(request.user, view.scope, view.filters)
    base = view.base
    # The page's marking banners (top and bottom, repeated on every printed page) and the
    # PDF's header and footer: the most restrictive marking of what the report names.
    document_marking = markings.DocumentMarking(str(markings.of_report(figures)))
    return {
        "material": document_marking,
        "form": view.form,
        "scope": view.scope,
        "status_bars": charts.status_bars(figures["statuses"], base),
        "ageing_bars": charts.ageing_bars(figures["ageing"]),
        "over_time_columns": charts.over_time_columns(figures["over_time"]),
        "breakdowns": [
            (caption, heading, param, charts.breakdown_bars(figures[key], param, base))
            for key, caption, heading, param in BREAKDOWNS
        ],
        "links": {
            "all": charts.list_url(base),
            "overdue": charts.list_url(base, late="overdue"),
            "due_soon": charts.list_url(base, late="due_soon"),
            "stale": charts.list_url(base, late="stale"),
        },
        "base_query": urlencode(base),
        "export_left_out": markings.left_out_text(figures["left_out"])
        if figures["left_out"]
        else "",
        "applied": _applied(view),
        "today": timezone.localdate(),
        "generated": timezone.now(),
        **figures,
    }


def _applied(view: CommitteeView) -> list[tuple[str, str]]:
    """The filters in force, in words (for the printed report)."""
    out = []
    for name, value in view.filters.items():
        field = view.form.fields.get(name)
        if field is None or name == "city":
            continue
        choices = dict(getattr(field, "choices", []) or [])
        label = field.label or name.replace("_", " ").capitalize()
        out.append((str(label), str(choices.get(value, value))))
    return out


def committee_only(page):
    """A committee page: it receives the member's scope and filters; anyone else is told
    the page is for committees (403)."""

    @login_required
    @functools.wraps(page)
    def wrapper(request: HttpRequest) -> HttpResponse:
        view = committee_view(request)
        if view is None:
            return _not_committee(request)
        return page(request, view)

    return wrapper


@committee_only
def committee_dashboard(request: HttpRequest, view: CommitteeView) -> HttpResponse:
    return render(request, "lessons/tracking/dashboard.html", _context(request, view))


@committee_only
def committee_report(request: HttpRequest, view: CommitteeView) -> HttpResponse:
    """The dashboard's figures as a printable page (and PDF) for the committee's meeting."""
    return render(request, "lessons/tracking/report.html", _context(request, view))


@committee_only
def committee_report_pdf(request: HttpRequest, view: CommitteeView) -> HttpResponse:
    response = HttpResponse(report_pdf.render(_context(request, view)), "application/pdf")
    name = f"committee-report-{slugify(_title_city(view))}-{timezone.localdate():%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _title_city(view: CommitteeView) -> str:
    return view.scope.city.name if view.scope.city else "all cities"


def export_actions(user, params) -> tuple:
    """The actions of an export with these query parameters (the reader's, filtered) and
    how many the reader's markings left out (the page offering the export says it too)."""
    form = ActionFilterForm(params or None)
    everything = filter_actions(Action.objects.all(), form.values())
    actions = rules.visible_actions(user, everything)
    return actions, markings.left_out(actions, everything)


def _export_actions(request: HttpRequest):
    return export_actions(request.user, request.GET)


def _export(request: HttpRequest, render_export, extension: str, content_type: str):
    actions, left_out = _export_actions(request)
    response = HttpResponse(render_export(actions, left_out), content_type=content_type)
    label = markings.file_label(markings.of_actions(actions))
    name = f"improvement-plan-{label}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def export_csv(request: HttpRequest) -> HttpResponse:
    return _export(request, exports.to_csv, "csv", "text/csv; charset=utf-8")


@login_required
def export_xlsx(request: HttpRequest) -> HttpResponse:
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return _export(request, exports.to_xlsx, "xlsx", xlsx)


@login_required
def import_view(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > 2 * 1024 * 1024:
            form.add_error("file", _("The CSV file may be at most 2 MB."))
        else:
            result = import_updates(request.user, upload.read(), form.cleaned_data["dry_run"])
            status = 422 if result.errors else 200
    context = {"form": form, "result": result}
    return render(request, "lessons/tracking/import.html", context, status=status)
