"""Ventanilla settings: one module, every deployment difference comes from the environment.

Safe defaults exist only when DEBUG is on (the embedded `make demo` set-up); a production deployment
that forgets SECRET_KEY or ALLOWED_HOSTS fails at start-up instead of running insecurely.
"""

from __future__ import annotations

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VENTANILLA_VAR_DIR", BASE_DIR / "var"))


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def envlist(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def envstr(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value in (None, ""):
        if default is None:
            raise ImproperlyConfigured(f"The environment variable {name} is required when DEBUG is off.")
        return default
    return value


DEBUG = envbool("DEBUG", False)
# The demo: its accounts have published passwords and TOTP secrets (docs/demo.md). Apart from DEBUG so
# that the demo can serve as production does (compressed static files, friendly error pages).
DEMO = envbool("DEMO", DEBUG)
# The test runner gets development-grade defaults without DEBUG (tests must see production behaviour).
TESTING = envbool("VENTANILLA_TESTING", Path(sys.argv[0]).name in {"pytest", "py.test"} or "xdist" in sys.modules)

# Development gets throw-away defaults; production must say what it wants.
SECRET_KEY = envstr("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production" if DEBUG or TESTING else None)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"] if DEBUG or TESTING else [])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "simple_history",
    "channels",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "entities",
    "cases",
    "catalog",
    "notifications",
    "open311",
    "api",
    "portal",
    "backoffice",
    "transparency",
    "operations",
    "demodata",
    "imports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Bodies the framework would refuse with an HTML page or a 500, refused in the caller's format.
    "ventanilla.refusals.RequestLimitsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "backoffice.middleware.StaffSessionMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    "ventanilla.headers.PermissionsPolicyMiddleware",
    # Last: turns a locked-out sign-in attempt into the lockout page (backoffice/auth views, the admin).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ventanilla.urls"
WSGI_APPLICATION = "ventanilla.wsgi.application"
ASGI_APPLICATION = "ventanilla.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "ventanilla" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ventanilla.context_processors.site",
            ],
        },
    }
]

# --- Database -----------------------------------------------------------------------------------
# SQLite under var/ is the embedded default; DATABASE_URL selects PostgreSQL (production and CI).
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'ventanilla.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=envint("DB_CONN_MAX_AGE", 0))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded set-up keeps its database under var/, which a fresh clone does not have yet.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE transactions make concurrent writers queue on the lock instead of failing with
        # "database is locked" halfway through; WAL lets readers go on while one writes.
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file (not the in-memory default) so that tests with several threads share one database; one per
    # process so that parallel workers (and parallel test runs on one machine) never share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}


def pooled(database: dict) -> dict:
    """The PostgreSQL settings with a connection pool per process when DB_POOL_MAX_SIZE is set. Under ASGI
    every request runs in a thread of its own, so persistent connections leak (one per dead thread) and
    DB_CONN_MAX_AGE stays 0: each request then pays a new connection. A pool (psycopg_pool, built into
    Django since 5.1) reuses them; bench/README.md has the measurement."""
    if envint("DB_POOL_MAX_SIZE", 0) > 0 and database["ENGINE"] != "django.db.backends.sqlite3":
        database["CONN_MAX_AGE"] = 0
        database.setdefault("OPTIONS", {})["pool"] = {
            "min_size": envint("DB_POOL_MIN_SIZE", 2),
            "max_size": envint("DB_POOL_MAX_SIZE", 0),
            "timeout": envint("DB_POOL_TIMEOUT", 10),
        }
    return database


