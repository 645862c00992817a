"""Optional two-factor authentication (TOTP, django-otp) for newsroom accounts.

Anybody may turn it on for their own account; members of the groups ticked in the newsroom
settings must. A user with a confirmed authenticator is asked for a code after the password on
every sign-in; a user who must have one and has none can only reach the set-up page.
"""

from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.contrib.auth import get_user_model
from django.utils.safestring import SafeString, mark_safe
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import EditorialSettings

DEVICE_NAME = "Authenticator app"


def required_for(user, request=None) -> bool:
    """Whether the newsroom settings oblige this user to use two-factor authentication."""
    if not user.is_authenticated:
        return False
    setting = EditorialSettings.load(request_or_site=request)
    return setting.two_factor_groups.filter(pk__in=user.groups.values("pk")).exists()


def has_authenticator(user) -> bool:
    return user_has_device(user, confirmed=True)


def pending_device(user) -> TOTPDevice:
    """The unconfirmed authenticator being set up (one per user, kept until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def confirm(device: TOTPDevice) -> None:
    """Make a freshly verified device the user's only authenticator."""
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])


def remove_authenticators(user) -> int:
    return TOTPDevice.objects.filter(user=user).delete()[0]


def secret_text(device: TOTPDevice) -> str:
    """The key in the form authenticator apps accept when typed: base32 in groups of four."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_svg(device: TOTPDevice) -> SafeString:
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    svg = image.to_string(encoding="unicode")
    # Our own SVG, built from the device's URL by the qrcode library: nothing user-typed.
    return mark_safe(svg)  # noqa: S308


def users_with_authenticator():
    return get_user_model().objects.filter(
        pk__in=TOTPDevice.objects.filter(confirmed=True).values("user")
    )
