"""Cap each uploaded file while it streams in, so an oversized upload never fills the disk.

``SizeCappedUploadHandler`` runs first among ``FILE_UPLOAD_HANDLERS``. It passes on at most
``SKSENTRA_MAX_UPLOAD_BYTES`` + 1 bytes of each file and drops the rest; the stored temporary file is
then just over the limit, and the form's own check (``sentra.services.pdf_check``) refuses it with the
message "… terlalu besar … Ukuran maksimum …" naming the document.
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler


class SizeCappedUploadHandler(FileUploadHandler):
    def receive_data_chunk(self, raw_data, start):
        allowed = settings.SKSENTRA_MAX_UPLOAD_BYTES + 1 - start
        if allowed <= 0:
            return None  # drop the rest of this file; later handlers never see it
        return raw_data[:allowed]

    def file_complete(self, file_size):
        return None  # the next handler (memory or temporary file) builds the file
