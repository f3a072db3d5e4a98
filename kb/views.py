from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone

from kb import access
from kb.models import Notification


def page_not_found(request, exception=None):
    """Anonymous visitors get the login page for any unknown address, exactly as for a
    restricted one, so probing addresses reveals nothing; members get a 404 naming nothing."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return render(request, "404.html", status=404)


@login_required
def notification_list(request):
    """The member's notifications, newest first; opening the list marks them read."""
    notifications = Notification.objects.filter(recipient=request.user)
    if not access.viewer_for(request.user).is_member and not request.user.is_superuser:
        # Messages name material read while a member; ending the membership ends that too.
        notifications = notifications.none()
    if request.method == "POST":
        notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
        return redirect("notifications")
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    return render(request, "kb/notifications.html", {"page_obj": page})
