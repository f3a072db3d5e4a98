"""The API's JSON body parser: JSON that the database cannot store is refused up front.

JSON may carry lone surrogates ("\\ud800") and NUL characters ("\\u0000"); neither can be
written to the database (SQLite cannot encode the first, PostgreSQL refuses the second), so
they would fail later with a 500. Refused here, they answer 400 like any unreadable body."""

from __future__ import annotations

import json
import re
from typing import Any

from ninja.parser import Parser

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _check(value: Any) -> None:
    if isinstance(value, str):
        if _UNSTORABLE.search(value):
            raise ValueError("text holds a NUL character or half a surrogate pair")
    elif isinstance(value, dict):
        for key, item in value.items():
            _check(key)
            _check(item)
    elif isinstance(value, list):
        for item in value:
            _check(item)


class StorableJSONParser(Parser):
    def parse_body(self, request) -> Any:
        data = json.loads(request.body)
        _check(data)
        return data
