from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render


def page_not_found(request, exception=None):
    """Anonymous visitors get the login page for any unknown address, exactly as for a
    restricted one, so probing addresses reveals nothing; members get a 404 naming nothing."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return render(request, "404.html", status=404)
