"""Settings for the test suite: the production module with test-only secrets and fast hashing.

The database comes from ``DATABASE_URL`` like everywhere else (CI sets PostgreSQL); without it the
suite runs on SQLite, and the tests that need PostgreSQL's row locks say so and are skipped.
"""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-used-anywhere-else-0123456789abcdef")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_STATIC_MANIFEST", "0")
os.environ.setdefault("SKSENTRA_VAR_DIR", tempfile.mkdtemp(prefix="sksentra-test-var-"))

from .settings import *  # noqa: E402,F401,F403

ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Integration tests point the worker at a real SMTP server on loopback; unit tests keep mail in memory.
EMAIL_BACKEND = os.environ.get("SKSENTRA_TEST_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
MEDIA_ROOT = tempfile.mkdtemp(prefix="sksentra-test-media-")
SKSENTRA_MAX_UPLOAD_BYTES = 2 * 1024 * 1024
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
STATIC_ROOT = tempfile.mkdtemp(prefix="sksentra-test-static-")
CELERY_BROKER_URL = os.environ.get("SKSENTRA_TEST_BROKER_URL", "memory://")
if CELERY_BROKER_URL.startswith("redis"):
    # Short, so that a test can show a killed worker's message coming back.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": int(os.environ.get("SKSENTRA_TEST_VISIBILITY_TIMEOUT", "3600"))}
# Two-factor sign-in stays off: the suite logs officials in with force_login; the two-factor tests
# (tests/accounts/test_two_factor.py) turn it on with override_settings.
SKSENTRA_2FA_REQUIRED = False