pooled(DATABASES["default"])
if TESTING and DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    # Several checkouts may run the suite on one PostgreSQL server at once (developers' worktrees, CI):
    # each run gets test databases of its own. pytest-xdist adds the worker suffix to this name.
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{os.getpid()}"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, jobs and live updates ---------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
# Messages waiting for one WebSocket before the layer drops new ones (Channels' default is 100). A storm
# of 50 alerts a second to a board on a slow link fills 100 in two seconds; a board that still misses
# some catches up from the event log when it notices the gap.
CHANNEL_CAPACITY = envint("CHANNEL_CAPACITY", 1000)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # Deployments (and test runs) sharing one Redis keep their counters apart.
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", ""),
        }
    }
    # "redis-pubsub" (default): one PUBLISH per event, fanned out to the boards inside each web process.
    # It keeps no queue in Redis, so a process that is reconnecting misses events, which its boards then
    # fetch from the log (docs/operations.md). "redis": channels_redis's original layer, every board's
    # messages queued in Redis one by one; at 50 alerts/s to 100 boards those fell 7-10 s behind where
    # pub/sub stayed under 0.3 s (bench/README.md, docs/decisions.md).
    CHANNEL_LAYER = envstr("CHANNEL_LAYER", "redis-pubsub")
    if CHANNEL_LAYER not in ("redis", "redis-pubsub"):
        raise ImproperlyConfigured(f"CHANNEL_LAYER is redis or redis-pubsub, not {CHANNEL_LAYER!r}.")
    if CHANNEL_LAYER == "redis-pubsub":
        CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer", "CONFIG": {"hosts": [REDIS_URL]}}}
    else:
        CHANNEL_LAYERS = {
            "default": {
                "BACKEND": "channels_redis.core.RedisChannelLayer",
                "CONFIG": {"hosts": [REDIS_URL], "capacity": CHANNEL_CAPACITY},
            }
        }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer", "CONFIG": {"capacity": CHANNEL_CAPACITY}}}

# Celery with Redis in production (worker + beat, the schedule in ventanilla/schedule.py). Without a
# broker, the embedded `ventanilla worker` runs the same jobs in-process (docs/notifications.md).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)

# --- Auth ---------------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # PBKDF2 costs 0.2 s per password and every test world creates eight users; tests check who may
    # do what, not the strength of the hash.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "/oficina/entrar/"
LOGIN_REDIRECT_URL = "/oficina/"
# Back-office sign-in (docs/backoffice.md): password, then a TOTP code (django-otp). Failures are locked
# out per username AND client address together (django-axes), so nobody can lock a colleague out from
# elsewhere; one mechanism for /oficina/entrar/ and the admin, which signs in through the same page.
AUTHENTICATION_BACKENDS = [
    "backoffice.auth_backend.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = True
AXES_FAILURE_LIMIT = envint("SIGNIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("SIGNIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "backoffice/auth/locked_out.html"
AXES_IPWARE_PROXY_COUNT = 1 if envbool("BEHIND_PROXY", False) else None
AXES_VERBOSE = False
OTP_TOTP_ISSUER = envstr("OTP_TOTP_ISSUER", "Ventanilla")
# Repeated wrong codes are locked out by django-axes like wrong passwords (per username and address);
# django-otp's own per-device delay would also let a stranger slow down a colleague's device.
OTP_TOTP_THROTTLE_FACTOR = 0
# A back-office session ends after this many minutes without a request (backoffice/middleware.py).
STAFF_SESSION_IDLE_MINUTES = envint("STAFF_SESSION_IDLE_MINUTES", 30)
# How long a password check waits for its second factor before the sign-in starts again.
SIGNIN_SECOND_FACTOR_MINUTES = envint("SIGNIN_SECOND_FACTOR_MINUTES", 5)

# --- Internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Spanish")), ("en", _("English"))]
# Each app keeps its own locale/ folder; project-wide strings (base layout) live in ventanilla/locale.
LOCALE_PATHS = [BASE_DIR / "ventanilla" / "locale"]
USE_I18N = True
TIME_ZONE = envstr("TIME_ZONE", "America/Panama")
USE_TZ = True

# --- Static and media files ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "assets" / "build"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- Security (docs/security.md) ------------------------------------------------------------------
# HTTPS: the site is served over TLS (directly or behind a proxy that terminates it). On by default
# in production, off for DEBUG and the tests. It turns on the SSL redirect, HSTS and secure cookies.
HTTPS = envbool("HTTPS", not DEBUG and not TESTING)
SECURE_SSL_REDIRECT = HTTPS
# The load balancer's health checks and the metrics scraper may speak plain HTTP to the node.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 365 * 24 * 3600) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading binds every subdomain of the domain for months; it is the domain owner's decision
# (docs/security.md), so it is off unless asked for, and Django's reminder about it is silenced.
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SESSION_COOKIE_SECURE = HTTPS and envbool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
# No script of ours reads the CSRF cookie (forms carry the token in a hidden field).
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if envbool("BEHIND_PROXY", False) else None

# Request bodies: DATA_UPLOAD_MAX_MEMORY_SIZE bounds a body without files (REST API JSON included);
# a multipart body may also carry the photos (CASE_MAX_PHOTOS files of CASE_MAX_UPLOAD_BYTES).
REQUEST_MAX_BODY_BYTES = envint(
    "REQUEST_MAX_BODY_BYTES",
    envint("CASE_MAX_PHOTOS", 5) * envint("CASE_MAX_UPLOAD_BYTES", 10 * 1024 * 1024) + DATA_UPLOAD_MAX_MEMORY_SIZE,
)
DATA_UPLOAD_MAX_NUMBER_FIELDS = envint("DATA_UPLOAD_MAX_NUMBER_FIELDS", 1000)
DATA_UPLOAD_MAX_NUMBER_FILES = envint("DATA_UPLOAD_MAX_NUMBER_FILES", 20)
# The REST API refuses JSON nested deeper than this before parsing it (api/parsers.py).
API_JSON_MAX_DEPTH = envint("API_JSON_MAX_DEPTH", 10)


def tile_source(url: str) -> str:
    """The CSP source of a tile URL template: its scheme and host, `{s}.` subdomains as a wildcard."""
    scheme, _sep, rest = url.partition("://")
    host = rest.split("/", 1)[0].replace("{s}.", "*.")
    return f"{scheme}://{host}" if scheme and host and "{" not in host else ""


# Content-Security-Policy (django-csp): no inline scripts anywhere (the portal's scripts are static
# files); styles may be inline because Leaflet and Swagger UI set style attributes.
_MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", *filter(None, [tile_source(_MAP_TILE_URL)])],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Geolocation and camera only where a page uses them: URL names or path prefixes (with or without the
# language prefix). The report form asks for the location; the alert page (operations) for both.
PERMISSIONS_POLICY_PAGES = envlist("PERMISSIONS_POLICY_PAGES", ["report_form", "/alerta/"])
PERMISSIONS_POLICY_FEATURES = ["geolocation", "camera"]

# --- REST API -----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.CursorPagination",
    "DEFAULT_PARSER_CLASSES": ["api.parsers.BoundedJSONParser"],
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Ventanilla API",
    "DESCRIPTION": "REST API v1 for staff tools and government integrations.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The docs page (/api/v1/docs/) loads Swagger UI from our own static files, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Every operation documents the refusals that come before its view (api/schema.py).
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "api.schema.document_request_refusals"],
    # The deploy check would generate a schema with these global settings, which is not the schema we
    # publish (api/schema.py passes its own). The published one is generated under production settings,
    # failing on any warning, in ventanilla/tests/test_security_headers.py.
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
}

