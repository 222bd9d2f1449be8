import ipaddress

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from . import db_router


def from_trusted_proxy(peer):
    """Whether the peer (REMOTE_ADDR) is one of FORWARDED_ALLOW_IPS, "*" meaning any."""
    if "*" in settings.FORWARDED_ALLOW_IPS:
        return True
    try:
        address = ipaddress.ip_address(peer or "")
    except ValueError:
        return False
    return any(address in network for network in settings.TRUSTED_PROXIES)


class TrustedProxyMiddleware:
    """X-Forwarded-For and -Proto are believed only when they come from our proxy.

    Without BEHIND_PROXY they are never believed (client_ip ignores them; Django has no
    SECURE_PROXY_SSL_HEADER). With it, an instance reached directly, not through the
    balancer, would otherwise take any client's word for its address and for https: such
    requests lose the headers here, so the client is the peer itself.
    """

    FORWARDED = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.BEHIND_PROXY and not from_trusted_proxy(request.META.get("REMOTE_ADDR")):
            for header in self.FORWARDED:
                request.META.pop(header, None)
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Headers Django has no setting for, on every response (static files included)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # The open data is meant to be read from other sites; everything else is ours.
        policy = "cross-origin" if request.path.startswith("/api/") else "same-origin"
        response.headers.setdefault("Cross-Origin-Resource-Policy", policy)
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


class RequestSizeLimitMiddleware:
    """Refuse a request body that is too large before anything reads it (413).

    Django would otherwise spool a large upload to a temporary file before the view could
    look at its size. Signed-in users may send MAX_REQUEST_BYTES (an import of up to 1 MB);
    anyone else only small forms. A body without a Content-Length is read as empty.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length:
            limit = (
                settings.MAX_REQUEST_BYTES
                if request.user.is_authenticated
                else settings.MAX_ANONYMOUS_REQUEST_BYTES
            )
            if length < 0 or length > limit:
                return too_large(request, limit)
        return self.get_response(request)


def too_large(request, limit):
    response = render(request, "413.html", {"limit_kb": limit // 1000}, status=413)
    # The body was not read: the connection cannot carry another request.
    response["Connection"] = "close"
    return response


class PrivatePagesMiddleware:
    """Pages for a signed-in user are theirs alone: no shared cache or browser cache keeps
    them (Cache-Control: private, no-store), unless the view said otherwise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # A response that never read the session cannot depend on who is signed in, and
        # asking would cost a session and a user lookup on every such request.
        if (
            request.session.accessed
            and request.user.is_authenticated
            and "Cache-Control" not in response
        ):
            add_never_cache_headers(response)
        return response


class RefuseNulMiddleware:
    """A NUL byte in the path or the query string is refused here with a 400, before any
    view could pass it on: PostgreSQL refuses NUL in text, so a NUL that reached a lookup
    (an API slug, an invite token, ?certification=...) was a 500. No address or parameter of
    ours ever holds one. Form fields refuse it themselves (Django's form CharField).
    Runs after the session and user middleware (the 400 page shows who is signed in), but
    before anything reads the session."""

    MESSAGE = "The address holds a NUL character (%00), which no page or parameter accepts."

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # A cookie holding one (only its owner can send it) is treated as absent: a session
        # cookie with a NUL would otherwise be looked up, and fail, on the first page read.
        bad = [name for name, value in request.COOKIES.items() if "\x00" in name + value]
        for name in bad:
            del request.COOKIES[name]
        if settings.SESSION_COOKIE_NAME in bad:
            request.session = type(request.session)()
        # Other headers are kept but lose it: django-axes records the User-Agent and Accept
        # of a failed sign-in, and a NUL there was a 500.
        for key, value in request.META.items():
            if key.startswith("HTTP_") and isinstance(value, str) and "\x00" in value:
                request.META[key] = value.replace("\x00", "\ufffd")
        if "\x00" in request.path_info or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            if request.path_info.startswith("/api/"):
                return JsonResponse({"detail": self.MESSAGE}, status=400)
            return render(request, "400.html", {"message": self.MESSAGE}, status=400)
        return self.get_response(request)
