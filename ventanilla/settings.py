"""Ventanilla settings: one module, every deployment difference comes from the environment.

Safe defaults exist only when DEBUG is on (the embedded `make demo` set-up); a production deployment
that forgets SECRET_KEY or ALLOWED_HOSTS fails at start-up instead of running insecurely.
"""

from __future__ import annotations

import os
import sys
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
    "entities",
    "cases",
    "catalog",
    "notifications",
    "open311",
    "api",
    "portal",
    "backoffice",
    "transparency",
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
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
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
elif TESTING:
    # Several checkouts may run the suite on one PostgreSQL server at once (developers' worktrees, CI):
    # each run gets test databases of its own. pytest-xdist adds the worker suffix to this name.
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{os.getpid()}"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, jobs and live updates ---------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [REDIS_URL]}}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Without a broker (the embedded default) tasks run in-process, synchronously, so nothing is lost.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "America/Panama"
CELERY_BEAT_SCHEDULE: dict = {}

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
STATIC_ROOT = BASE_DIR / "staticfiles"
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

# --- Security -----------------------------------------------------------------------------------
SESSION_COOKIE_SECURE = not DEBUG and not TESTING and envbool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if envbool("BEHIND_PROXY", False) else None

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
}

# --- Logging: never personal data (see docs/privacy.md) ----------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
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
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = os.environ.get(
    "MAP_TILE_ATTRIBUTION", '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
)

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ventanilla@localhost")

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
    DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=envint("DB_CONN_MAX_AGE", 0))
    # Tests point the replica at the test database itself unless they build a real one.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
