"""Photos checked by their bytes and re-encoded: what is stored is a JPEG we wrote, never the upload.

An upload is read by Pillow (the name and the declared type are ignored), its pixel count checked
before decoding (a "decompression bomb" of a few kilobytes declaring 50 000 × 50 000 pixels is
refused without being decoded), decoded fully, turned upright by its EXIF orientation, shrunk to a
longest side of ``max_side`` and written anew as JPEG: EXIF (GPS position, camera serial), ICC, XMP
and anything appended after the image are gone.
"""

import hashlib
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import RuleViolation

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}


@dataclass(frozen=True)
class CheckedImage:
    content: bytes
    width: int
    height: int
    sha256: str

    @property
    def size(self) -> int:
        return len(self.content)


def image_reencode(upload, *, max_bytes: int, max_pixels: int, max_side: int = 1600, label: str = "") -> CheckedImage:
    """``upload`` (a file object) as a checked, metadata-free JPEG; ``RuleViolation`` otherwise."""
    name = label or _("Foto")
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise RuleViolation(_("%(name)s terlalu besar. Ukuran maksimum %(mb)s MB.")
                            % {"name": name, "mb": f"{max_bytes / 1_000_000:g}"})
    if not data:
        raise RuleViolation(_("%(name)s kosong.") % {"name": name})
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            width, height = probe.size
        if kind not in ACCEPTED_FORMATS:
            raise RuleViolation(_("%(name)s harus berupa gambar JPEG, PNG atau WebP.") % {"name": name})
        if width * height > max_pixels:
            raise RuleViolation(_("%(name)s terlalu besar: %(w)d × %(h)d piksel (maksimum %(mp)s megapiksel).")
                                % {"name": name, "w": width, "h": height, "mp": f"{max_pixels / 1_000_000:g}"})
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            if image.mode not in ("RGB", "L"):
                background = Image.new("RGB", image.size, "white")
                rgba = image.convert("RGBA")
                background.paste(rgba, mask=rgba.getchannel("A"))
                image = background
            image.thumbnail((max_side, max_side))
            out = io.BytesIO()
            image.convert("RGB").save(out, format="JPEG", quality=85, optimize=True)
    except RuleViolation:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError, SyntaxError, EOFError) as exc:
        raise RuleViolation(_("%(name)s bukan gambar yang dapat dibaca (JPEG, PNG atau WebP).") % {"name": name}) from exc
    content = out.getvalue()
    with Image.open(io.BytesIO(content)) as written:
        w, h = written.size
    return CheckedImage(content=content, width=w, height=h, sha256=hashlib.sha256(content).hexdigest())
