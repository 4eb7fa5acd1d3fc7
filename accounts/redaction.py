"""Keep secrets and phone numbers out of the logs.

``redact(text)`` masks, wherever they appear in a log line:

- Indonesian phone numbers (``08…``, ``62…``, ``+62 …``) -> ``62812****7890`` (``accounts.phone.mask_phone``);
- bearer/basic credentials, ``token=``/``password=``/``signature=``… values in URLs and forms, the same
  keys in JSON, password-reset tokens in ``/reset/<uid>/<token>/`` paths, and Meta access tokens
  (``EAA…``);
- the literal values of the settings named in ``SKSENTRA_LOG_REDACT_SETTINGS`` (secret key, SMTP and
  S3 passwords, WhatsApp token and secrets).

``RedactingFilter`` applies it to every record a logging handler emits (Django's ``LOGGING`` puts it on
the console handler); ``workflow_project.gunicorn_conf`` applies it to gunicorn's access log.
This module imports nothing from Django's ORM, so gunicorn's master process can load it.
"""

from __future__ import annotations

import logging
import re

from .phone import mask_phone

REDACTED = "[REDACTED]"

_PHONE = re.compile(r"(?<![\w+])(?:\+?62[ \-]?|0)([2-9](?:[ \-]?\d){7,12})(?![\w])(?!-\w)")
_PATTERNS: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{6,}"), rf"\1 {REDACTED}"),
    (re.compile(r"(?i)(authorization[\"']?\s*[:=]\s*[\"']?)(?!bearer\b|basic\b)[^\s\"',}]+"), rf"\1{REDACTED}"),
    (
        re.compile(
            r"(?i)((?:^|[?&;\s])(?:access_token|token|api_key|apikey|key|secret|app_secret|password|passwd|pwd"
            r"|signature|sig|x-amz-signature|x-amz-credential|x-amz-security-token|hub\.verify_token|verify_token"
            r"|code)=)[^&\s'\"<>]+"
        ),
        rf"\1{REDACTED}",
    ),
    (
        re.compile(
            r"(?i)([\"'](?:access_token|token|password|secret|app_secret|verify_token|authorization|api_key)[\"']"
            r"\s*:\s*[\"'])[^\"']*"
        ),
        rf"\1{REDACTED}",
    ),
    (re.compile(r"(/reset/[A-Za-z0-9_-]+/)(?!set-password/)[A-Za-z0-9-]+(?=/|$|\s|\?)"), rf"\1{REDACTED}"),
    (re.compile(r"\bEAA[A-Za-z0-9]{20,}"), REDACTED),
)

DEFAULT_SECRET_SETTINGS = (
    "SECRET_KEY",
    "EMAIL_HOST_PASSWORD",
    "SKSENTRA_S3_SECRET_ACCESS_KEY",
    "WHATSAPP_TOKEN",
    "WHATSAPP_APP_SECRET",
    "WHATSAPP_VERIFY_TOKEN",
)


def _mask_phone_match(match: re.Match) -> str:
    digits = re.sub(r"\D", "", match.group(1))
    return mask_phone("62" + digits)


def _configured_secrets() -> tuple[str, ...]:
    """Values of the secret settings, longest first; empty when Django is not configured (gunicorn master)."""
    try:
        from django.conf import settings

        if not settings.configured:
            return ()
        names = getattr(settings, "SKSENTRA_LOG_REDACT_SETTINGS", DEFAULT_SECRET_SETTINGS)
        values = {str(getattr(settings, name, "") or "") for name in names}
    except Exception:  # logging must never fail because of redaction
        return ()
    return tuple(sorted((v for v in values if len(v) >= 6), key=len, reverse=True))


def redact(text: str, *, secrets: tuple[str, ...] | None = None) -> str:
    """``text`` with phone numbers masked and tokens/passwords replaced by ``[REDACTED]``."""
    if not text:
        return text
    for secret in _configured_secrets() if secrets is None else secrets:
        text = text.replace(secret, REDACTED)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return _PHONE.sub(_mask_phone_match, text)


class RedactingFilter(logging.Filter):
    """A handler filter that rewrites each record's message (and traceback) through ``redact``."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave it to the handler to report
            return True
        record.msg, record.args = redact(message), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


_factory_installed = False


def install_record_factory() -> None:
    """Redact the message of every log record when it is created, whichever handler emits it.

    Celery's worker and beat install their own handlers, so a handler filter alone would miss their
    output; a record factory covers every process that loads Django (``AccountsConfig.ready``).
    Tracebacks are formatted later, by the handler: ``RedactingFilter`` covers those on Django's
    console handler. Idempotent.
    """
    global _factory_installed
    if _factory_installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args, **kwargs):
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave it to the handler to report
            return record
        record.msg, record.args = redact(message), ()
        return record

    logging.setLogRecordFactory(factory)
    _factory_installed = True