# --- Logging: never personal data (see docs/privacy.md) ----------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Tracking tokens never reach a log line, whichever logger writes it (ventanilla/serverlog.py).
    "filters": {"redact": {"()": "ventanilla.serverlog.RedactingFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Django's default configuration gives the "django" logger a console handler of its own (when DEBUG is
    # on) and lets it propagate to the root's as well: every line came out twice. One handler: the root's.
    # pikepdf announces its logger bridge at INFO on import, in every command's output.
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "pikepdf": {"level": "WARNING"},
    },
}

# --- The jurisdiction and the domain -----------------------------------------------------------
# Panama is the first jurisdiction, not a constant: another country changes these and loads its data.
JURISDICTION_DATA_DIR = Path(os.environ.get("JURISDICTION_DATA_DIR", BASE_DIR / "data" / "jurisdictions" / "pa"))
HOLIDAYS_COUNTRY = envstr("HOLIDAYS_COUNTRY", "PA")
HOLIDAYS_SUBDIVISION = os.environ.get("HOLIDAYS_SUBDIVISION") or None
# ISO weekdays (1 = Monday) on which public offices work.
WORK_WEEKDAYS = [int(day) for day in envlist("WORK_WEEKDAYS", ["1", "2", "3", "4", "5"])]
OPEN311_JURISDICTION_ID = envstr("OPEN311_JURISDICTION_ID", "311.gob.pa")
# Open311 POSTs allowed per API key and minute, the hours a retried Idempotency-Key returns the first
# result, and the address published in the discovery document.
OPEN311_POSTS_PER_MINUTE = envint("OPEN311_POSTS_PER_MINUTE", 60)
OPEN311_IDEMPOTENCY_HOURS = envint("OPEN311_IDEMPOTENCY_HOURS", 24)
OPEN311_CONTACT_EMAIL = envstr("OPEN311_CONTACT_EMAIL", "open311@localhost")
# The bounding box is a cheap first test; the boundary polygons decide (see entities/geo.py).
# How far outside the (simplified) district polygons a point may fall and still count as on land,
# in degrees (0.02 degrees is about 2 km): the simplified coastline cuts off real shoreline.
GEO_TOLERANCE_DEGREES = float(os.environ.get("GEO_TOLERANCE_DEGREES", "0.02"))

