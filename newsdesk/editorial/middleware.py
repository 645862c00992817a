"""Keeps unverified sessions out of the admin until the second factor is given."""

from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode

from . import two_factor

# Pages a signed-in user who still owes a code must reach: to give it, set it up, or leave.
OPEN_URL_NAMES = {
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
    "editorial_two_factor_verify",
    "editorial_two_factor_setup",
}


class TwoFactorMiddleware:
    """After ``django_otp.middleware.OTPMiddleware``: a user with an authenticator must give a
    code once per session; a user whose group requires one must set it up first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/admin/"):
            response = self.check(request)
            if response is not None:
                return response
        return self.get_response(request)

    def check(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return None
        try:
            name = resolve(request.path_info).url_name
        except Resolver404:
            return None
        if name in OPEN_URL_NAMES:
            return None
        query = urlencode({"next": request.get_full_path()})
        if two_factor.has_authenticator(user):
            return redirect(f"{reverse('editorial_two_factor_verify')}?{query}")
        if two_factor.required_for(user, request):
            return redirect(f"{reverse('editorial_two_factor_setup')}?{query}")
        return None
