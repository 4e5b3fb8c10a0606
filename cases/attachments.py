"""Photos and documents sent with a case: checked by what their bytes are, re-encoded, stored under a
random name. Every entry point (portal, Open311, REST API) goes through here.

A file is never trusted by its name or by the content type the client announces: the format is sniffed
from the first bytes, then Pillow must open, verify and fully decode it. Images are re-encoded from their
pixels, which drops anything that is not a picture: EXIF (GPS position, camera serial), comments, and
whatever a polyglot hides after or inside the image (a script, HTML, PHP). PDFs are parsed and rewritten
by qpdf (pikepdf) without their active content (scripts, actions, embedded files, forms), and are never
published (see docs/portal.md and docs/security.md).

Callers validate every upload with `validate_upload` *before* creating anything, then call
`store_upload` inside the transaction that creates the case, so a bad file rejects the whole submission
with nothing stored. If that transaction fails after files were written, `discard_files` removes them.
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass
from typing import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
import pikepdf
from PIL import Image, ImageOps

from .models import Attachment, Case, CaseEvent

IMAGE_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
JPEG_QUALITY = 85
# Enough of a client's file name to tell which upload an error is about, not enough to flood a page.
_NAME_SHOWN = 60

_PDF_HEADER = re.compile(rb"%PDF-[12]\.[0-9]")


class InvalidUpload(ValidationError):
    """The file cannot be accepted; the message says why, in the reader's language. Nothing was stored.

    Codes: empty, too_large, unsupported_format, broken_image, too_many_pixels, invalid_pdf.
    """


@dataclass(frozen=True)
class CleanUpload:
    """An upload that passed every check, ready to store: re-encoded images, rewritten PDFs."""

    content: bytes
    content_type: str
    extension: str
    width: int | None = None
    height: int | None = None

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


def sniff_format(head: bytes) -> str | None:
    """The file format announced by the first bytes, or None. Never the file name or client type."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head.startswith(b"%PDF-"):
        return "PDF"
    return None


def validate_upload(uploaded_file, *, allow_pdf: bool = False) -> CleanUpload:
    """Check one upload and return what would be stored. Raises InvalidUpload. Writes nothing."""
    name = _display_name(uploaded_file)
    data = _read_limited(uploaded_file, name)
    kind = sniff_format(data[:16])
    if kind == "PDF" and allow_pdf:
        return _clean_pdf(data, name)
    if kind not in IMAGE_FORMATS:
        if allow_pdf:
            message = _("%(name)s is not a photo (JPEG, PNG, WebP or GIF) or a PDF document.")
        else:
            message = _("%(name)s is not a photo in JPEG, PNG, WebP or GIF format.")
        raise InvalidUpload(message % {"name": name}, code="unsupported_format")
    return _clean_image(data, kind, name)


def store_upload(
    case: Case,
    uploaded_file,
    *,
    allow_pdf: bool = False,
    public: bool = True,
    event: CaseEvent | None = None,
) -> Attachment:
    """Validate (unless given a CleanUpload) and store one file for `case`. Raises InvalidUpload.

    Documents and anything attached to a sensitive case are never public, whatever the caller asks.
    """
    clean = uploaded_file if isinstance(uploaded_file, CleanUpload) else validate_upload(uploaded_file, allow_pdf=allow_pdf)
    if not clean.is_image and not allow_pdf:
        raise InvalidUpload(_("Documents are not accepted here, only photos."), code="unsupported_format")
    attachment = Attachment(
        case=case,
        event=event,
        content_type=clean.content_type,
        size=len(clean.content),
        width=clean.width,
        height=clean.height,
        public=public and clean.is_image and not case.category.sensitive,
    )
    # The name given here only carries the extension: attachment_path() draws a random one.
    attachment.file.save(f"upload.{clean.extension}", ContentFile(clean.content), save=False)
    try:
        attachment.save()
    except BaseException:
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


def discard_files(attachments: Iterable[Attachment]) -> None:
    """Delete the stored files of attachments whose transaction was rolled back (rows gone, files not)."""
    for attachment in attachments:
        if attachment.file.name:
            attachment.file.storage.delete(attachment.file.name)


def _display_name(uploaded_file) -> str:
    name = str(getattr(uploaded_file, "name", "") or "").rsplit("/", 1)[-1] or _("The file")
    return name if len(name) <= _NAME_SHOWN else name[: _NAME_SHOWN - 1] + "…"


def _read_limited(uploaded_file, name: str) -> bytes:
    limit = settings.CASE_MAX_UPLOAD_BYTES
    too_large = InvalidUpload(
        _("%(name)s is too large: each file may be up to %(limit)s MB.")
        % {"name": name, "limit": _megabytes(limit)},
        code="too_large",
    )
    if (getattr(uploaded_file, "size", None) or 0) > limit:
        raise too_large
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    # Read one byte past the limit: a client can lie about the size, the bytes cannot.
    data = uploaded_file.read(limit + 1)
    if len(data) > limit:
        raise too_large
    if not data:
        raise InvalidUpload(_("%(name)s is empty.") % {"name": name}, code="empty")
    return data


