"""The committee dashboard, the improvement-plan exports and the CSV import of updates."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from kb import access

from . import exports
from .dashboard import dashboard, scope_for
from .filters import ActionFilterForm, filter_actions
from .forms import ImportForm
from .importer import import_updates
from .models import Action

CHART_WIDTH = 100  # percent of the SVG's viewBox


def _link(base: dict, **extra) -> str:
    query = {key: value for key, value in {**base, **extra}.items() if value}
    return "/tracker/actions/all/?" + urlencode(query)


@login_required
def committee_dashboard(request: HttpRequest) -> HttpResponse:
    form = ActionFilterForm(request.GET or None)
    filters = form.values()
    scope = scope_for(request.user, filters.get("city", ""))
    if scope is None:
        return render(request, "lessons/tracking/not_committee.html", status=403)
    if not scope.network_wide:
        # A city committee follows its own city: the filter offers and shows only that one.
        data = request.GET.copy()
        data["city"] = scope.city.name
        form = ActionFilterForm(data)
        form.fields["city"].widget.choices = [(scope.city.name, scope.city.name)]
        filters = form.values()
    figures = dashboard(request.user, scope, filters)
    base = {
        key: value
        for key, value in filters.items()
        if key in ("theme", "attack_type", "capability_element")
    }
    if scope.city is not None:
        base["city"] = scope.city.name
    bars = []
    for index, (value, label, count) in enumerate(figures["statuses"]):
        bars.append(
            {
                "value": value,
                "label": label,
                "count": count,
                "y": index * 10 + 4,
                "ty": index * 10 + 9,
                "width": round(CHART_WIDTH * count / figures["max_status"], 1),
                "url": _link(base, status=value),
            }
        )
        bars[-1]["tx"] = bars[-1]["width"] + 42
    peak = max([row["total"] for row in figures["over_time"]] + [1])
    for index, row in enumerate(figures["over_time"]):
        row["x"] = index * 30
        row["total_h"] = round(100 * row["total"] / peak, 1)
        row["done_h"] = round(100 * row["done"] / peak, 1)
        row["total_y"] = 100 - row["total_h"]
        row["done_y"] = 100 - row["done_h"]
    query = request.GET.urlencode()
    context = {
        "form": form,
        "scope": scope,
        "bars": bars,
        "chart_height": len(bars) * 10,
        "links": {
            "overdue": _link(base, late="overdue"),
            "due_soon": _link(base, late="due_soon"),
            "stale": _link(base, late="stale"),
        },
        "base_query": urlencode(base),
        "query": query,
        "today": timezone.localdate(),
        **figures,
    }
    return render(request, "lessons/tracking/dashboard.html", context)


def _export_actions(request: HttpRequest):
    form = ActionFilterForm(request.GET or None)
    actions = access.visible_actions(request.user, Action.objects.all())
    return filter_actions(actions, form.values())


@login_required
def export_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        exports.to_csv(_export_actions(request)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="improvement-plan.csv"'
    return response


@login_required
def export_xlsx(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        exports.to_xlsx(_export_actions(request)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="improvement-plan.xlsx"'
    return response


@login_required
def import_view(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > 2 * 1024 * 1024:
            form.add_error("file", "The CSV file may be at most 2 MB.")
        else:
            result = import_updates(request.user, upload.read(), form.cleaned_data["dry_run"])
            status = 422 if result.errors else 200
    context = {"form": form, "result": result}
    return render(request, "lessons/tracking/import.html", context, status=status)
