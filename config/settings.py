"""Settings for the AI engineer roadmap, read from the environment.

Every value has a default that is safe for local use; production sets DEBUG=false,
SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL (see docs/operating.md).
"""

import datetime
import hashlib
import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name, default):
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use true or false)")


def env_list(name, default):
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false")
    SECRET_KEY = "insecure-local-development-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])

# Behind a load balancer that terminates TLS and sets X-Forwarded-For/-Proto.
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
# The balancer's addresses (or networks): forwarded headers are believed only from these
# peers, the same variable gunicorn reads. A request from any other peer (an instance reached
# directly) has its X-Forwarded-* headers dropped (config/middleware.py). "*" trusts any peer:
# only where nothing but the balancer can reach the instances.
FORWARDED_ALLOW_IPS = env_list("FORWARDED_ALLOW_IPS", ["127.0.0.1"])
try:
    TRUSTED_PROXIES = [
        ipaddress.ip_network(item, strict=False) for item in FORWARDED_ALLOW_IPS if item != "*"
    ]
except ValueError as error:
    raise ImproperlyConfigured(f"FORWARDED_ALLOW_IPS: {error}") from None
# Production mode over plain http on your own machine (`make serve`) only: no TLS redirect,
# no Secure cookies. Never set it on a server.
LOCAL_HTTP = env_bool("LOCAL_HTTP", False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials.apps.SimpleAppConfig",
    "csp",
    "corsheaders",
    "axes",
    "accounts",
    "roadmap",
]

