"""Read replicas: anonymous page views read from a replica, everything else from the primary.

:class:`ReplicaMiddleware` marks a request as replica-safe when it is an anonymous GET or HEAD
outside the admin; :class:`ReplicaRouter` then sends its reads to a replica unless a transaction
is open on the primary (a read inside a write must see that write). A reader who has just
written (posted a comment, say) carries a short-lived cookie that keeps their reads on the
primary, so replication lag never hides their own change from them.
"""

import contextvars
import random

from django.conf import settings
from django.db import connections

READ_FROM_REPLICA = contextvars.ContextVar("newsdesk_read_from_replica", default=False)
RECENT_WRITE_COOKIE = "newsdesk_wrote"
RECENT_WRITE_SECONDS = 10


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if READ_FROM_REPLICA.get() and not connections["default"].in_atomic_block:
            return random.choice(settings.DATABASE_REPLICAS)  # noqa: S311 - load spreading
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class ReplicaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = READ_FROM_REPLICA.set(self.replica_safe(request))
        try:
            response = self.get_response(request)
        finally:
            READ_FROM_REPLICA.reset(token)
        # A response may opt out (``response.reader_wrote = False``): the view beacon writes,
        # but the reader never needs to read that write back.
        if request.method not in {"GET", "HEAD", "OPTIONS"} and getattr(
            response, "reader_wrote", True
        ):
            response.set_cookie(
                RECENT_WRITE_COOKIE,
                "1",
                max_age=RECENT_WRITE_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response

    @staticmethod
    def replica_safe(request) -> bool:
        if not settings.DATABASE_REPLICAS or request.method not in {"GET", "HEAD"}:
            return False
        if request.path.startswith("/admin/") or RECENT_WRITE_COOKIE in request.COOKIES:
            return False
        user = getattr(request, "user", None)
        return not (user and user.is_authenticated)
