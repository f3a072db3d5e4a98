"""Chart geometry for the committee dashboard, rendered on the server.

Bars are HTML rows (label and count in the page's own font, readable at any width) with a
small SVG stretched to the free width for the bar itself: no inline style, no script, and
every bar a link to the list of actions behind it. Each chart has a table beside it.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse


def list_url(base: dict, **extra) -> str:
    """The action list with the dashboard's filters plus this segment's own."""
    query = {key: value for key, value in {**base, **extra}.items() if value}
    url = reverse("tracker:action_list")
    return f"{url}?{urlencode(query)}" if query else url


def _share(count: int, peak: int) -> float:
    # At least a sliver for a non-zero count, so that "1 of 10,000" still shows.
    if not count:
        return 0
    return max(round(100 * count / peak, 1), 0.5)


def status_bars(statuses: list[tuple[str, str, int]], base: dict) -> list[dict]:
    peak = max([count for _v, _l, count in statuses] + [1])
    return [
        {
            "value": value,
            "label": label,
            "count": count,
            "width": _share(count, peak),
            # Under a status filter the other bars are empty: nothing to open.
            "url": list_url(base, status=value) if base.get("status", value) == value else "",
        }
        for value, label, count in statuses
    ]


def ageing_bars(ageing: list[tuple[str, int]]) -> list[dict]:
    peak = max([count for _label, count in ageing] + [1])
    return [
        {"value": "open", "label": label, "count": count, "width": _share(count, peak)}
        for label, count in ageing
    ]


def breakdown_bars(rows: list[dict], param: str, base: dict) -> list[dict]:
    peak = max([row["total"] for row in rows] + [1])
    return [
        {
            **row,
            "value": "total",
            "count": row["total"],
            "width": _share(row["total"], peak),
            "validated_width": _share(row["validated"], peak),
            "url": list_url(base, **{param: row["slug"]}),
        }
        for row in rows
    ]


def over_time_columns(months: list[dict]) -> list[dict]:
    """Per month two columns (actions so far, implemented so far) in a 0-100 box."""
    peak = max([row["total"] for row in months] + [1])
    columns = []
    for row in months:
        total_h, done_h = _share(row["total"], peak), _share(row["done"], peak)
        columns.append(
            {
                **row,
                "label": row["month"][5:],
                "year": row["month"][:4],
                "total_h": total_h,
                "total_y": round(100 - total_h, 1),
                "done_h": done_h,
                "done_y": round(100 - done_h, 1),
            }
        )
    return columns
