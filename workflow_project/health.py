"""``/healthz/``: is this web process up and can it reach its database?

Answered by ``HealthCheckMiddleware``, first in ``MIDDLEWARE``, before host validation and the HTTPS
redirect: the container's health check and a load balancer call ``http://<container>:8000/healthz/``
directly, without TLS and without the public host name. It reveals nothing but ``ok``/``error``.
"""

import logging

from django.db import connection
from django.http import JsonResponse

HEALTH_PATH = "/healthz/"

logger = logging.getLogger("sksentra.health")


def healthz(request):
    """200 ``{"status": "ok"}`` when the database answers, else 503 ``{"status": "error"}``."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("health check: database unavailable")
        response = JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    else:
        response = JsonResponse({"status": "ok"})
    response["Cache-Control"] = "no-store"
    return response


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == HEALTH_PATH and request.method in ("GET", "HEAD"):
            return healthz(request)
        return self.get_response(request)