CASE_DESCRIPTION_MAX_LENGTH = envint("CASE_DESCRIPTION_MAX_LENGTH", 4000)
CASE_REOPEN_WINDOW_DAYS = envint("CASE_REOPEN_WINDOW_DAYS", 15)
CASE_MAX_PHOTOS = envint("CASE_MAX_PHOTOS", 5)
CASE_MAX_UPLOAD_BYTES = envint("CASE_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
CASE_IMAGE_MAX_PIXELS = envint("CASE_IMAGE_MAX_PIXELS", 2048)
SURVEY_WINDOW_DAYS = envint("SURVEY_WINDOW_DAYS", 30)
# Failed tracking lookups (wrong token or number) allowed per client address per hour (portal/journey).
TRACKING_LOOKUP_FAILURES_PER_HOUR = envint("TRACKING_LOOKUP_FAILURES_PER_HOUR", 30)
DEFAULT_SLA_BUSINESS_DAYS = envint("DEFAULT_SLA_BUSINESS_DAYS", 10)
# An open case due within this many business days is "due soon" (cases/sla.py: queue badge, staff
# notifications and the supervisors' digest all use it).
SLA_DUE_SOON_BUSINESS_DAYS = envint("SLA_DUE_SOON_BUSINESS_DAYS", 2)
# Contact data of a case is erased this many months after the case ended (closed or rejected): the
# privacy notice states it, cases/retention.py applies it daily.
CONTACT_RETENTION_MONTHS = envint("CONTACT_RETENTION_MONTHS", 24)
# Phone numbers without a country prefix are read as numbers of this region (cases/contact.py).
PHONE_REGION = envstr("PHONE_REGION", "PA")

# The procedures catalog: the jurisdiction's currency, the category that receives "this information is
# outdated" reports, how old a review may be before the page says so, and the search synonyms.
CATALOG_CURRENCY_CODE = envstr("CATALOG_CURRENCY_CODE", "PAB")
CATALOG_CURRENCY_SYMBOL = envstr("CATALOG_CURRENCY_SYMBOL", "B/.")
CATALOG_OUTDATED_CATEGORY = envstr("CATALOG_OUTDATED_CATEGORY", "TRAMITE-INFO-DESACTUALIZADA")
PROCEDURE_REVIEW_MONTHS = envint("PROCEDURE_REVIEW_MONTHS", 12)
CATALOG_SYNONYMS_FILE = Path(os.environ.get("CATALOG_SYNONYMS_FILE") or JURISDICTION_DATA_DIR / "search_synonyms.json")

# Map tiles for the report form (configurable so a government can use its own tile server).
MAP_TILE_URL = _MAP_TILE_URL
MAP_TILE_ATTRIBUTION = os.environ.get(
    "MAP_TILE_ATTRIBUTION", '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
)

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ventanilla@localhost")

# Published figures (transparency/): entities with fewer closed cases in a month are listed, not ranked;
# the open-data licence; optional publication to a CKAN portal (empty URL = off).
TRANSPARENCY_MIN_CLOSED = envint("TRANSPARENCY_MIN_CLOSED", 10)
# How long the month in progress (provisional figures) is served from the cache before it is computed
# again. 0 computes on every view: the test suite's default, so that a test sees the cases it just wrote.
TRANSPARENCY_PROVISIONAL_SECONDS = envint("TRANSPARENCY_PROVISIONAL_SECONDS", 0 if TESTING else 600)
TRANSPARENCY_LICENSE_URL = envstr("TRANSPARENCY_LICENSE_URL", "https://creativecommons.org/licenses/by/4.0/")
TRANSPARENCY_PUBLISHER = envstr("TRANSPARENCY_PUBLISHER", "Ventanilla 311")
TRANSPARENCY_CKAN_URL = os.environ.get("TRANSPARENCY_CKAN_URL", "")
TRANSPARENCY_CKAN_API_KEY = os.environ.get("TRANSPARENCY_CKAN_API_KEY", "")
TRANSPARENCY_CKAN_ORGANIZATION = os.environ.get("TRANSPARENCY_CKAN_ORGANIZATION", "")
TRANSPARENCY_CKAN_DATASET = os.environ.get("TRANSPARENCY_CKAN_DATASET", "ventanilla-311-casos")
# --- Notifications and jobs (notifications/, ventanilla/schedule.py; docs/notifications.md) ------
# The demo writes each e-mail as a file under var/mail/ and each SMS/WhatsApp message under var/sms/
# so a person can read what would have been sent. Production sets EMAIL_BACKEND (SMTP, with EMAIL_HOST
# and friends read by Django) and TEXT_GATEWAY_URL / TEXT_GATEWAY_KEY.
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
if DEMO and not os.environ.get("EMAIL_BACKEND"):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 10)
NOTIFICATIONS_MESSAGE_ID_DOMAIN = os.environ.get("NOTIFICATIONS_MESSAGE_ID_DOMAIN", "ventanilla.localhost")
TEXT_GATEWAY_URL = os.environ.get("TEXT_GATEWAY_URL", "")
TEXT_GATEWAY_KEY = os.environ.get("TEXT_GATEWAY_KEY", "dev-only-gateway-key" if DEBUG or TESTING else "")
TEXT_GATEWAY_TIMEOUT_SECONDS = float(os.environ.get("TEXT_GATEWAY_TIMEOUT_SECONDS", "10"))
TEXT_GATEWAY_DIR = Path(os.environ.get("TEXT_GATEWAY_DIR", VAR_DIR / "sms"))
TEXT_GATEWAY_BACKEND = os.environ.get(
    "TEXT_GATEWAY_BACKEND",
    "notifications.gateways.HttpGateway" if TEXT_GATEWAY_URL else "notifications.gateways.FileGateway",
)
# Inbound webhook (/mensajes/entrante/): the secret the gateway signs with (defaults to the outbound
# key), how far its timestamp may be from ours, and how many messages one phone may send per hour.
INBOUND_WEBHOOK_SECRET = os.environ.get("INBOUND_WEBHOOK_SECRET", TEXT_GATEWAY_KEY)
INBOUND_MAX_SKEW_SECONDS = envint("INBOUND_MAX_SKEW_SECONDS", 300)
INBOUND_MESSAGES_PER_HOUR = envint("INBOUND_MESSAGES_PER_HOUR", 20)
INBOUND_MAX_TEXT_LENGTH = envint("INBOUND_MAX_TEXT_LENGTH", 1600)
# The outbox worker: messages per claim, how long a claim holds, retries with exponential backoff.
NOTIFICATIONS_BATCH_SIZE = envint("NOTIFICATIONS_BATCH_SIZE", 50)
NOTIFICATIONS_LEASE_SECONDS = envint("NOTIFICATIONS_LEASE_SECONDS", 120)
NOTIFICATIONS_MAX_ATTEMPTS = envint("NOTIFICATIONS_MAX_ATTEMPTS", 6)
NOTIFICATIONS_RETRY_BASE_SECONDS = envint("NOTIFICATIONS_RETRY_BASE_SECONDS", 30)
NOTIFICATIONS_RETRY_MAX_SECONDS = envint("NOTIFICATIONS_RETRY_MAX_SECONDS", 3600)
NOTIFICATIONS_POLL_SECONDS = float(os.environ.get("NOTIFICATIONS_POLL_SECONDS", "2"))
# Business days after resolution before the one survey reminder; hour (local) of the daily jobs.
SURVEY_REMINDER_DAYS = envint("SURVEY_REMINDER_DAYS", 3)
DAILY_JOBS_HOUR = envint("DAILY_JOBS_HOUR", 7)
# Jobs other apps provide, called by dotted path; when one cannot be imported it is logged and skipped.
MONTHLY_PUBLICATION_JOB = os.environ.get("MONTHLY_PUBLICATION_JOB", "transparency.jobs.publish_month")
CONTACT_RETENTION_JOB = os.environ.get("CONTACT_RETENTION_JOB", "cases.retention.erase_expired_contacts")
# Celery (production): worker + beat with the schedule of ventanilla/schedule.py, in the local time.
CELERY_TIMEZONE = TIME_ZONE
# --- Operations board (operations/, docs/operations.md) -----------------------------------------
# Minutes an alert may wait unacknowledged before it turns red and the shift supervisor is told, per
# severity (5 = extreme); "5:2,4:5,3:10,2:20,1:30" in the environment.
OPERATIONS_ACK_MINUTES = {
    int(severity): int(minutes)
    for severity, minutes in (
        item.split(":") for item in envlist("OPERATIONS_ACK_MINUTES", ["5:2", "4:5", "3:10", "2:20", "1:30"])
    )
}
# Minutes a dispatched agency may stay at "requested" before the alert escalates likewise.
OPERATIONS_DISPATCH_RESPONSE_MINUTES = envint("OPERATIONS_DISPATCH_RESPONSE_MINUTES", 10)
# How often the worker (or Celery beat) looks for alerts to escalate.
OPERATIONS_ESCALATION_POLL_SECONDS = envint("OPERATIONS_ESCALATION_POLL_SECONDS", 30)
# How long an acknowledgement holds the alert for its operator (every step renews it).
OPERATIONS_CLAIM_MINUTES = envint("OPERATIONS_CLAIM_MINUTES", 15)
OPERATIONS_DEFAULT_SEVERITY = envint("OPERATIONS_DEFAULT_SEVERITY", 3)
# Severity of alerts filed in a category without one of their own (citizens' reports); by category code.
OPERATIONS_CATEGORY_SEVERITY: dict[str, int] = {}
# Alerts this close in space and time are suggested for merging.
OPERATIONS_MERGE_RADIUS_METERS = envint("OPERATIONS_MERGE_RADIUS_METERS", 500)
OPERATIONS_MERGE_WINDOW_MINUTES = envint("OPERATIONS_MERGE_WINDOW_MINUTES", 60)
# A reconnecting board that missed more events than this reloads instead of replaying them.
OPERATIONS_CATCHUP_LIMIT = envint("OPERATIONS_CATCHUP_LIMIT", 500)
# The operators' shift view counts from the latest of these local hours.
OPERATIONS_SHIFT_START_HOURS = [int(hour) for hour in envlist("OPERATIONS_SHIFT_START_HOURS", ["6", "14", "22"])]
# CAP 1.2: the category mapping rules and geocodes (data file), and who we are in the public feed.
OPERATIONS_CAP_RULES_FILE = Path(os.environ.get("OPERATIONS_CAP_RULES_FILE") or JURISDICTION_DATA_DIR / "cap_rules.json")
OPERATIONS_CAP_SENDER = envstr("OPERATIONS_CAP_SENDER", "operaciones@311.gob.pa")
OPERATIONS_CAP_MAX_BYTES = envint("OPERATIONS_CAP_MAX_BYTES", 512 * 1024)
# --- Operations: metrics, structured logs, production topology (docs/deploy.md) -----------------
# Prometheus metrics at /metrics (request latency by view, registered gauges, Celery task failures).
# With METRICS_TOKEN set, scrapers must send "Authorization: Bearer <token>".
METRICS_ENABLED = envbool("METRICS_ENABLED", True)
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
if METRICS_ENABLED:
    MIDDLEWARE.insert(0, "ventanilla.metrics.MetricsMiddleware")
