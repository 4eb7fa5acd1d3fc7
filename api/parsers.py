"""JSON as a client sends it: text that is not valid Unicode (a lone surrogate such as ``\\ud800``) is
refused as malformed, before any view or form sees it (it could be neither stored nor answered)."""

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


def _valid(value) -> bool:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, dict):
        return all(_valid(k) and _valid(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_valid(v) for v in value)
    return True


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if not _valid(data):
            raise ParseError(_("Isi permintaan berisi teks Unicode yang tidak valid."))
        return data
