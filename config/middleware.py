from django.conf import settings

from . import db_router


class SecurityHeadersMiddleware:
    """Headers Django has no setting for, on every response (static files included)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        # WhiteNoise answers static files before XFrameOptionsMiddleware runs.
        response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        return response


class ReadAfterWriteMiddleware:
    """With a read replica: after a write, this request and the user's next few read the primary.

    Replication lags; a user who just ticked a skill and is redirected to their path must
    see the tick. A short-lived cookie carries the pin to the following requests.
    """

    COOKIE = "pin_primary"

    def __init__(self, get_response):
        self.get_response = get_response
        self.active = "replica" in settings.DATABASES

    def __call__(self, request):
        if not self.active:
            return self.get_response(request)
        pinned = request.method not in ("GET", "HEAD", "OPTIONS") or self.COOKIE in request.COOKIES
        token = db_router.pin_to_primary(pinned)
        try:
            response = self.get_response(request)
            if db_router.is_pinned():
                response.set_cookie(
                    self.COOKIE,
                    "1",
                    max_age=settings.READ_AFTER_WRITE_SECONDS,
                    secure=request.is_secure(),
                    httponly=True,
                    samesite="Lax",
                )
        finally:
            db_router.unpin(token)
        return response
