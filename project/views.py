"""Pages of the wiring layer: the tracker's start, which depends on who is asking."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from kb.context_processors import navigation
from kb.directory import current_membership


@login_required
def tracker_start(request):
    """/tracker/: the committee's dashboard, an action owner's actions, else a 403 page
    that says what the member can use instead."""
    nav = navigation(request.user, current_membership(request.user))
    if nav["dashboard"]:
        return redirect("tracker:dashboard")
    if nav["actions"]:
        return redirect("tracker:my_actions")
    raise PermissionDenied(
        _("The tracker is for oversight committees and action owners; you are neither.")
    )