MIDDLEWARE = [
    # First: X-Forwarded-* from a peer that is not our proxy are dropped before anyone reads them.
    "config.middleware.TrustedProxyMiddleware",
    # Outermost but one, so that static files served by WhiteNoise get the headers too.
    "config.middleware.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before CommonMiddleware; answers only under /api/ (CORS_URLS_REGEX).
    "corsheaders.middleware.CorsMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.middleware.ReadAfterWriteMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A NUL in the path or query string is a 400 before any view passes it to the database.
    "config.middleware.RefuseNulMiddleware",
    # Before any view or CSRF check reads the body; after sign-in is known.
    "config.middleware.RequestSizeLimitMiddleware",
    "config.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

# django-template-partials wraps the cached loader, as its docs describe for a manual setup.
_LOADERS = [
    (
        "template_partials.loader.Loader",
        [
            (
                "django.template.loaders.cached.Loader",
                [
                    "django.template.loaders.filesystem.Loader",
                    "django.template.loaders.app_directories.Loader",
                ],
            )
        ],
    )
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "loaders": _LOADERS,
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]

WSGI_APPLICATION = "config.wsgi.application"

# Connections are reused, and checked before reuse so that the first request after a
# database restart does not fail.
_CONN = {"conn_max_age": int(os.environ.get("CONN_MAX_AGE", "60")), "conn_health_checks": True}
DATABASES = {
    "default": dj_database_url.config(default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", **_CONN)
}
if os.environ.get("DATABASE_REPLICA_URL"):
    # Reads go to the replica, except those that follow a write (config/db_router.py).
    DATABASES["replica"] = dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"], **_CONN)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["config.db_router.PrimaryReplicaRouter"]
READ_AFTER_WRITE_SECONDS = int(os.environ.get("READ_AFTER_WRITE_SECONDS", "10"))

# /bench/floor/, the cheapest request on this stack, exists only for `make bench`.
BENCHMARK_ENDPOINTS = env_bool("BENCHMARK_ENDPOINTS", False)


def _release_digest():
    """A digest of the code and templates: cached pages never outlive a deploy that changes
    how they are rendered (it is part of every cache key)."""
    digest = hashlib.sha256()
    for folder in ("templates", "roadmap", "accounts", "config"):
        for path in sorted((BASE_DIR / folder).rglob("*")):
            if path.suffix in (".html", ".py", ".txt") and "migrations" not in path.parts:
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


RELEASE = os.environ.get("RELEASE") or _release_digest()

# Redis, when REDIS_URL is set, holds the cache and (through cached_db) the sessions, so
# that any app instance can serve any request; the database stays the source of truth.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.cache.ReusingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"roadmap:{RELEASE}",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "KEY_PREFIX": f"roadmap:{RELEASE}",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses sign-in during a cool-off, for the admin too.
    "axes.backends.AxesStandaloneBackend",
    # Username or email address (accounts/backends.py).
    "accounts.backends.UsernameOrEmailBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
# Failures count per account, however it was named, and per client; every name that is
# no account shares one bucket per client (accounts/throttling.py: axes_username).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "accounts.throttling.axes_username"
AXES_RESET_ON_SUCCESS = True
# Tries refused during a cool-off are not recorded: at most AXES_FAILURE_LIMIT rows per
# account (or unknown bucket) and client, whatever the client varies (user agent, say).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# The real client behind one trusted proxy, not the proxy (config/client_ip.py).
AXES_CLIENT_IP_CALLABLE = "config.client_ip.client_ip"

# Sign-up and password-reset mail, per client address and per email address (per hour).
SIGNUP_LIMIT_PER_HOUR = int(os.environ.get("SIGNUP_LIMIT_PER_HOUR", "10"))
# Sign-ups on their way to a usable invite link count against the invite's uses and this
# separate per-address cap instead (an office behind one address joining its team).
SIGNUP_WITH_INVITE_LIMIT_PER_HOUR = int(os.environ.get("SIGNUP_WITH_INVITE_LIMIT_PER_HOUR", "50"))
PASSWORD_RESET_LIMIT_PER_HOUR = int(os.environ.get("PASSWORD_RESET_LIMIT_PER_HOUR", "10"))
PASSWORD_RESET_MAILS_PER_ADDRESS = int(os.environ.get("PASSWORD_RESET_MAILS_PER_ADDRESS", "3"))
# "Someone tried to sign up with your address" mails, counted apart from reset mails.
SIGN_UP_NOTICES_PER_ADDRESS = int(os.environ.get("SIGN_UP_NOTICES_PER_ADDRESS", "3"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

CSRF_FAILURE_VIEW = "config.views.csrf_failure"

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "roadmap:path"
LOGOUT_REDIRECT_URL = "roadmap:home"

# Password reset mail: printed to the console locally, sent over SMTP when EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "AI roadmap <noreply@localhost>")

# Links in mail (password reset) are built from this, never from the request's Host header.
# Default: the first allowed host, over https in production.
# Open data (roadmap/api.py): any site may read the API from a browser, GET only, without
# cookies. ETag is exposed so that browser clients can revalidate.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Link"]
CORS_PREFLIGHT_MAX_AGE = 86400

# The licence of the catalogue as data: on the sources page, the open data page and in
# every API answer.
DATA_LICENCE = {
    "name": "Creative Commons Attribution 4.0 International (CC BY 4.0)",
    "url": "https://creativecommons.org/licenses/by/4.0/",
    "attribution": "AI engineer roadmap catalogue, with the sources each fact names",
}

# The review queue lists sources last checked more than this many months ago.
REVIEW_SOURCE_MONTHS = int(os.environ.get("REVIEW_SOURCE_MONTHS", "12"))
if not 1 <= REVIEW_SOURCE_MONTHS <= 1200:
    raise ImproperlyConfigured("REVIEW_SOURCE_MONTHS must be a number of months from 1 to 1200")

# Teams: how many one person may own (starting more is refused), and how many open
# (unexpired, not withdrawn) invite links a team may have at once.
TEAMS_OWNED_PER_PERSON = int(os.environ.get("TEAMS_OWNED_PER_PERSON", "20"))
ACTIVE_INVITES_PER_TEAM = int(os.environ.get("ACTIVE_INVITES_PER_TEAM", "50"))
# Invites by email: how many one manager may send in an hour (each address is one).
TEAM_INVITE_MAILS_PER_HOUR = int(os.environ.get("TEAM_INVITE_MAILS_PER_HOUR", "100"))

SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")
if not SITE_URL:
    _scheme = "http" if DEBUG or LOCAL_HTTP else "https"
    _host = ALLOWED_HOSTS[0] if ALLOWED_HOSTS and ALLOWED_HOSTS[0] != "*" else "localhost"
    SITE_URL = f"{_scheme}://{_host}" + (":8000" if DEBUG else "")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"SITE_URL={SITE_URL!r} must start with http:// or https://")

# Request bodies: refused before they are read when larger than this (config/middleware.py).
# Signed-in users may upload an import of up to 1 MB; anyone else sends only small forms.
MAX_REQUEST_BYTES = 1_100_000
MAX_ANONYMOUS_REQUEST_BYTES = 64_000
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BYTES
# Uploads under the limit stay in memory: nothing is spooled to disk.
FILE_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BYTES

# ------------------------------------------------------------------ security

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # htmx sends the token from the page, never from the cookie
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
if not DEBUG and not LOCAL_HTTP:
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # The __Host- prefix: Secure, path /, no Domain, so no subdomain can set or read it.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
if BEHIND_PROXY:
    # The load balancer terminates TLS and says so in X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# django-csp: nothing inline, nothing evaluated; htmx is configured for it in base.html.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# ------------------------------------------------------------------ logging

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django logs every 5xx here with the request and the traceback; users see 500.html.
        "django.request": {"level": "WARNING", "propagate": True},
        "axes": {"level": "WARNING", "propagate": True},
    },
}