# LOG_FORMAT=json: one JSON object per log record, for log collectors.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
if LOG_FORMAT == "json":
    from ventanilla.logformat import with_json_format

    LOGGING = with_json_format(LOGGING)

# Attachments on S3-compatible object storage (django-storages) when STORAGE_BACKEND=s3; local files
# under MEDIA_ROOT stay the embedded default. Credentials come from AWS_ACCESS_KEY_ID /
# AWS_SECRET_ACCESS_KEY (or the machine's role); files are private and served through the app's views.
STORAGE_BACKEND = os.environ.get("STORAGE_BACKEND", "local")
if STORAGE_BACKEND == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": envstr("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
elif STORAGE_BACKEND != "local":
    raise ImproperlyConfigured("STORAGE_BACKEND must be 'local' or 's3'.")

# A streaming read replica for exports, published figures and open data (ventanilla/dbrouter.py). Reads
# fall back to the primary when it is down or lags more than REPLICA_MAX_LAG_SECONDS.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
REPLICA_MAX_LAG_SECONDS = float(os.environ.get("REPLICA_MAX_LAG_SECONDS", "30"))
REPLICA_CHECK_SECONDS = float(os.environ.get("REPLICA_CHECK_SECONDS", "5"))
DATABASE_ROUTERS = ["ventanilla.dbrouter.ReplicaRouter"]
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = pooled(dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=envint("DB_CONN_MAX_AGE", 0)))
    # Tests point the replica at the test database itself unless they build a real one.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