def _megabytes(size: int) -> str:
    value = size / (1024 * 1024)
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def _clean_image(data: bytes, kind: str, name: str) -> CleanUpload:
    broken = InvalidUpload(
        _("%(name)s could not be read as a photo; it may be damaged or not really an image.") % {"name": name},
        code="broken_image",
    )
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that; a warning is a refusal here.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[kind]) as probe:
                _check_pixels(probe.size, name)
                probe.verify()
            # verify() leaves the image unusable; decode a fresh one, fully, to catch damaged data.
            image = Image.open(io.BytesIO(data), formats=[kind])
            _check_pixels(image.size, name)
            if kind == "JPEG":
                # Decode big JPEGs at a reduced scale straight away (never below the final size).
                limit = settings.CASE_IMAGE_MAX_PIXELS
                image.draft(image.mode, (limit, limit))
            image.seek(0)  # the first frame of an animation is the photo
            image.load()
    except InvalidUpload:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InvalidUpload(
            _("%(name)s has too many pixels to be processed safely.") % {"name": name}, code="too_many_pixels"
        ) from None
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError, KeyError, MemoryError):
        raise broken from None
    # Phones that keep a second picture (depth map, preview) write MPO: a JPEG with more frames.
    if image.format != kind and not (kind == "JPEG" and image.format == "MPO"):
        raise broken
    try:
        return _reencode(image)
    except (OSError, ValueError):  # a pixel format Pillow can decode but not convert
        raise broken from None


def _check_pixels(size: tuple[int, int], name: str) -> None:
    width, height = size
    if width <= 0 or height <= 0:
        raise InvalidUpload(_("%(name)s has no pixels.") % {"name": name}, code="broken_image")
    if width * height > Image.MAX_IMAGE_PIXELS:
        raise InvalidUpload(
            _("%(name)s has too many pixels to be processed safely.") % {"name": name}, code="too_many_pixels"
        )


def _reencode(image: Image.Image) -> CleanUpload:
    """New bytes from the pixels alone: orientation applied, no metadata, longest side within the limit."""
    transparent = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    image = ImageOps.exif_transpose(image) or image
    picture = image.convert("RGBA" if transparent else "RGB")
    # convert() copies `info` (EXIF, comments, ICC text); the saved file must carry none of it.
    picture.info = {}
    limit = settings.CASE_IMAGE_MAX_PIXELS
    picture.thumbnail((limit, limit), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if transparent:
        picture.save(out, format="PNG", optimize=False)
        content_type, extension = "image/png", "png"
    else:
        picture.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
        content_type, extension = "image/jpeg", "jpg"
    return CleanUpload(
        content=out.getvalue(),
        content_type=content_type,
        extension=extension,
        width=picture.width,
        height=picture.height,
    )


def _clean_pdf(data: bytes, name: str) -> CleanUpload:
    """Parse the document with qpdf (pikepdf), remove everything active, store the rewritten file.

    Refused: what qpdf cannot read, password-protected files and documents without pages. Removed:
    JavaScript (document, page and annotation level), open and additional actions, launch and every
    other action but links (URI, GoTo), embedded and associated files, forms (AcroForm/XFA) and
    their widgets, rich media. qpdf writes only what is still reachable, so the removed objects are
    gone from the file, compressed object streams included.
    """
    invalid = InvalidUpload(_("%(name)s is not a valid PDF document.") % {"name": name}, code="invalid_pdf")
    if not _PDF_HEADER.match(data):
        raise invalid
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) == 0:
                raise invalid
            _scrub_pdf(pdf.trailer, set())
            out = io.BytesIO()
            pdf.save(
                out,
                encryption=False,
                object_stream_mode=pikepdf.ObjectStreamMode.disable,
                deterministic_id=True,
            )
    except pikepdf.PasswordError:
        raise InvalidUpload(
            _("%(name)s is protected with a password. Send it without the password.") % {"name": name},
            code="invalid_pdf",
        ) from None
    except (pikepdf.PdfError, RecursionError, ValueError, TypeError, KeyError, OverflowError):
        raise invalid from None
    return CleanUpload(content=out.getvalue(), content_type="application/pdf", extension="pdf")


# Keys whose value is active content or a container of it, wherever they appear.
_PDF_ACTIVE_KEYS = frozenset(
    {"/JS", "/JavaScript", "/AA", "/OpenAction", "/AcroForm", "/XFA", "/EmbeddedFiles", "/EmbeddedFile",
     "/AF", "/RichMediaContent", "/RichMediaSettings", "/Launch"}
)
# Actions (PDF 2.0, 12.6.4) other than following a link or turning a page: removed.
_PDF_ACTIVE_ACTIONS = frozenset(
    {"/GoToR", "/GoToE", "/GoToDp", "/Launch", "/Thread", "/Sound", "/Movie", "/Hide", "/SubmitForm",
     "/ResetForm", "/ImportData", "/SetOCGState", "/Rendition", "/GoTo3DView", "/JavaScript",
     "/RichMediaExecute", "/ECMAScript"}
)
# Annotations that are forms, attachments or players.
_PDF_ACTIVE_ANNOTATIONS = frozenset({"/Widget", "/FileAttachment", "/RichMedia", "/Screen", "/Movie", "/Sound", "/3D"})


def _is_active(value) -> bool:
    if not isinstance(value, (pikepdf.Dictionary, pikepdf.Stream)):
        return False
    if str(value.get("/S", "")) in _PDF_ACTIVE_ACTIONS:
        return True
    return str(value.get("/Subtype", "")) in _PDF_ACTIVE_ANNOTATIONS or value.get("/Type") == "/EmbeddedFile"


def _scrub_pdf(obj, seen: set) -> None:
    """Remove active content from `obj` and everything it reaches (each indirect object once)."""
    if getattr(obj, "is_indirect", False):
        if obj.objgen in seen:
            return
        seen.add(obj.objgen)
    if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
        for key in list(obj.keys()):
            value = obj[key]
            if key in _PDF_ACTIVE_KEYS or _is_active(value):
                del obj[key]
            else:
                _scrub_pdf(value, seen)
    elif isinstance(obj, pikepdf.Array):
        for index in reversed(range(len(obj))):
            if _is_active(obj[index]):
                del obj[index]
            else:
                _scrub_pdf(obj[index], seen)
