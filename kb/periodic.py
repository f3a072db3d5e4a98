"""The periodic job's registry: each part registers what `manage.py tick` should run.

Every registered job must be idempotent: running tick twice in a row does nothing twice.
"""

from __future__ import annotations

from collections.abc import Callable

_jobs: dict[str, Callable[[], str | None]] = {}


def periodic(name: str):
    """Register a function as a periodic job; it may return a one-line report."""

    def register(func: Callable[[], str | None]):
        _jobs[name] = func
        return func

    return register


def jobs() -> dict[str, Callable[[], str | None]]:
    return dict(_jobs)
