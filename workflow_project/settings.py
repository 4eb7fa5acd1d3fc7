"""SK Sentra settings: one module, everything configurable from the environment.

Every variable read here is documented in ``.env.example``. The embedded default (``python3 run.py``:
``SKSENTRA_EMBEDDED=1``, no other variable) runs on SQLite with a file-system Celery broker over plain
HTTP, with ``DEBUG`` off so that visitors see the app's own error pages; ``DJANGO_DEBUG=1`` is for a
developer's machine. Production sets ``DATABASE_URL``, ``REDIS_URL`` and ``DJANGO_SECRET_KEY`` and gets
the secure defaults below.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("SKSENTRA_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# The embedded demo on one machine (run.py): no secret key to set, plain HTTP on 127.0.0.1, emails to files,
# static files found in the apps; but DEBUG stays off (no technical 404 listing every URL pattern).
EMBEDDED = env.bool("SKSENTRA_EMBEDDED", default=False)
LOCAL = DEBUG or EMBEDDED

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not LOCAL:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Production refuses to start without a secret key; "
            "set DJANGO_DEBUG=1 (or SKSENTRA_EMBEDDED=1) only on a development machine."
        )
    SECRET_KEY = "insecure-development-key-only-used-with-DJANGO_DEBUG"

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if LOCAL else [])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# Absolute base URL used in links that leave the web request (emails, WhatsApp).
SKSENTRA_BASE_URL = env.str("SKSENTRA_BASE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "workflow_project.apps.SentraStaticFilesConfig",  # django.contrib.staticfiles minus vendored node_modules
    "django.contrib.humanize",
    "django_filters",
    "simple_history",
    "viewflow",
    "viewflow.workflow",
    "django_otp",  # two-factor sign-in (accounts.two_factor): TOTP devices and backup codes
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "accounts",
    "workdays",
    "sentra",
    "produk_hukum",
    "flows",
    "notifications",
    "audit",
    "oversight",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # the documentation page's own static assets (no CDN)
    "api",
]

MIDDLEWARE = [
    "workflow_project.health.HealthCheckMiddleware",  # /healthz/ for probes: before host checks and HTTPS redirect
    "django.middleware.security.SecurityMiddleware",
    "workflow_project.compression.HtmlGZipMiddleware",  # pages only; static files are pre-compressed
    "accounts.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "accounts.middleware.RequestSizeLimitMiddleware",  # before anything reads the body (CSRF reads POST)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "core.middleware.IdRangeMiddleware",  # ids beyond 64 bits in a URL: 404 before any query
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): a second factor given this session
    "audit.context.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionTimeoutMiddleware",
    "accounts.two_factor.TwoFactorMiddleware",  # until verified, a user who must (or can) give a code reaches only /accounts/2fa/ and logout
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "accounts.middleware.ReadOnlyAuditorMiddleware",
    "workflow_project.middleware.LoginFirstMiddleware",  # before SiteMiddleware, which answers anonymous visitors 403
    "viewflow.middleware.SiteMiddleware",
    "viewflow.middleware.HotwireTurboMiddleware",
    "core.middleware.RefusedFormStatusMiddleware",  # a refused form answers 422, which Turbo renders
]

ROOT_URLCONF = "workflow_project.urls"
WSGI_APPLICATION = "workflow_project.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # Several processes (web, worker, beat) share the file: wait for a writer instead of failing, and
    # take the write lock when a transaction begins (a read lock upgraded later deadlocks at once).
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Indonesian first; English can follow through gettext.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Makassar"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.str("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = env.str("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("DJANGO_STATIC_MANIFEST", default=not LOCAL)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# The embedded mode serves static files straight from the apps (no collectstatic), as DEBUG does.
WHITENOISE_USE_FINDERS = LOCAL
# Uploaded files: local disk (MEDIA_ROOT) by default; an S3-compatible bucket when DJANGO_S3_BUCKET is
# set, so that several web nodes and workers on several machines see the same files. Files stay
# private: downloads go through the app's region-scoped views, never to a public bucket URL.
SKSENTRA_S3_BUCKET = env.str("DJANGO_S3_BUCKET", default="")
SKSENTRA_S3_SECRET_ACCESS_KEY = env.str("DJANGO_S3_SECRET_ACCESS_KEY", default="")
if SKSENTRA_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": SKSENTRA_S3_BUCKET,
            "endpoint_url": env.str("DJANGO_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("DJANGO_S3_REGION", default="") or None,
            # Empty keys: boto3 finds credentials itself (AWS_* variables, instance role).
            "access_key": env.str("DJANGO_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": SKSENTRA_S3_SECRET_ACCESS_KEY or None,
            "location": env.str("DJANGO_S3_PREFIX", default="media"),
            "addressing_style": env.str("DJANGO_S3_ADDRESSING_STYLE", default="path"),
            "signature_version": "s3v4",
            "default_acl": None,  # the bucket's own policy (keep it private)
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# Uploads: documents are PDFs checked by content; the limit is enforced by the app, not the proxy.
SKSENTRA_MAX_UPLOAD_BYTES = env.int("SKSENTRA_MAX_UPLOAD_MB", default=10) * 1024 * 1024
# Rows of one census import (sentra.census): a larger file is refused with a message.
SKSENTRA_CENSUS_MAX_ROWS = env.int("SKSENTRA_CENSUS_MAX_ROWS", default=20_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Every file handed to FileSystemStorage ends up readable by the app only.
FILE_UPLOAD_PERMISSIONS = 0o640
# Each file is cut off just past SKSENTRA_MAX_UPLOAD_BYTES while it streams in (the form then refuses
# it), and a whole request larger than this is refused with 413 before it is read: all the documents
# of one proposal together.
FILE_UPLOAD_HANDLERS = [
    "accounts.uploads.SizeCappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
SKSENTRA_MAX_REQUEST_BYTES = env.int("SKSENTRA_MAX_REQUEST_MB", default=150) * 1024 * 1024

# Redis serves as Celery broker and cache when configured; otherwise everything stays in-process.
REDIS_URL = env.str("REDIS_URL", default="")
# The cache holds nothing that cannot be read again: with Redis down it answers as a miss (core.cache), and
# a call waits at most SKSENTRA_CACHE_TIMEOUT_SECONDS for a Redis that hangs.
SKSENTRA_CACHE_TIMEOUT_SECONDS = env.float("SKSENTRA_CACHE_TIMEOUT_SECONDS", default=1.0)
if REDIS_URL:
    CACHES = {"default": {
        "BACKEND": "core.cache.FailSafeRedisCache", "LOCATION": REDIS_URL,
        "OPTIONS": {"socket_connect_timeout": SKSENTRA_CACHE_TIMEOUT_SECONDS,
                    "socket_timeout": SKSENTRA_CACHE_TIMEOUT_SECONDS},
    }}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "celery-broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "out"),
        "data_folder_out": str(_broker_dir / "out"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
    }
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

EMAIL_BACKEND = env.str(
    "DJANGO_EMAIL_BACKEND",
    default=(
        "django.core.mail.backends.filebased.EmailBackend"
        if LOCAL
        else "django.core.mail.backends.smtp.EmailBackend"
    ),
)
EMAIL_FILE_PATH = str(VAR_DIR / "sent-emails")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="SK Sentra <no-reply@sksentra.local>")

# Security. In production (DEBUG off) everything goes over HTTPS behind a TLS-terminating proxy.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not LOCAL)
SESSION_COOKIE_SECURE = not LOCAL
CSRF_COOKIE_SECURE = not LOCAL
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if LOCAL else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not LOCAL
SECURE_HSTS_PRELOAD = not LOCAL
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # no script of ours reads it; forms carry the token
# A working day from login, never extended by activity: officials log in again the next morning.
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_COOKIE_AGE", default=9 * 60 * 60)
# ... and a login left untouched this long ends (accounts.sessions, accounts.middleware).
SKSENTRA_SESSION_IDLE_MINUTES = env.int("SKSENTRA_SESSION_IDLE_MINUTES", default=30)
# Sessions are read from the cache and kept in the database (accounts.session_store, Django's cached_db):
# every request reads its session, which costs no SQL statement when the copy is in the cache (Redis,
# shared by every web process; locmem in the embedded mode, whose one runserver process is the only
# reader). The database stays the store of record: every write goes there first, a miss is answered
# from it, accounts.sessions ends a deactivated user's sessions there and in the cache. When Redis is
# down the store falls back to the database (logged), never a 500.
SESSION_ENGINE = "accounts.session_store"

# Login throttling per (username, IP), never per IP alone: offices share one NAT address.
# The flow permissions come from the step table (no permission-table reads); the rest from Django.
AUTHENTICATION_BACKENDS = ["flows.auth.RolePermissionBackend"]
SKSENTRA_LOGIN_MAX_FAILURES = env.int("SKSENTRA_LOGIN_MAX_FAILURES", default=5)
SKSENTRA_LOGIN_COOLOFF_MINUTES = env.int("SKSENTRA_LOGIN_COOLOFF_MINUTES", default=15)
# Reverse proxies in front of the app that append the client's address to X-Forwarded-For (1 for
# nginx/Caddy in front of the compose stack); 0 trusts only the TCP peer (REMOTE_ADDR).
SKSENTRA_TRUSTED_PROXY_COUNT = env.int("SKSENTRA_TRUSTED_PROXY_COUNT", default=0)

# Two-factor sign-in (accounts.two_factor): required of kepala_daerah, bagian_hukum, pencatat_provinsi,
# staff and superusers when on (production default); off in the embedded demo and on a developer's
# machine, where the demo logins keep working and anyone may still enrol at /accounts/2fa/.
SKSENTRA_2FA_REQUIRED = env.bool("SKSENTRA_2FA_REQUIRED", default=not LOCAL)
OTP_TOTP_ISSUER = "SK Sentra"
# Wrong codes are throttled by accounts.two_factor (the login throttle's store, one Indonesian message);
# django-otp's own per-device delays would refuse a right code silently, so they are off.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
# The admin never shows a user's TOTP secret or QR code.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Content-Security-Policy (accounts.middleware): scripts, fonts and images from this site only; inline
# styles stay allowed (viewflow's templates and web components use them). Empty variable = this policy.
SKSENTRA_CONTENT_SECURITY_POLICY = env.str("SKSENTRA_CONTENT_SECURITY_POLICY", default="") or (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

# The province whose pencatat_provinsi records SKs (Kemendagri code).
SKSENTRA_PROVINCE_CODE = env.str("SKSENTRA_PROVINCE_CODE", default="72")
# The daily audit-chain check appends the verified chain head here (audit.anchor): in production a
# mount the database role cannot rewrite (see docs/operations.md).
SKSENTRA_AUDIT_ANCHOR_DIR = env.str("SKSENTRA_AUDIT_ANCHOR_DIR", default=str(VAR_DIR / "audit-anchors"))
# Public SK verification (/verifikasi/, no login): requests per minute from one client address.
SKSENTRA_VERIFY_MAX_PER_MINUTE = env.int("SKSENTRA_VERIFY_MAX_PER_MINUTE", default=30)

# Logs never carry tokens, passwords or full phone numbers: every record is redacted on its way out
# (accounts.redaction), including the literal values of these settings.
SKSENTRA_LOG_REDACT_SETTINGS = [
    "SECRET_KEY", "EMAIL_HOST_PASSWORD", "SKSENTRA_S3_SECRET_ACCESS_KEY",
    "WHATSAPP_TOKEN", "WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN",
]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "accounts.redaction.RedactingFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
}

# --- Deadlines and notifications --------------------------------------------------------------
import datetime as _dt  # noqa: E402

from celery.schedules import crontab as _crontab  # noqa: E402

# Office hours in each recipient's own time zone (Perpres 21/2023: government work starts 07:30).
SKSENTRA_OFFICE_START = _dt.time.fromisoformat(env.str("SKSENTRA_OFFICE_START", default="07:30"))
SKSENTRA_OFFICE_END = _dt.time.fromisoformat(env.str("SKSENTRA_OFFICE_END", default="16:00"))
# Deliver only within office hours (off only for a pilot or for tests that run at any hour).
SKSENTRA_OFFICE_HOURS_ENFORCED = env.bool("SKSENTRA_OFFICE_HOURS_ENFORCED", default=True)
# Seconds after which an interrupted send is presumed dead and may be repeated (flagged).
SKSENTRA_SEND_LEASE_SECONDS = env.int("SKSENTRA_SEND_LEASE_SECONDS", default=90)
# Default deadline of an official's step in working days (UU 30/2014 art. 53) and escalation.
SKSENTRA_DEFAULT_DEADLINE_DAYS = env.int("SKSENTRA_DEFAULT_DEADLINE_DAYS", default=5)
SKSENTRA_DEFAULT_ESCALATE_AFTER = env.int("SKSENTRA_DEFAULT_ESCALATE_AFTER", default=3)
# The pengelola's periodic reports (flows.laporan): the length of a period in months (6: semesters
# January-June and July-December; 3: quarters; 12: years; a divisor of 12), the working days after a
# period ends by which its report is due, the working days the Disperindag has to review it, and
# the limits of a photo (bytes of the upload, pixels of the image, photos per report).
SKSENTRA_REPORT_PERIOD_MONTHS = env.int("SKSENTRA_REPORT_PERIOD_MONTHS", default=6)
SKSENTRA_REPORT_DUE_WORKING_DAYS = env.int("SKSENTRA_REPORT_DUE_WORKING_DAYS", default=10)
SKSENTRA_REPORT_PHOTO_MAX_BYTES = env.int("SKSENTRA_REPORT_PHOTO_MAX_BYTES", default=5_000_000)
SKSENTRA_REPORT_PHOTO_MAX_PIXELS = env.int("SKSENTRA_REPORT_PHOTO_MAX_PIXELS", default=40_000_000)
SKSENTRA_REPORT_MAX_PHOTOS = env.int("SKSENTRA_REPORT_MAX_PHOTOS", default=10)

# WhatsApp Cloud API (Meta). The provider class can be swapped for a BSP.
WHATSAPP_ENABLED = env.bool("WHATSAPP_ENABLED", default=False)
WHATSAPP_PROVIDER = env.str("WHATSAPP_PROVIDER", default="notifications.whatsapp.MetaCloudProvider")
WHATSAPP_API_BASE_URL = env.str("WHATSAPP_API_BASE_URL", default="https://graph.facebook.com")
WHATSAPP_API_VERSION = env.str("WHATSAPP_API_VERSION", default="v23.0")
WHATSAPP_PHONE_NUMBER_ID = env.str("WHATSAPP_PHONE_NUMBER_ID", default="")
WHATSAPP_TOKEN = env.str("WHATSAPP_TOKEN", default="")
WHATSAPP_APP_SECRET = env.str("WHATSAPP_APP_SECRET", default="")
WHATSAPP_VERIFY_TOKEN = env.str("WHATSAPP_VERIFY_TOKEN", default="")
WHATSAPP_TIMEOUT_SECONDS = env.float("WHATSAPP_TIMEOUT_SECONDS", default=15)
# Meta's default throughput is 80 messages/second per number; stay below it across all workers.
WHATSAPP_MAX_PER_SECOND = env.int("WHATSAPP_MAX_PER_SECOND", default=70)

CELERY_BEAT_SCHEDULE = {
    "flows-reminders": {"task": "flows.tasks.reminders_sweep", "schedule": 60.0, "options": {"expires": 55}},
    "notifications-sweep": {"task": "notifications.tasks.sweep", "schedule": 60.0, "options": {"expires": 55}},
    # Reports: the deadline reminders each minute (like the tasks'), the periods opened daily at 01:00 WITA.
    "flows-report-reminders": {"task": "flows.tasks.report_reminders_sweep", "schedule": 60.0, "options": {"expires": 55}},
    "flows-report-periods": {"task": "flows.tasks.report_periods_open", "schedule": _crontab(hour=1, minute=0)},
    # Daily at 02:00 WITA: recompute the audit hash chain, alert the operators if it is broken.
    "audit-verify-chain": {"task": "oversight.tasks.verify_chain", "schedule": _crontab(hour=2, minute=0)},
    # Webhooks the broker never took (an outage at recording time, a lost retry): made and sent again.
    "api-webhook-sweep": {"task": "api.tasks.webhook_sweep", "schedule": 120.0, "options": {"expires": 110}},
    # Service levels: the working-day duration of each task finished since the last run (oversight.service_levels).
    "oversight-step-durations": {"task": "oversight.tasks.step_durations_record", "schedule": 300.0,
                                 "options": {"expires": 290}},
    # Daily at 00:05 WITA: Plt./Plh. grants start and end (audit events acting_grant_start/_end).
    "flows-acting-grants": {"task": "flows.tasks.acting_grants_sweep", "schedule": _crontab(hour=0, minute=5)},
    # Daily at 06:00 WITA: DAK asset agreements approaching their end (messages leave in office hours).
    "asset-agreements-remind": {"task": "flows.tasks.asset_agreements_remind", "schedule": _crontab(hour=6, minute=0)},
    # Daily at 07:00 WITA: reminders of the end of the pengurus' term (90 and 30 days before, and the day).
    "flows-term-reminders": {"task": "flows.tasks.term_reminders_send", "schedule": _crontab(hour=7, minute=0)},
}

# DAK asset agreements (sewa, KSP, pinjam pakai): shown on the province dashboard when they end within
# the warning window; reminded once per threshold (days before the end) to BPKAD and the Disperindag.
SKSENTRA_ASSET_AGREEMENT_WARN_DAYS = env.int("SKSENTRA_ASSET_AGREEMENT_WARN_DAYS", default=90)
SKSENTRA_ASSET_AGREEMENT_THRESHOLDS = tuple(
    int(days) for days in env.list("SKSENTRA_ASSET_AGREEMENT_THRESHOLDS", default=["90", "30", "7"])
)

# The REST API (api/): tokens or the site's session, problem details, cursor pages, rate limits per token.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.TokenAuthentication", "api.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.HasScope"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer", "api.problems.ProblemJSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": env.str("SKSENTRA_API_RATE", default="600/min")},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.problems.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_VERSIONING_CLASS": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SK Sentra API",
    "DESCRIPTION": "Register SK pengelola Sentra IKM Sulawesi Tengah, usulan, dan kotak masuk pejabat.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}
