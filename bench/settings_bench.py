"""Settings for bench/inbox.py's page-weight run: production-like static files (hashed names,
pre-compressed, served by WhiteNoise with long cache lifetimes) and the bench URLconf."""

import os
import tempfile

os.environ.setdefault("DJANGO_STATIC_MANIFEST", "1")
os.environ.setdefault("DJANGO_STATIC_ROOT", tempfile.mkdtemp(prefix="sksentra-bench-static-"))

from workflow_project.settings_test import *  # noqa: E402,F401,F403

ROOT_URLCONF = "bench.inbox_urls"
DEBUG = False
STATIC_ROOT = os.environ["DJANGO_STATIC_ROOT"]  # settings_test replaces it with a fresh temporary directory
