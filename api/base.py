"""What every API view shares: authentication, scopes, throttling, problem details, cursor pages, ETags."""

import hashlib
from datetime import date, datetime, time

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions, generics
from rest_framework.pagination import CursorPagination
from rest_framework.renderers import JSONRenderer

from .models import Scope
from .problems import ProblemJSONRenderer
from .schema import ApiAutoSchema

MAX_QUERY_VALUE = 100


class Cursor(CursorPagination):
    page_size = 50
    page_size_query_param = "jumlah"
    max_page_size = 200
    ordering = "-pk"
    cursor_query_param = "cursor"
    invalid_cursor_message = "Kursor halaman tidak valid."

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        if not (value.isascii() and value.isdigit()) or not 0 < int(value[:6]) <= self.max_page_size:
            raise exceptions.ValidationError({self.page_size_query_param: [
                _("Jumlah per halaman harus bilangan 1–%(max)d.") % {"max": self.max_page_size}]})
        return int(value)

    def decode_cursor(self, request):
        raw = request.query_params.get(self.cursor_query_param)
        if raw is not None and (len(raw) > 200 or not raw.isascii()):
            raise exceptions.NotFound(_("Kursor halaman tidak valid."))
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound:
            raise exceptions.NotFound(_("Kursor halaman tidak valid.")) from None
        except (ValueError, OverflowError):
            raise exceptions.NotFound(_("Kursor halaman tidak valid.")) from None


class ETagMixin:
    """A read answers with a strong ETag of its body; ``If-None-Match`` with it answers 304, no body."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in ("GET", "HEAD") and response.status_code == 200 and hasattr(response, "data"):
            response.render()
            etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
            response["ETag"] = etag
            response["Cache-Control"] = "private, no-cache"
            response["Vary"] = "Authorization, Cookie, Accept-Language"
            wanted = [t.strip().removeprefix("W/") for t in request.META.get("HTTP_IF_NONE_MATCH", "").split(",")]
            if etag in wanted or "*" in wanted:
                response.status_code = 304
                response.content = b""
                for header in ("Content-Type", "Content-Length"):
                    if header in response:
                        del response[header]
        return response


class ApiView(ETagMixin):
    schema = ApiAutoSchema()
    renderer_classes = [JSONRenderer, ProblemJSONRenderer]
    read_scope = Scope.REGISTER_READ
    write_scope = None


class ScopedListView(ApiView, generics.ListAPIView):
    pagination_class = Cursor


class ScopedDetailView(ApiView, generics.RetrieveAPIView):
    pass


# --- query parameters, read as anyone may type them ---------------------------------------------


def param_choice(request, name: str, choices) -> str | None:
    value = request.query_params.get(name)
    if value in (None, ""):
        return None
    if value not in choices:
        raise exceptions.ValidationError({name: [_("Nilai tidak dikenal. Pilihan: %(c)s") % {"c": ", ".join(choices)}]})
    return value


def param_region(request, name: str = "wilayah") -> str | None:
    value = request.query_params.get(name)
    if value in (None, ""):
        return None
    if len(value) > 13 or not all(c.isascii() and (c.isdigit() or c == ".") for c in value):
        raise exceptions.ValidationError({name: [_("Kode wilayah Kemendagri, mis. 72.03.")]})
    return value


def param_date(request, name: str, *, end: bool = False) -> datetime | None:
    """A date (``YYYY-MM-DD``) as the start (or, with ``end``, the end) of that local day."""
    value = request.query_params.get(name)
    if value in (None, ""):
        return None
    try:
        if not value.isascii() or len(value) != 10:
            raise ValueError
        day = date.fromisoformat(value)
    except ValueError:
        raise exceptions.ValidationError({name: [_("Tanggal harus berbentuk YYYY-MM-DD.")]}) from None
    moment = datetime.combine(day, time.max if end else time.min)
    return timezone.make_aware(moment)


def param_int(request, name: str, *, low: int = 1, high: int = 2**63 - 1) -> int | None:
    value = request.query_params.get(name)
    if value in (None, ""):
        return None
    if not (value.isascii() and value.isdigit()) or len(value) > 19 or not low <= int(value) <= high:
        raise exceptions.ValidationError({name: [_("Harus bilangan bulat %(low)d–%(high)d.") % {"low": low, "high": high}]})
    return int(value)
