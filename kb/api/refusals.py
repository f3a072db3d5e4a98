"""Refusals by the business rules, as API answers.

The logic modules raise when a rule refuses a change; an endpoint wrapped in
answers_refusals() returns what `answer` makes of it ({detail, rule[, field]} with 403 or
422) instead of an error page, so its body holds only the call and the success answer.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable

from ninja.responses import Status


def answers_refusals(answer: Callable[[Exception], Status], *errors: type[Exception]):
    def decorate(endpoint):
        @functools.wraps(endpoint)
        def wrapper(*args, **kwargs):
            try:
                return endpoint(*args, **kwargs)
            except errors as exc:
                return answer(exc)

        # django-ninja reads the parameters from the signature; their annotations are
        # resolved here, in the endpoint's module (the wrapper's globals are this module's).
        wrapper.__signature__ = inspect.signature(endpoint, eval_str=True)
        return wrapper

    return decorate
