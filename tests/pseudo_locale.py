"""A pseudo-locale for tests: while active, every string that goes through gettext comes
out wrapped in ⟦ ⟧, so a rendered page shows at a glance which of its words were marked
for translation and which were not.

It takes the place of the English catalogue (the site's default language), so whatever
language the middleware picks for a test request, it gets the pseudo catalogue too."""

from __future__ import annotations

import gettext as gettext_module
import re
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.utils.translation import trans_real

OPEN, CLOSE = "⟦", "⟧"
_MARKED = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")


class PseudoTranslation(gettext_module.NullTranslations):
    def __init__(self, language: str):
        super().__init__()
        self._language = language

    def gettext(self, message: str) -> str:
        # pgettext asks for "context\x04message" and takes any answer without \x04.
        return f"{OPEN}{message.split(trans_real.CONTEXT_SEPARATOR)[-1]}{CLOSE}"

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)

    def language(self) -> str:
        return self._language

    def to_language(self) -> str:
        return self._language


@contextmanager
def pseudo_locale() -> Iterator[None]:
    saved = dict(trans_real._translations)
    saved_default = trans_real._default
    for code, _name in settings.LANGUAGES:
        trans_real._translations[code] = PseudoTranslation(code)
    trans_real._default = trans_real._translations[settings.LANGUAGE_CODE]
    trans_real.activate(settings.LANGUAGE_CODE)
    try:
        yield
    finally:
        trans_real._translations.clear()
        trans_real._translations.update(saved)
        trans_real._default = saved_default
        trans_real.deactivate()


def without_marked(text: str) -> str:
    """The text with every marked (translated) part taken out, innermost first."""
    while True:
        stripped = _MARKED.sub(" ", text)
        if stripped == text:
            return text
        text = stripped
