"""How the OpenAPI schema describes the API: its authentication (loaded by ``ApiConfig.ready``) and the
problem details every operation may answer (``ApiAutoSchema``, the schema class of ``base.ApiView``)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "bearerFormat": "sks_…",
                "description": "Token akun layanan atau token pengguna, dibuat di admin (ditampilkan sekali)."}


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.SessionAuthentication"
    name = "sessionAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}


# --- the errors every operation may answer: RFC 9457 problem details (``api.problems``) ------------------


class ProblemSerializer(serializers.Serializer):
    """An error as ``api.problems.problem`` writes it (``application/problem+json``, Indonesian text)."""

    type = serializers.CharField(help_text="Selalu about:blank.")
    title = serializers.CharField(help_text="Judul singkat, bahasa Indonesia.")
    status = serializers.IntegerField()
    detail = serializers.CharField(help_text="Penjelasan, bahasa Indonesia.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False,
        help_text="Kesalahan per kolom (nama kolom, atau aset.*/sk.* pada keputusan).")

    class Meta:
        ref_name = "Problem"


# What a read and a write may answer besides 200 (each one a code the views, the authentication, the
# permissions, the throttle, the idempotency key or the process lock really produce).
READ_ERRORS = {
    401: "Tanpa token atau sesi, atau token tidak valid.",
    403: "Token tanpa cakupan yang diperlukan (atau akun layanan pada kotak masuk).",
    404: "Tidak ada, di luar wilayah Anda, atau kursor halaman tidak valid.",
    406: "Format yang diminta tidak tersedia.",
    422: "Parameter tidak valid (tanggal, kode wilayah, pilihan, bilangan).",
    429: "Batas permintaan terlampaui (header Retry-After).",
}
WRITE_ERRORS = {
    400: "Isi bukan JSON yang valid, atau Idempotency-Key tidak valid.",
    401: READ_ERRORS[401],
    403: "Token tanpa inbox:write, auditor, akun layanan, atau tugas bukan untuk peran Anda.",
    404: "Tugas tidak ada atau di luar wilayah Anda.",
    406: READ_ERRORS[406],
    409: "Tugas sudah diselesaikan, dipegang pengguna lain, belum diambil, atau usulan sedang diproses.",
    413: "Permintaan terlalu besar.",
    415: "Jenis isi selain application/json atau multipart/form-data.",
    422: "Data keputusan ditolak (per kolom di errors), atau Idempotency-Key dipakai untuk isi lain.",
    428: "Header Idempotency-Key tidak ada.",
    429: READ_ERRORS[429],
}


class ApiAutoSchema(AutoSchema):
    """drf-spectacular's schema of an API view, with the problem details and the 304 it may answer."""

    def _resolve_path_parameters(self, variables):
        parameters = super()._resolve_path_parameters(variables)
        for parameter in parameters:  # an id (``urls.IdConverter``) is a positive 64-bit integer
            if parameter["in"] == "path" and parameter["name"] == "id":
                parameter["schema"] = {"type": "integer", "format": "int64", "minimum": 1, "maximum": 2**63 - 1}
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        errors = READ_ERRORS if self.method == "GET" else WRITE_ERRORS
        if self.method == "GET":
            responses.setdefault("304", {"description": "Tidak berubah sejak ETag yang dikirim (If-None-Match)."})
        for code, description in errors.items():
            responses.setdefault(str(code), self._get_response_for_code(
                OpenApiResponse(ProblemSerializer, description=description), str(code),
                media_types=["application/problem+json"], direction=direction))
        return responses
