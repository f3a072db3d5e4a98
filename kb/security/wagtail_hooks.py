"""Two editors on one page: the second stale save is refused, never silently overwritten.

Wagtail 8 refuses a stale autosave (a JSON request) itself and warns editors in the page
while someone else edits; a plain form post with an old `loaded_revision_id` would still
replace the newer revision. This hook refuses that post with the same rule Wagtail uses.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail import hooks


def is_stale(request: HttpRequest, page) -> bool:
    latest = page.get_latest_revision()
    if latest is None:
        return False
    if overwrite_id := request.POST.get("overwrite_revision_id"):
        return overwrite_id != str(latest.pk)
    if loaded_id := request.POST.get("loaded_revision_id"):
        if loaded_id != str(latest.pk):
            return True
        return request.POST.get("loaded_revision_created_at", "") != latest.created_at.isoformat()
    return False


@hooks.register("before_edit_page")
def refuse_stale_save(request: HttpRequest, page) -> HttpResponse | None:
    if request.method != "POST" or not request.accepts("text/html"):
        return None  # Wagtail answers stale JSON saves itself.
    if not is_stale(request, page):
        return None
    latest = page.get_latest_revision()
    who = latest.user.get_username() if latest.user else _("someone else")
    messages.error(
        request,
        _(
            "Not saved: %(who)s saved this page at %(time)s UTC after you opened it, and your "
            "save would overwrite their changes. Their version is shown now; make your "
            "changes again on it."
        )
        % {"who": who, "time": f"{latest.created_at:%H:%M}"},
    )
    return redirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))


@hooks.register("before_serve_document")
def serve_documents_to_their_managers_only(document, request: HttpRequest):
    """Wagtail documents carry no TLP marking, so nobody may read one the policy cannot judge.

    Lessons' rich text cannot link documents; only people who manage documents in the
    admin (who could open them there anyway) may download one, everyone else gets a 404.
    """
    from django.http import Http404
    from wagtail.documents import get_document_model
    from wagtail.permissions import policy_registry

    permission_policy = policy_registry.get_by_type(get_document_model())
    user = request.user
    if not user.is_authenticated or not permission_policy.user_has_any_permission(
        user, ["add", "change", "choose"]
    ):
        raise Http404
    return None
