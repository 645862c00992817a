"""Sign-in throttling with django-axes, fitted to how Newsdesk is deployed."""

from axes.backends import AxesStandaloneBackend
from django.conf import settings


class LoginThrottleBackend(AxesStandaloneBackend):
    """Refuses sign-in for a locked-out account or address (django-axes).

    Axes needs the request to know the address; sign-ins made in code without one (scripts,
    the test client's ``login``) have no address to throttle and pass on to the next backend.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request) -> str:
    """The reader's address: the socket's, or, behind ``NEWSDESK_TRUSTED_PROXIES`` proxies, the
    address the outermost trusted proxy saw (each proxy appends to X-Forwarded-For, so
    addresses further left may be forged by the client)."""
    proxies = getattr(settings, "NEWSDESK_TRUSTED_PROXIES", 0)
    remote = request.META.get("REMOTE_ADDR", "")
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) >= proxies:
        return forwarded[-proxies]
    return remote
