"""What a certificate looks like on paper and on a phone: the A4 PDF (WeasyPrint) in each language, the
share poster (the same HTML engine, rasterised by PDFium), the QR code (segno) and the baked badge PNG.

Files are written once per certificate and language under VAR_DIR/credentials/<code>/ (atomically:
a second render of the same file replaces it with identical content) and served from there."""
from __future__ import annotations

import base64
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import dateformat, timezone, translation

from courses.models import ModuleTranslation
from courses.selectors import translation_pick
from learners.models import Certificate

from .seal import seal_svg

KINDS = {"pdf": ("certificate", "pdf"), "poster": ("poster", "png"), "preview": ("preview", "png")}
PREVIEW_WIDTH = 1400  # the certificate page shows the PDF's page as this picture
POSTER_SIZE = (1080, 1350)  # 4:5 portrait: full width in WeChat Moments and in LinkedIn's feed
SEAL_COLOURS = {"zh-hans": "#b8262b"}  # a vermilion seal (印章) on Chinese certificates; Essor's green elsewhere
DATE_FORMATS = {"zh-hans": "Y年n月j日", "fr": "j F Y", "en": "j F Y"}


def certificate_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def date_text(moment, language: str) -> str:
    """2026年12月2日, 2 décembre 2026 (1er for the first of the month), 2 December 2026."""
    local = timezone.localtime(moment)
    with translation.override(language):
        text = dateformat.format(local, DATE_FORMATS.get(language, "j F Y"))
    if language == "fr" and local.day == 1:
        text = "1er" + text[1:]
    return text


def file_path(certificate: Certificate, kind: str, language: str) -> Path:
    stem, extension = KINDS[kind]
    return Path(settings.VAR_DIR) / "credentials" / certificate.code / f"{stem}-{language}.{extension}"


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=path.suffix)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(temporary, path)


# --- QR code and images ----------------------------------------------------------------------------

def qr_svg(url: str, *, colour: str = "#1d2327") -> str:
    import segno

    buffer = io.BytesIO()
    # Error correction Q: the code still scans with a fold, a stain or a seal across a corner.
    segno.make(url, error="q", micro=False).save(buffer, kind="svg", xmldecl=False, svgns=True, nl=False,
                                               dark=colour, border=0, omitsize=True, svgclass="qr")
    return buffer.getvalue().decode("utf-8")


def _data_uri(path: Path | None, mime: str) -> str:
    if path is None or not path.exists():
        return ""
    return f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _static_path(name: str) -> Path:
    found = finders.find(name)
    if found is None:
        raise FileNotFoundError(name)
    return Path(found)


def issuer_logo_path(intermediary) -> Path | None:
    profile = getattr(intermediary, "issuer_profile", None) if intermediary else None
    if profile is not None and profile.logo:
        try:
            return Path(profile.logo.path)
        except (ValueError, NotImplementedError):
            return None
    return None


# --- The certificate's texts in one language ---------------------------------------------------------

@dataclass(frozen=True)
class Sheet:
    language: str
    learner_name: str
    module_title: str
    outcomes: list[str]
    issuer_name: str
    issuer_logo: str  # data: URI or ""
    date: str
    verify_url: str
    code: str
    qr: str  # inline SVG
    seal: str  # inline SVG
    revoked: bool


def sheet(certificate: Certificate, language: str) -> Sheet:
    from .services import verify_url

    credential = getattr(certificate, "credential", None)
    intermediary = credential.intermediary if credential else None
    rows = list(ModuleTranslation.objects.filter(module_id=certificate.module_id).exclude(title=""))
    row, _fallback = translation_pick(rows, language, certificate.module.source_language)
    url = verify_url(certificate.code)
    logo = issuer_logo_path(intermediary)
    return Sheet(
        language=language, learner_name=certificate.learner_name,
        module_title=row.title if row else certificate.module.slug,
        outcomes=[str(o) for o in (row.outcomes if row else [])][:6],
        issuer_name=intermediary.name if intermediary else certificate.issuer_name,
        issuer_logo=_data_uri(logo, "image/png" if logo and logo.suffix.lower() == ".png" else "image/jpeg"),
        date=date_text(certificate.issued_at, language), verify_url=url, code=certificate.code,
        qr=qr_svg(url), seal=seal_svg(SEAL_COLOURS.get(language, "#0f5e57")), revoked=certificate.revoked_at is not None,
    )


def _css(name: str) -> str:
    return _static_path(name).read_text(encoding="utf-8")


def _local_only():
    """WeasyPrint may read data: URIs and nothing else: no network, no file beyond what we embed."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)


def _pdf(template: str, context: dict, language: str) -> bytes:
    from weasyprint import HTML

    with translation.override(language):
        html = render_to_string(template, context)
    return HTML(string=html, url_fetcher=_local_only(), base_url="data:,").write_pdf(
        pdf_variant="pdf/a-3b" if template.endswith("certificate_print.html") else None)


def certificate_pdf(certificate: Certificate, language: str) -> bytes:
    return _pdf("credentials/certificate_print.html",
                {"sheet": sheet(certificate, language), "css": _css("credentials/certificate-sheet.css")}, language)


def certificate_poster(certificate: Certificate, language: str) -> bytes:
    import pypdfium2

    pdf = _pdf("credentials/poster.html", {"sheet": sheet(certificate, language), "width": POSTER_SIZE[0],
                                           "height": POSTER_SIZE[1], "css": _css("credentials/poster.css")}, language)
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        scale = POSTER_SIZE[0] / page.get_width()
        image = page.render(scale=scale).to_pil().convert("RGB")
    finally:
        document.close()
    if image.size != POSTER_SIZE:
        image = image.resize(POSTER_SIZE)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _raster(pdf_path: Path, width: int) -> bytes:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf_path))
    try:
        page = document[0]
        image = page.render(scale=width / page.get_width()).to_pil().convert("RGB")
    finally:
        document.close()
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def certificate_preview(certificate: Certificate, language: str) -> bytes:
    return _raster(certificate_file(certificate, "pdf", language), PREVIEW_WIDTH)


RENDERERS = {"pdf": certificate_pdf, "poster": certificate_poster, "preview": certificate_preview}


def certificate_file(certificate: Certificate, kind: str, language: str) -> Path:
    """The file, rendered now if it does not exist yet (idempotent)."""
    path = file_path(certificate, kind, language)
    if not path.exists():
        _write_atomically(path, RENDERERS[kind](certificate, language))
    return path


def certificate_files_render(*, certificate: Certificate, language: str) -> None:
    if language not in certificate_languages():
        return
    for kind in KINDS:
        certificate_file(certificate, kind, language)


# --- The baked badge ---------------------------------------------------------------------------------

def baked_png(document: dict) -> bytes:
    """Open Badges 3.0 baking: the badge image with the signed credential in an iTXt chunk
    ("openbadgecredential", uncompressed), as the specification describes for PNG."""
    import json

    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    image = Image.open(_static_path("credentials/badge.png"))
    info = PngInfo()
    info.add_itxt("openbadgecredential", json.dumps(document, ensure_ascii=False, separators=(",", ":")), zip=False)
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=info)
    return out.getvalue()
