"""WhatsApp through Meta's Cloud API, behind a provider interface (a BSP such as Qontak can be added).

Follows the contract in the steering repo (``contracts/whatsapp-cloud-api``): template messages only
(reminders reach officials outside the 24-hour window), error handling by ``error.code``, webhook
signatures with the app secret, statuses once per (message, status).
"""

import datetime as dt
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

from accounts.phone import mask_phone

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Template:
    """One of our approved templates (category UTILITY, language ``id``) and its parameters per component."""

    name: str
    body_params: tuple[str, ...]
    language: str = "id"


# Registry of our templates. The names and parameter counts must match what is approved in Meta's
# WhatsApp Manager; the body texts there read, e.g. for sksentra_tugas_baru:
#   "Tugas baru di SK Sentra: {{1}} untuk {{2}} ({{3}}). Batas waktu: {{4}}. Buka: {{5}}"
TEMPLATES: dict[str, Template] = {
    "task_created": Template("sksentra_tugas_baru", ("task", "pengelola", "region", "due", "url")),
    "due_soon": Template("sksentra_pengingat_besok", ("task", "pengelola", "region", "due", "url")),
    "due_today": Template("sksentra_pengingat_hari_ini", ("task", "pengelola", "region", "due", "url")),
    "overdue": Template("sksentra_terlambat", ("task", "pengelola", "region", "days_overdue", "url")),
    "escalation": Template("sksentra_eskalasi", ("task", "pengelola", "region", "days_overdue", "owner")),
    "digest": Template("sksentra_ringkasan_harian", ("count", "summary", "url")),
    # "Tugas {{1}} untuk {{2}} ({{3}}) {{4}}. Catatan: {{5}}. Buka: {{6}}" ({{4}}: "dialihkan kepada Anda dari …"
    # or "dialihkan dari Anda kepada …")
    "task_reassigned": Template("sksentra_tugas_dialihkan", ("task", "pengelola", "region", "moved", "note", "url")),
}


class ErrorClass:
    TRANSIENT = "transient"  # retry with backoff
    RECIPIENT_BACKOFF = "recipient_backoff"  # retry later, for this recipient only
    PERMANENT = "permanent"  # do not retry; fall back to email
    CHANNEL = "channel"  # stop WhatsApp sends and alert the operators


_CLASSES = {
    ErrorClass.TRANSIENT: {1, 2, 131000, 130429, 4, 80007},
    ErrorClass.RECIPIENT_BACKOFF: {131056},
    ErrorClass.PERMANENT: {131026, 131047, 131049, 132000, 132001, 132012, 132005, 132007},
    ErrorClass.CHANNEL: {190, 132015, 132016, 131048, 368, 130497},
}


def classify(code: int | None) -> str:
    """How to react to a Cloud API error code (not the HTTP status). Unknown codes are retried."""
    for error_class, codes in _CLASSES.items():
        if code in codes:
            return error_class
    return ErrorClass.TRANSIENT


class ProviderError(Exception):
    def __init__(self, message: str, *, code: int | None = None, error_class: str = ErrorClass.TRANSIENT):
        super().__init__(message)
        self.code = code
        self.error_class = error_class


class WhatsAppProvider:
    """What a WhatsApp provider must do for us: send a template message, return the message id."""

    def send_template(self, *, to: str, template: Template, params: dict, callback_data: str) -> str:
        raise NotImplementedError


def template_payload(*, to: str, template: Template, params: dict, callback_data: str) -> dict:
    """The Cloud API request body for ``template`` with its body parameters, in registry order."""
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "template",
        "template": {
            "name": template.name,
            "language": {"code": template.language},
            "components": [
                {
                    "type": "body",
                    "parameters": [
                        # Template parameters may not contain newlines or long runs of spaces.
                        {"type": "text", "text": " ".join(str(params.get(p, "-")).split())[:1024] or "-"}
                        for p in template.body_params
                    ],
                }
            ],
        },
        "biz_opaque_callback_data": callback_data[:512],
    }


