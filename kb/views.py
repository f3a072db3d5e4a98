from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from kb.notifications import describe, notifications_for


def page_not_found(request, exception=None):
    """Anonymous visitors get the login page for any unknown address, exactly as for a
    restricted one, so probing addresses reveals nothing; members get a 404 naming nothing."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return render(request, "404.html", status=404)


@login_required
def notification_list(request):
    """The member's notifications, newest first, each described for its reader now."""
    notifications = notifications_for(request.user)
    if request.method == "POST":  # mark all as read
        notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
        return redirect("notifications")
    page = Paginator(notifications.prefetch_related("subject"), 30).get_page(
        request.GET.get("page")
    )
    for notification in page:
        notification.text = describe(notification, request.user)
    return render(request, "kb/notifications.html", {"page_obj": page})


@login_required
@require_POST
def notification_read(request, pk: int):
    """Mark one notice read; with `open`, go on to what it is about."""
    notification = get_object_or_404(notifications_for(request.user), pk=pk)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    target = notification.url
    if "open" in request.POST and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    return redirect("notifications")
