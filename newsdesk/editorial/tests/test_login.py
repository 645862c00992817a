"""Signing in to the newsroom through Wagtail 8's own login view: throttling per account and per
address (django-axes, shared by every process through the database), and optional or required
two-factor authentication (TOTP, django-otp)."""

import http.client
import re
import urllib.parse
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from newsdesk.core import testing
from newsdesk.core.testing import soup, text
from newsdesk.editorial.models import EditorialSettings
from newsdesk.editorial.roles import EDITOR

from .newsroom import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ACCOUNT = "/admin/account/"  # a page every newsroom account may open


def sign_in(client, username, password, address="192.0.2.10"):
    return client.post(
        LOGIN, {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=address
    )


def signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/admin/"


def locked_out(response) -> bool:
    page = soup(response.content)
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return (
        response.status_code == 429
        and text(page.h1) == "Too many failed sign-ins"
        and f"Try again in {minutes} minutes" in text(page.select_one("main"))
    )


# --- Throttling --------------------------------------------------------------------------------


def test_a_correct_password_signs_in_through_wagtails_login(client, editor):
    assert signed_in(sign_in(client, editor.username, PASSWORD))
    assert client.get("/admin/").status_code == 200


def test_an_account_is_locked_after_repeated_failures_from_any_address(client, editor):
    limit = settings.AXES_FAILURE_LIMIT
    for attempt in range(limit - 1):
        response = sign_in(client, editor.username, "wrong", address=f"198.51.100.{attempt}")
        assert response.status_code == 200  # the form again, with its error
        assert "username and password didn't match" in text(soup(response.content))
    sign_in(client, editor.username, "wrong", address="198.51.100.99")
    # Now even the right password, from a fresh address, is refused.
    assert locked_out(sign_in(client, editor.username, PASSWORD, address="203.0.113.7"))


def test_an_address_is_locked_after_failures_on_many_accounts(client, editor, contributor):
    for number in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, f"guess{number}", "wrong", address="192.0.2.66")
    assert locked_out(sign_in(client, contributor.username, PASSWORD, address="192.0.2.66"))
    # The same person from elsewhere is not punished for that address.
    assert signed_in(sign_in(client, contributor.username, PASSWORD, address="192.0.2.67"))


def test_a_success_before_the_limit_clears_the_failures(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, editor.username, "wrong")
    assert signed_in(sign_in(client, editor.username, PASSWORD))
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, editor.username, "wrong")
    assert signed_in(sign_in(client, editor.username, PASSWORD))


def test_the_lock_lifts_after_the_cool_off(client, editor):
    with time_machine.travel(T0, tick=False):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            sign_in(client, editor.username, "wrong")
        assert locked_out(sign_in(client, editor.username, PASSWORD))
    with time_machine.travel(T0 + settings.AXES_COOLOFF_TIME + timedelta(seconds=1), tick=False):
        assert signed_in(sign_in(client, editor.username, PASSWORD))


class Browser:
    """Just enough of a browser for Wagtail's login form: cookies and the CSRF token."""

    def __init__(self, url):
        parts = urllib.parse.urlsplit(url)
        self.host, self.port = parts.hostname, parts.port
        self.cookies: dict[str, str] = {}

    def request(self, method, path, body=None):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{self.host}:{self.port}{path}"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";")[0]
        return response.status, response.read().decode()

    def sign_in(self, username, password) -> int:
        _, html = self.request("GET", LOGIN)
        token = soup(html).select_one("input[name=csrfmiddlewaretoken]")["value"]
        body = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "username": username, "password": password}
        )
        status, _ = self.request("POST", LOGIN, body)
        return status


def test_failures_are_shared_by_every_server_process(site_env):
    testing.newsdesk(site_env, "migrate", "--noinput")
    testing.newsdesk(
        site_env,
        "shell",
        "-c",
        "from django.contrib.auth.models import User; "
        f"User.objects.create_user('shared', 'shared@example.com', {PASSWORD!r})",
    )
    first_url, first = testing.start_server(site_env)
    second_url, second = testing.start_server(site_env)
    try:
        one, two = Browser(first_url), Browser(second_url)
        limit = int(
            re.findall(
                r"\d+",
                testing.newsdesk(
                    site_env,
                    "shell",
                    "-c",
                    "from django.conf import settings; print(settings.AXES_FAILURE_LIMIT)",
                ).stdout,
            )[-1]
        )
        for attempt in range(limit - 1):
            browser = one if attempt % 2 else two
            assert browser.sign_in("shared", "wrong") == 200
        assert one.sign_in("shared", "wrong") == 429  # the last failure allowed
        assert one.sign_in("shared", PASSWORD) == 429
        assert two.sign_in("shared", PASSWORD) == 429
    finally:
        testing.stop(first)
        testing.stop(second)


