"""HTTP answers every app gives alike."""

from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(content, content_type: str, filename: str) -> HttpResponse:
    """``content`` as a download named ``filename`` (``Content-Disposition: attachment``). A page that
    must not be sniffed or cached adds those headers to the answer."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
