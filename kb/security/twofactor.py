"""Optional TOTP two-factor authentication (django-otp), required for coordinators and
platform administrators when KB_REQUIRE_2FA is on.

Setting up: the page shows a QR code drawn here (SVG, no request to another host) and the
secret as text; the first code entered confirms the device. Logging in: after the
password, TwoFactorMiddleware sends the user to `verify` until a code is accepted.
django-otp throttles wrong codes and refuses a code that was already used.
"""

from __future__ import annotations

from base64 import b32encode

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from kb.directory import current_membership

DEVICE_NAME = "Authenticator app"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}
        ),
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].replace(" ", "")
        if not code.isdigit() or len(code) != 6:
            raise forms.ValidationError(_("Enter the six digits your app shows."))
        return code


def has_device(user) -> bool:
    return user_has_device(user, confirmed=True)


def is_required(user) -> bool:
    """Must this user use a second factor (coordinators and platform administrators)?"""
    if not getattr(settings, "KB_REQUIRE_2FA", False):
        return False
    if user.is_superuser or user.is_staff:
        return True
    membership = current_membership(user)
    return bool(membership and membership.is_coordinator)


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


def _qr_svg(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    # The SVG is built here from the device's own URL; it carries no user-written text.
    return mark_safe(image.to_string(encoding="unicode"))  # noqa: S308


@login_required
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    if has_device(user):
        return render(
            request,
            "kb/two_factor/setup.html",
            {"enabled": True, "required": is_required(user), "next": _next_url(request)},
        )
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("Two-factor authentication is on for your account."))
            return redirect(_next_url(request))
        form.add_error("code", _("That code is not right. Check your phone's clock and retry."))
    context = {
        "enabled": False,
        "required": is_required(user),
        "form": form,
        "qr_svg": _qr_svg(device.config_url),
        "secret": b32encode(device.bin_key).decode(),
        "next": _next_url(request),
    }
    return render(request, "kb/two_factor/setup.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.is_verified() or not has_device(user):
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in TOTPDevice.objects.filter(user=user, confirmed=True):
            allowed, _details = device.verify_is_allowed()
            if not allowed:
                form.add_error(
                    "code", _("Too many wrong codes: wait a minute before the next try.")
                )
                break
            if device.verify_token(form.cleaned_data["code"]):
                otp_login(request, device)
                return redirect(_next_url(request))
        else:
            form.add_error("code", _("That code is not right. Enter the code your app shows now."))
    return render(request, "kb/two_factor/verify.html", {"form": form, "next": _next_url(request)})
