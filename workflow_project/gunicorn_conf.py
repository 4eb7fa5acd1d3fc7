"""gunicorn settings for the web container (``gunicorn -c python:workflow_project.gunicorn_conf``).

Tunable from the environment (see ``.env.example``): ``GUNICORN_BIND``, ``GUNICORN_WORKERS``,
``GUNICORN_THREADS``, ``GUNICORN_TIMEOUT``. Access log lines go to stdout through
``RedactingLogger``: the path only (no query string), with tokens and phone numbers masked.
"""

import os

from gunicorn.glogging import Logger

from accounts.redaction import redact

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# Uploads of a proposal's PDFs from a slow office connection may take a while.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
# Recycle workers now and then, staggered, so a slow leak never grows.
max_requests = 1000
max_requests_jitter = 100
# Heartbeat files on tmpfs when available (a container's /tmp may sit on a slow overlay).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# No runtime control socket (gunicornc): nothing uses it, and it would be created in $HOME, which the
# image keeps read-only for the app user.
control_socket_disable = True

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# client (as forwarded by the proxy), method, path without query string, status, bytes, milliseconds
access_log_format = '%({x-forwarded-for}i)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms "%(a)s"'


class RedactingLogger(Logger):
    """gunicorn's logger with every access-log field passed through ``accounts.redaction.redact``."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: redact(value, secrets=()) if isinstance(value, str) else value for key, value in atoms.items()}


logger_class = RedactingLogger
