"""Errors as RFC 9457 problem details (``application/problem+json``), titles and details in Indonesian."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from core.errors import RuleViolation

PROBLEM_TYPE = "about:blank"


class ProblemJSONRenderer(JSONRenderer):
    media_type = "application/problem+json"
    format = "problem+json"


def _titles():
    return {
        400: _("Permintaan tidak valid"),
        401: _("Belum diautentikasi"),
        403: _("Akses ditolak"),
        404: _("Tidak ditemukan"),
        405: _("Metode tidak diizinkan"),
        406: _("Format tidak dapat disediakan"),
        409: _("Konflik"),
        413: _("Permintaan terlalu besar"),
        415: _("Jenis isi tidak didukung"),
        422: _("Data tidak dapat diproses"),
        428: _("Header wajib tidak ada"),
        429: _("Terlalu banyak permintaan"),
    }


def _details():
    return {
        exceptions.ParseError: _("Isi permintaan bukan JSON yang valid."),
        exceptions.NotAuthenticated: _("Kirim token (Authorization: Bearer <token>) atau masuk ke situs."),
        exceptions.PermissionDenied: _("Anda tidak berhak melakukan ini."),
        exceptions.NotFound: _("Data yang diminta tidak ada atau di luar wilayah Anda."),
        exceptions.MethodNotAllowed: _("Metode ini tidak tersedia untuk alamat ini."),
        exceptions.NotAcceptable: _("Format yang diminta tidak tersedia; gunakan application/json."),
        exceptions.UnsupportedMediaType: _("Kirim application/json atau multipart/form-data."),
    }


def problem(status_code: int, detail: str, *, title: str | None = None, errors=None, headers=None, **extra) -> Response:
    body = {"type": PROBLEM_TYPE, "title": title or _titles().get(status_code, _("Kesalahan")), "status": status_code,
            "detail": str(detail)}
    if errors:
        body["errors"] = errors
    body.update(extra)
    response = Response(body, status=status_code, headers=headers, content_type="application/problem+json")
    return response


def problem_json(status_code: int, detail: str) -> JsonResponse:
    """A problem answered outside DRF's views (a URL of the API that matches no route)."""
    body = {"type": PROBLEM_TYPE, "title": _titles().get(status_code, _("Kesalahan")), "status": status_code,
            "detail": str(detail)}
    return JsonResponse(body, status=status_code, content_type="application/problem+json",
                        json_dumps_params={"ensure_ascii": False})


def exception_handler(exc, context):
    """DRF's errors, Django's 404/403 and the services' rule violations, as problem details."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, RuleViolation):
        field = exc.field or "non_field_errors"
        return problem(422, exc.messages[0], errors={field: list(exc.messages)})
    if not isinstance(exc, exceptions.APIException):
        return None
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        return problem(422, _("Periksa kembali data yang dikirim."), errors=errors, headers=headers)
    if isinstance(exc, exceptions.Throttled):
        return problem(429, _("Batas permintaan token ini terlampaui; coba lagi setelah %(s)s detik.")
                       % {"s": int(exc.wait or 1)}, headers=headers)
    detail = None
    for cls, text in _details().items():
        if type(exc) is cls:
            detail = text
    if type(exc) is exceptions.ParseError and exc.detail != exceptions.ParseError.default_detail \
            and not str(exc.detail).startswith("JSON parse error"):
        detail = exc.detail  # our own parser's message (already Indonesian)
    if detail is None:
        detail = exc.detail if isinstance(exc.detail, str) else _("Permintaan tidak dapat diproses.")
    if isinstance(exc, exceptions.AuthenticationFailed):
        detail = exc.detail
    code = exc.status_code
    if code == status.HTTP_403_FORBIDDEN and isinstance(exc.detail, str) and type(exc) is exceptions.PermissionDenied:
        detail = exc.detail if exc.detail != exceptions.PermissionDenied.default_detail else detail
    return problem(code, detail, headers=headers)
