"""The mobile version of an article, the switch between versions, and the device endpoint."""

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site

from newsdesk.news.models import ArticlePage

from . import devices, styles

OPT_OUT_SECONDS = 365 * 24 * 60 * 60


def article(request, section: str, slug: str):
    """The same article as its full page, in one light HTML document."""
    site = Site.find_for_request(request)
    path = f"/{section}/{slug}/"
    page = None
    if site is not None:
        page = (
            ArticlePage.objects.live()
            .public()
            .select_related("section", "featured_image")
            .filter(url_path=site.root_page.url_path + path.lstrip("/"))
            .first()
        )
    if page is None:
        if (
            site is not None
            and Redirect.get_for_site(site).filter(old_path=Redirect.normalise_path(path)).exists()
        ):
            # A renamed or moved story: its full address redirects, and phones come back here.
            return HttpResponseRedirect(path)
        raise Http404("No such article")
    request.cache_tags = ["site", f"page:{page.pk}"]
    style = styles.load()
    response = render(
        request,
        "mobile/article.html",
        {
            "page": page,
            "self": page,
            "mobile_version": True,
            "inline_css": style.css,
            "full_url": devices.full_path(page, request) or path,
        },
    )
    response._csp_update = {"style-src": [style.source]}
    return response


def local_target(request, default: str = "/") -> str:
    target = request.GET.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@never_cache
def leave(request):
    """ "Exit mobile version": the full site from now on, remembered in a cookie."""
    response = HttpResponseRedirect(local_target(request))
    response.set_cookie(
        devices.OPT_OUT_COOKIE,
        "1",
        max_age=OPT_OUT_SECONDS,
        samesite="Lax",
        httponly=True,
        secure=request.is_secure(),
    )
    return response


@never_cache
def enter(request):
    """ "Mobile version": back to the mobile version, forgetting the choice of the full site."""
    response = HttpResponseRedirect(local_target(request))
    response.delete_cookie(devices.OPT_OUT_COOKIE, samesite="Lax")
    return response


DEVICE_CACHE_CONTROL = "public, max-age=0, s-maxage=86400"


def device(request):
    """The device class of this client, for a front cache that keys pages on it (see the
    Varnish configuration): ``phone`` or ``desktop``, also in ``X-Newsdesk-Device``."""
    kind = devices.request_device(request)
    response = HttpResponse(kind, content_type="text/plain")
    response["X-Newsdesk-Device"] = kind
    response["Cache-Control"] = DEVICE_CACHE_CONTROL
    return response


def wsgi_device(environ, start_response):
    """:func:`device` before Django's middleware (``NEWSDESK_FAST_PATHS``): Varnish asks once
    per distinct user agent, but a new one must not cost a full request."""
    kind = devices.device_class(
        environ.get("HTTP_USER_AGENT", ""), environ.get("HTTP_SEC_CH_UA_MOBILE", "")
    )
    body = kind.encode()
    start_response(
        "200 OK",
        [
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Length", str(len(body))),
            ("X-Newsdesk-Device", kind),
            ("Cache-Control", DEVICE_CACHE_CONTROL),
            ("X-Content-Type-Options", "nosniff"),
        ],
    )
    return [b"" if environ.get("REQUEST_METHOD") == "HEAD" else body]