class MetaCloudProvider(WhatsAppProvider):
    """Meta's WhatsApp Cloud API: POST {base}/{version}/{phone_number_id}/messages."""

    def __init__(self):
        self.base_url = settings.WHATSAPP_API_BASE_URL.rstrip("/")
        self.version = settings.WHATSAPP_API_VERSION
        self.phone_number_id = settings.WHATSAPP_PHONE_NUMBER_ID
        self.token = settings.WHATSAPP_TOKEN
        self.timeout = settings.WHATSAPP_TIMEOUT_SECONDS

    def send_template(self, *, to: str, template: Template, params: dict, callback_data: str) -> str:
        if not (self.token and self.phone_number_id):
            raise ProviderError("WhatsApp belum dikonfigurasi (token/phone number id kosong)", error_class=ErrorClass.CHANNEL)
        body = json.dumps(template_payload(to=to, template=template, params=params, callback_data=callback_data))
        request = urllib.request.Request(
            f"{self.base_url}/{self.version}/{self.phone_number_id}/messages",
            data=body.encode(),
            method="POST",
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            try:
                error = json.loads(exc.read() or b"{}").get("error", {})
            except ValueError:
                error = {}
            code = error.get("code")
            raise ProviderError(
                f"Cloud API {exc.code}: kode {code}: {error.get('message', '')}"[:500],
                code=code,
                error_class=classify(code),
            ) from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise ProviderError(f"Cloud API tidak terjangkau: {exc}"[:500]) from exc
        try:
            wamid = answer["messages"][0]["id"]
        except (KeyError, IndexError, TypeError) as exc:
            raise ProviderError("Jawaban Cloud API tanpa messages[0].id") from exc
        logger.info("whatsapp accepted %s for %s (%s)", wamid, mask_phone(to), template.name)
        return wamid


def provider() -> WhatsAppProvider:
    return import_string(settings.WHATSAPP_PROVIDER)()


def signature_valid(raw_body: bytes, header: str | None) -> bool:
    """``X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body with the app secret>``."""
    secret = settings.WHATSAPP_APP_SECRET
    if not secret or not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), raw_body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.removeprefix("sha256="))


class RateLimiter:
    """At most ``per_second`` sends per phone number across all workers (Redis counter per second).

    Without Redis (embedded mode) there is one worker on one machine and no limit is applied.
    """

    def __init__(self, per_second: int):
        self.per_second = per_second
        self._redis = None
        if settings.REDIS_URL:
            import redis

            self._redis = redis.Redis.from_url(settings.REDIS_URL)

    def acquire(self, key: str) -> None:
        if self._redis is None:
            return
        while True:
            second = int(time.time())
            counter = f"sksentra:wa-rate:{key}:{second}"
            pipe = self._redis.pipeline()
            pipe.incr(counter)
            pipe.expire(counter, 5)
            count, _ = pipe.execute()
            if count <= self.per_second:
                return
            time.sleep(max(0.0, second + 1 - time.time()) + 0.001)


# --- the webhook's body ----------------------------------------------------------------------------


@dataclass(frozen=True)
class StatusReport:
    """One delivery status from the webhook, checked: every field has the type the contract gives it."""

    wamid: str
    status: str
    timestamp: dt.datetime | None
    error_code: int | None
    error_title: str
    callback_data: str


def _as_list(value) -> list:
    return value if isinstance(value, list) else []


def _as_dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _timestamp(value) -> dt.datetime | None:
    try:
        seconds = int(str(value))
        if not 0 < seconds < 32503680000:  # before the year 3000
            return None
        return dt.datetime.fromtimestamp(seconds, tz=dt.timezone.utc)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _error_code(value) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    try:
        code = int(value)
    except ValueError:
        return None
    return code if -(2**31) <= code < 2**31 else None


def webhook_statuses(payload) -> list[StatusReport]:
    """The delivery statuses in a webhook body (``entry[].changes[].value.statuses[]``).

    Anything not shaped as the contract says (a string where an object belongs, a text error code, a
    timestamp out of range, a NUL character) is skipped or read as absent, never an error.
    """
    reports = []
    for entry in _as_list(_as_dict(payload).get("entry")):
        for change in _as_list(_as_dict(entry).get("changes")):
            for status in _as_list(_as_dict(_as_dict(change).get("value")).get("statuses")):
                status = _as_dict(status)
                wamid, state = status.get("id"), status.get("status")
                # NUL cannot be stored in a PostgreSQL text column: a wamid carrying one is no wamid.
                if not isinstance(wamid, str) or not isinstance(state, str) or not wamid or "\x00" in wamid:
                    continue
                error = _as_dict((_as_list(status.get("errors")) or [{}])[0])
                title = error.get("title")
                callback = status.get("biz_opaque_callback_data")
                reports.append(StatusReport(
                    wamid=wamid[:128], status=state[:20].replace("\x00", ""), timestamp=_timestamp(status.get("timestamp")),
                    error_code=_error_code(error.get("code")),
                    error_title=title.replace("\x00", "") if isinstance(title, str) else "",
                    callback_data=callback.replace("\x00", "") if isinstance(callback, str) else "",
                ))
    return reports