# --- Two-factor authentication ------------------------------------------------------------------


def code(device: TOTPDevice, at: datetime) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = at.timestamp()
    return f"{totp.token():0{device.digits}d}"


def set_up_authenticator(client, user) -> TOTPDevice:
    client.force_login(user)
    page = soup(client.get(reverse("editorial_two_factor_setup")).content)
    assert page.select_one(".two-factor-qr svg") is not None
    secret = text(page.select_one("code")).replace(" ", "")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert secret.startswith(device.config_url.split("secret=")[1].split("&")[0][:8])
    wrong = client.post(reverse("editorial_two_factor_setup"), {"token": "000000"})
    assert "That code is not right" in text(soup(wrong.content).select_one("form"))
    with time_machine.travel(T0 + timedelta(seconds=5), tick=False):
        response = client.post(reverse("editorial_two_factor_setup"), {"token": code(device, T0)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    return device


def test_setting_up_an_authenticator_then_signing_in_with_a_code(client, editor):
    with time_machine.travel(T0, tick=False):
        device = set_up_authenticator(client, editor)
    client.logout()
    later = T0 + timedelta(minutes=5)
    with time_machine.travel(later, tick=False):
        assert signed_in(sign_in(client, editor.username, PASSWORD))
        response = client.get(ACCOUNT)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("editorial_two_factor_verify"))
        verify = client.get(response["Location"])
        assert text(soup(verify.content).h1) == "Enter your code"
        wrong = client.post(
            reverse("editorial_two_factor_verify"), {"token": "123456", "next": ACCOUNT}
        )
        assert wrong.status_code == 200
        assert client.get("/admin/").status_code == 302
    with time_machine.travel(later + timedelta(seconds=31), tick=False):
        right = client.post(
            reverse("editorial_two_factor_verify"),
            {"token": code(device, later + timedelta(seconds=31)), "next": ACCOUNT},
        )
        assert right.status_code == 302 and right["Location"] == ACCOUNT
        assert client.get(ACCOUNT).status_code == 200


def test_without_an_authenticator_two_factor_is_optional(client, contributor):
    assert signed_in(sign_in(client, contributor.username, PASSWORD))
    assert client.get(ACCOUNT).status_code == 200
    status = soup(client.get(reverse("editorial_two_factor")).content)
    assert "is off" in text(status.select_one("main"))


def test_a_group_can_be_made_to_use_two_factor(client, editor, contributor):
    setting = EditorialSettings.load()
    setting.two_factor_groups.set([editor.groups.get(name=EDITOR)])
    assert signed_in(sign_in(client, editor.username, PASSWORD))
    response = client.get(ACCOUNT)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("editorial_two_factor_setup"))
    assert client.get(reverse("editorial_two_factor_setup")).status_code == 200
    client.logout()
    # Other groups are untouched.
    assert signed_in(sign_in(client, contributor.username, PASSWORD))
    assert client.get(ACCOUNT).status_code == 200
    client.logout()
    # Once set up, the editor works normally, and cannot turn it off.
    with time_machine.travel(T0, tick=False):
        set_up_authenticator(client, editor)
        assert client.get(ACCOUNT).status_code == 200
        client.post(reverse("editorial_two_factor_disable"))
    assert TOTPDevice.objects.filter(user=editor, confirmed=True).exists()


def test_turning_two_factor_off_when_not_required(client, contributor):
    with time_machine.travel(T0, tick=False):
        set_up_authenticator(client, contributor)
        client.post(reverse("editorial_two_factor_disable"))
    assert not TOTPDevice.objects.filter(user=contributor).exists()


def test_an_administrator_resets_a_lost_authenticator(client, administrator, editor):
    with time_machine.travel(T0, tick=False):
        set_up_authenticator(client, editor)
    client.force_login(editor)
    assert client.post(reverse("editorial_two_factor_reset", args=[administrator.pk])).status_code
    assert TOTPDevice.objects.filter(user=editor).exists()  # an editor may not reset
    client.force_login(administrator)
    listing = soup(client.get(reverse("wagtailusers_users:index")).content)
    reset_url = reverse("editorial_two_factor_reset", args=[editor.pk])
    assert reset_url in [a["href"] for a in listing.select("a[href]")]
    client.post(reset_url)
    assert not TOTPDevice.objects.filter(user=editor).exists()


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "127.0.0.1"),  # no proxy trusted: the header may be forged
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # the client's own claim is ignored
        (2, "203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (2, "10.0.0.2", "127.0.0.1"),  # fewer hops than promised: trust nothing
    ],
)
def test_the_address_counted_is_the_one_the_trusted_proxy_saw(
    rf, settings, proxies, forwarded, expected
):
    from newsdesk.editorial.auth import client_ip

    settings.NEWSDESK_TRUSTED_PROXIES = proxies
    request = rf.post(LOGIN, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
