"""Real files for the journey's tests: photos made with Pillow (with GPS in their EXIF, or a script
hidden inside), and PDFs. Kept beside the code, like ventanilla/testing.py, so benchmarks can use them."""

from __future__ import annotations

import io
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

SCRIPT = b"<script>alert('pwned')</script>"
PHP = b"<?php system($_GET['c']); ?>"
# Orientation 6: the camera was turned; the picture must be rotated 90 degrees clockwise to stand up.
ROTATED_90 = 6
GPS_IFD = 0x8825
ORIENTATION = 0x0112


def gps_exif(orientation: int | None = None) -> Image.Exif:
    """EXIF with a position in San Miguelito, as a phone camera writes it."""
    exif = Image.Exif()
    exif[GPS_IFD] = {1: "N", 2: (9.0, 2.0, 34.8), 3: "W", 4: (79.0, 30.0, 25.2)}
    exif[0x010F] = "PhoneMaker"
    if orientation:
        exif[ORIENTATION] = orientation
    return exif


def jpeg_bytes(size=(640, 480), *, exif: Image.Exif | None = None, comment: bytes | None = None, color=(180, 40, 40)) -> bytes:
    image = Image.new("RGB", size, color)
    # A second colour in the top-left quarter, so tests can tell how a photo was turned.
    image.paste((20, 20, 200), (0, 0, size[0] // 2, size[1] // 2))
    out = io.BytesIO()
    params = {"quality": 90}
    if exif is not None:
        params["exif"] = exif
    if comment is not None:
        params["comment"] = comment
    image.save(out, "JPEG", **params)
    return out.getvalue()


def mpo_bytes(size=(400, 300)) -> bytes:
    """A JPEG with a second picture inside (MPO), as some phone cameras save portraits."""
    out = io.BytesIO()
    Image.new("RGB", size, (90, 90, 200)).save(out, "MPO", save_all=True, append_images=[Image.new("L", size, 128)])
    return out.getvalue()


def png_bytes(size=(320, 240), *, transparent: bool = False) -> bytes:
    image = Image.new("RGBA" if transparent else "RGB", size, (10, 120, 10, 128) if transparent else (10, 120, 10))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def gif_bytes(size=(64, 64), frames: int = 3) -> bytes:
    images = [Image.new("P", size, index * 40) for index in range(frames)]
    out = io.BytesIO()
    images[0].save(out, "GIF", save_all=True, append_images=images[1:], duration=100)
    return out.getvalue()


def webp_bytes(size=(200, 100)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 200, 0)).save(out, "WEBP")
    return out.getvalue()


def bomb_png(side: int = 20_000) -> bytes:
    """A tiny file that decodes to `side`² pixels (400 million by default): a decompression bomb."""
    out = io.BytesIO()
    Image.new("1", (side, side)).save(out, "PNG")
    return out.getvalue()


def pdf_bytes(extra_catalog: bytes = b"") -> bytes:
    """A small, well-formed one-page PDF; `extra_catalog` goes into the document catalog."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + extra_catalog + b">>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    """As the browser sends it: the name and type are whatever the client claims."""
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files() -> list[Path]:
    """Every file under MEDIA_ROOT (each test has its own, see conftest.py)."""
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []
