"""Compressed HTML for officials on weak mobile data.

Static files are compressed ahead of time (hashed names, served by WhiteNoise). Pages are compressed
here, HTML only: downloads (PDF, ZIP, DOCX, XLSX) are compressed already or streamed with a length a
phone's progress bar needs. Django's ``GZipMiddleware`` pads each compressed response with random bytes
("Heal The Breach") and masks the CSRF token differently in every response, the mitigations against
BREACH-style attacks on secrets in compressed pages.
"""

from django.middleware.gzip import GZipMiddleware


class HtmlGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
            return response
        return super().process_response(request, response)
