import logging

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connections
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


@never_cache
def healthz(request):
    """Which dependencies answer; never cached by any front.

    503 when the database is down (nothing can be served). A Redis outage only slows pages
    down, so it reports "degraded" with 200 and the instance stays in the load balancer.
    """
    checks = {"database": database_status()}
    if settings.REDIS_URL:
        checks["cache"] = cache_status()
    if checks["database"] != "ok":
        status, code = "unavailable", 503
    elif any(state != "ok" for state in checks.values()):
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    return JsonResponse({"status": status, "checks": checks}, status=code)


def database_status() -> str:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.warning("Health check: database unreachable: %s", error)
        return "unreachable"
    return "ok"


def cache_status() -> str:
    try:
        client = caches["default"]._cache.get_client(write=True)
        client.ping()
    except Exception as error:  # any failure to reach Redis counts as unreachable
        logger.warning("Health check: Redis unreachable: %s", error)
        return "unreachable"
    return "ok"


def page_not_found(request, exception=None):
    # Cacheable like any page; "missing" is purged whenever something is published.
    request.cache_tags = ["site", "missing"]
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
