"""The language the site speaks to the person asking, and the switcher that changes it.

Django's LocaleMiddleware has already picked a language from the language cookie or the
browser's Accept-Language; for a member, their own choice and then their city's language
come first (kb.directory.language_for)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from kb.directory import interface_languages, language_for, set_preferred_language

API_PREFIX = "/api/"


class MemberLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if request.path.startswith(API_PREFIX):
            # The API answers in the language its caller asks for (Accept-Language).
            return self.get_response(request)
        language = language_for(getattr(request, "user", None))
        if language and language != translation.get_language():
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


@require_POST
def set_member_language(request: HttpRequest):
    """Django's set_language (cookie, back to `next`), which for a signed-in member also
    keeps the choice on their profile, so it follows them to other browsers and the admin."""
    language = request.POST.get("language", "")
    user = request.user
    if user.is_authenticated and language in interface_languages():
        set_preferred_language(user, language)
    return set_language(request)
