import logging

from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request):
    """200 when the database answers, 503 when it does not (for the load balancer)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        logger.warning("Health check failed: database unavailable (%s)", exc)
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "up"})


@require_safe
def floor(request):
    """A constant through the full middleware stack: the floor every page is compared with."""
    return HttpResponse("ok", content_type="text/plain")


def csrf_failure(request, reason=""):
    """Django's own page has an inline style that our CSP blocks; this one has none."""
    return render(request, "403_csrf.html", status=403)
