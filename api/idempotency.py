"""``Idempotency-Key`` on every write: the same key with the same body gets the first answer again and
the write is done once; the same key with another body is refused (422).

The key's row is inserted in the same transaction as the write: a second request with the same key
waits on the unique index until the first commits, then reads its answer (PostgreSQL); if the first
rolls back, the second does the write itself.
"""

import hashlib
import json

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from rest_framework.response import Response

from .models import IdempotencyRecord
from .problems import problem
from .tokens import principal_key

HEADER = "HTTP_IDEMPOTENCY_KEY"


def _request_hash(request, body_repr: str) -> str:
    return hashlib.sha256(f"{request.method} {request.path}\n{body_repr}".encode("utf-8", "surrogatepass")).hexdigest()


def _replay(record: IdempotencyRecord, request_hash: str) -> Response:
    if record.request_hash != request_hash:
        return problem(422, _("Idempotency-Key ini sudah dipakai untuk permintaan lain (isi atau alamat berbeda)."),
                       title=_("Kunci idempotensi dipakai ulang"))
    response = Response(json.loads(record.response), status=record.status_code,
                        content_type="application/problem+json" if record.status_code >= 400 else None)
    response["Idempotent-Replayed"] = "true"
    return response


def idempotent(request, body_repr: str, perform) -> Response:
    """Answer ``perform()`` once per key; ``body_repr`` is the canonical form of what was sent."""
    key = request.META.get(HEADER, "")
    if not key:
        return problem(428, _("Setiap penulisan wajib membawa header Idempotency-Key."))
    if len(key) > 200 or not key.isascii() or not key.isprintable():
        return problem(400, _("Idempotency-Key harus teks ASCII, paling panjang 200 karakter."))
    principal = principal_key(request)
    request_hash = _request_hash(request, body_repr)
    existing = IdempotencyRecord.objects.filter(principal=principal, key=key).first()
    if existing is not None:
        return _replay(existing, request_hash)
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    principal=principal, key=key, method=request.method, path=request.path[:300],
                    request_hash=request_hash, status_code=0,
                )
        except IntegrityError:
            record = None  # another request with this key committed first: its answer, below
        if record is not None:
            response = perform()
            record.status_code = response.status_code
            record.response = json.dumps(response.data, ensure_ascii=True, default=str)
            record.save(update_fields=["status_code", "response"])
            return response
    existing = IdempotencyRecord.objects.filter(principal=principal, key=key).first()
    if existing is None:  # the other request rolled back after all: nothing was done, try again
        return problem(409, _("Permintaan lain dengan Idempotency-Key ini gagal; kirim ulang."))
    return _replay(existing, request_hash)


def canonical(data) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
