"""PDF evidence is parsed and rewritten without its active content, even where regular expressions over
the raw bytes could never see it (compressed object streams)."""

from __future__ import annotations

import io

import pikepdf
import pytest
from django.utils import translation

from cases.attachments import InvalidUpload, store_upload, validate_upload
from portal.journey.testing import SCRIPT, pdf_bytes, upload
from ventanilla.testing import new_case

ACTIVE_WORDS = (b"/JavaScript", b"/JS", b"/OpenAction", b"/Launch", b"/EmbeddedFile", b"/AcroForm", b"/AA", b"app.alert")


def hostile_pdf(*, password: str | None = None) -> bytes:
    """A one-page PDF with a script run on opening, a named document script, a launch action on a link,
    an embedded file and a form field, all written into compressed object streams."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    script = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('x')")))
    pdf.Root.OpenAction = script
    embedded = pdf.make_stream(b"MZ fake executable", Type=pikepdf.Name.EmbeddedFile)
    spec = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Filespec, F=pikepdf.String("run.exe"), EF=pikepdf.Dictionary(F=embedded)))
    pdf.Root.Names = pikepdf.Dictionary(
        JavaScript=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("init"), script])),
        EmbeddedFiles=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("run.exe"), spec])),
    )
    launch = pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe"))
    link = pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 50, 50], A=launch)
    )
    safe_link = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[50, 50, 90, 90],
            A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://example.org/")),
        )
    )
    field = pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Widget, FT=pikepdf.Name.Tx, T=pikepdf.String("f"), Rect=[0, 100, 50, 120])
    )
    pdf.pages[0].Annots = pikepdf.Array([link, safe_link, field])
    pdf.pages[0].AA = pikepdf.Dictionary(O=script)
    pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array([field]))
    out = io.BytesIO()
    encryption = pikepdf.Encryption(user=password, owner=password) if password else False
    pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True, encryption=encryption)
    return out.getvalue()


def every_object_text(content: bytes) -> bytes:
    """The document as qpdf sees it, with every stream decompressed: what a reader would run."""
    with pikepdf.open(io.BytesIO(content)) as pdf:
        parts = [repr(obj).encode() for obj in pdf.objects]
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream):
                try:
                    parts.append(obj.read_bytes())
                except pikepdf.PdfError:
                    parts.append(obj.read_raw_bytes())
        return b"\n".join(parts)


def test_the_hostile_pdf_hides_its_script_from_a_scan_of_the_raw_bytes():
    raw = hostile_pdf()
    # The premise: the old byte scan could not have found anything.
    assert b"JavaScript" not in raw and b"app.alert" not in raw
    assert b"JavaScript" in every_object_text(raw)


def test_scripts_actions_embedded_files_and_forms_are_removed_and_the_page_kept():
    clean = validate_upload(upload("evidencia.pdf", hostile_pdf(), "application/pdf"), allow_pdf=True)

    assert clean.content_type == "application/pdf"
    text = every_object_text(clean.content)
    for word in ACTIVE_WORDS:
        assert word not in text, word
    with pikepdf.open(io.BytesIO(clean.content)) as pdf:
        assert len(pdf.pages) == 1
        annotations = pdf.pages[0].get("/Annots", [])
        # The form field is gone, the launching link is inert, the plain web link works.
        assert [str(a.Subtype) for a in annotations] == ["/Link", "/Link"]
        assert [str(a.A.URI) for a in annotations if "/A" in a] == ["https://example.org/"]


def test_the_rewritten_file_is_what_is_stored(world):
    attachment = store_upload(new_case(world), upload("e.pdf", hostile_pdf(), "application/pdf"), allow_pdf=True)

    with attachment.file.open("rb") as handle:
        stored = handle.read()
    assert stored.startswith(b"%PDF-")
    assert b"JavaScript" not in every_object_text(stored)
    assert attachment.size == len(stored)


def test_an_ordinary_pdf_is_accepted_and_rewritten():
    clean = validate_upload(upload("recibo.pdf", pdf_bytes(), "application/pdf"), allow_pdf=True)

    with pikepdf.open(io.BytesIO(clean.content)) as pdf:
        assert len(pdf.pages) == 1


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.4\n" + SCRIPT,
        b"%PDF-1.7\n%%EOF\n",
        pdf_bytes()[: len(pdf_bytes()) // 3],
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n",
    ],
    ids=["html-after-a-header", "header-only", "truncated", "no-pages"],
)
def test_what_does_not_parse_as_a_pdf_with_pages_is_refused(content):
    with pytest.raises(InvalidUpload) as refused:
        validate_upload(upload("x.pdf", content, "application/pdf"), allow_pdf=True)
    assert refused.value.code == "invalid_pdf"


def test_a_password_protected_pdf_is_refused_with_a_clear_message():
    with translation.override("en"), pytest.raises(InvalidUpload) as refused:
        validate_upload(upload("x.pdf", hostile_pdf(password="secreto"), "application/pdf"), allow_pdf=True)
    assert refused.value.code == "invalid_pdf"
    assert "password" in refused.value.messages[0]
