"""Credential pages and files. Public: the did:web documents, status lists, badge and logos (read by
verifiers, with CORS), and /verify/<code>. The holder's: the certificate page, its PDF, poster, share
page, Open Badges JSON and baked PNG. Thin: reads from selectors, writes from services."""
from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import http_date
from django.utils.translation import get_language
from django.views import View

from learners.selectors import content_language, module_texts

from . import keys, rendering, selectors, services

PUBLIC_JSON_HEADERS = {"Access-Control-Allow-Origin": "*", "X-Robots-Tag": "noindex"}


def _json(data: dict, *, max_age: int, filename: str = "") -> JsonResponse:
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Cache-Control"] = f"public, max-age={max_age}" if not filename else "private, no-cache"
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    else:
        for name, value in PUBLIC_JSON_HEADERS.items():
            response[name] = value
    return response


def did_document(intermediary_id: int | None) -> dict:
    """The issuer's DID document: every published key (current and retired) may assert credentials."""
    did = keys.issuer_did(intermediary_id)
    methods = [{"id": keys.verification_method(did, key), "type": "Multikey", "controller": did, "publicKeyMultibase": key}
               for key in keys.published_keys()]
    return {"@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"], "id": did,
            "verificationMethod": methods, "assertionMethod": [method["id"] for method in methods]}


class SiteDidView(View):
    def get(self, request):
        return _json(did_document(None), max_age=300)


class IssuerDidView(View):
    def get(self, request, intermediary_id):
        return _json(did_document(selectors.intermediary_issuer(intermediary_id).pk), max_age=300)


class StatusListView(View):
    """The issuer's signed BitstringStatusListCredential: a revocation shows here at once (short cache)."""

    def get(self, request, status_list):
        intermediary = selectors.status_list_issuer(status_list)
        document = services.status_list_credential(status_list=status_list,
                                                   intermediary_id=intermediary.pk if intermediary else None)
        return _json(document, max_age=60)


def _file(path, content_type: str, *, max_age: int, public: bool, request, disposition: str = "") -> HttpResponse:
    stat = path.stat()
    etag = f'"{stat.st_size:x}-{stat.st_mtime_ns:x}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        response = FileResponse(path.open("rb"), content_type=content_type)
        if disposition:
            response["Content-Disposition"] = disposition
    response["ETag"] = etag
    response["Last-Modified"] = http_date(stat.st_mtime)
    response["Cache-Control"] = f"{'public' if public else 'private'}, max-age={max_age}"
    if public:
        response["Access-Control-Allow-Origin"] = "*"
    return response


class BadgeImageView(View):
    def get(self, request):
        return _file(rendering._static_path("credentials/badge.png"), "image/png", max_age=86400, public=True, request=request)


class IssuerLogoView(View):
    def get(self, request, intermediary_id):
        from accounts.models import Intermediary

        path = rendering.issuer_logo_path(Intermediary.objects.select_related("issuer_profile").filter(pk=intermediary_id).first())
        if path is None or not path.exists():
            raise Http404
        content_type = "image/png" if path.suffix.lower() == ".png" else "image/jpeg"
        return _file(path, content_type, max_age=86400, public=True, request=request)


# --- The holder's certificate --------------------------------------------------------------------

def _language(request) -> str:
    requested = request.GET.get("lang", "")
    languages = rendering.certificate_languages()
    if requested in languages:
        return requested
    interface = content_language(get_language())
    return interface if interface in languages else languages[0]


def _linkedin_url(certificate, sheet) -> str:
    """LinkedIn's "add a licence or certification" form, filled in (a link the holder follows, nothing loaded)."""
    issued = timezone.localtime(certificate.issued_at)
    return "https://www.linkedin.com/profile/add?" + urlencode({
        "startTask": "CERTIFICATION_NAME", "name": sheet.module_title, "organizationName": sheet.issuer_name,
        "issueYear": issued.year, "issueMonth": issued.month, "certUrl": sheet.verify_url, "certId": certificate.code})


class HolderMixin(LoginRequiredMixin):
    def certificate(self, request, code):
        return selectors.certificate_for_holder(user=request.user, code=code)


def _preparing(request, certificate, language, *, what: str):
    from .tasks import certificate_files_render_task

    certificate_files_render_task.delay_on_commit(certificate.pk, language)
    response = render(request, "credentials/preparing.html", {"certificate": certificate, "what": what}, status=202)
    response["Retry-After"] = "5"
    return response


def _revoked(request, certificate):
    return render(request, "credentials/revoked.html", {"certificate": certificate}, status=410)


class CertificateView(HolderMixin, View):
    """The holder's certificate: the designed certificate (a picture of the PDF's page), downloads, sharing."""

    def get(self, request, code):
        certificate = self.certificate(request, code)
        language = _language(request)
        sheet = rendering.sheet(certificate, language)
        preview = rendering.file_path(certificate, "preview", language)
        if certificate.revoked_at is None and not preview.exists():
            from .tasks import certificate_files_render_task

            certificate_files_render_task.delay_on_commit(certificate.pk, language)
        return render(request, "credentials/certificate.html", {
            "certificate": certificate, "sheet": sheet, "language": language, "languages": settings.LANGUAGES,
            "preview_ready": rendering.file_path(certificate, "preview", language).exists(),
            "linkedin_url": _linkedin_url(certificate, sheet),
        })


class FileView(HolderMixin, View):
    """The PDF, the poster or the preview in one language: rendered once by the worker, then served from disk."""

    kind = "pdf"

    def get(self, request, code, language):
        certificate = self.certificate(request, code)
        if language not in rendering.certificate_languages():
            raise Http404
        if certificate.revoked_at is not None:
            return _revoked(request, certificate)
        path = rendering.file_path(certificate, self.kind, language)
        if not path.exists():
            return _preparing(request, certificate, language, what=self.kind)
        if self.kind == "pdf":
            name = f"essor-certificate-{certificate.code}-{language}.pdf"
            return _file(path, "application/pdf", max_age=86400, public=False, request=request,
                         disposition=f'inline; filename="{name}"')
        name = f"essor-{self.kind}-{certificate.code}-{language}.png"
        return _file(path, "image/png", max_age=86400, public=False, request=request, disposition=f'inline; filename="{name}"')


class ShareView(HolderMixin, View):
    """On a phone: the poster full screen, to press and save (WeChat) or to download; a link to LinkedIn."""

    def get(self, request, code):
        certificate = self.certificate(request, code)
        if certificate.revoked_at is not None:
            return _revoked(request, certificate)
        language = _language(request)
        if not rendering.file_path(certificate, "poster", language).exists():
            return _preparing(request, certificate, language, what="poster")
        sheet = rendering.sheet(certificate, language)
        return render(request, "credentials/share.html", {
            "certificate": certificate, "sheet": sheet, "language": language, "languages": settings.LANGUAGES,
            "linkedin_url": _linkedin_url(certificate, sheet)})


class SignedCredentialView(HolderMixin, View):
    """The holder's signed credential, as `respond` shapes it (JSON file or baked PNG); none once revoked."""

    def get(self, request, code):
        certificate = self.certificate(request, code)
        if certificate.revoked_at is not None:
            return _revoked(request, certificate)
        return self.respond(certificate, services.credential_for_certificate(certificate=certificate).document)


class CredentialJsonView(SignedCredentialView):
    def respond(self, certificate, document):
        return _json(document, max_age=0, filename=f"essor-{certificate.code}.json")


class BakedBadgeView(SignedCredentialView):
    def respond(self, certificate, document):
        response = HttpResponse(rendering.baked_png(document), content_type="image/png")
        response["Content-Disposition"] = f'attachment; filename="essor-{certificate.code}.png"'
        response["Cache-Control"] = "private, no-cache"
        return response


# --- The public check --------------------------------------------------------------------------------

class VerifyView(View):
    """Anyone with the code (or the QR code): is the signature valid, is the certificate revoked? In the
    visitor's language. No email, score or reason for a revocation is ever shown."""

    def get(self, request, code):
        certificate = selectors.certificate_by_code(code)
        if certificate is None:
            response = render(request, "credentials/verify.html", {"check": None, "code": code[:40]}, status=404)
        else:
            credential = services.credential_for_certificate(certificate=certificate)
            check = selectors.certificate_check(certificate, credential.document)
            language = content_language(get_language())
            title = module_texts([certificate.module], language)[certificate.module_id].title
            issuer = credential.intermediary.name if credential.intermediary else certificate.issuer_name
            response = render(request, "credentials/verify.html", {
                "check": check, "certificate": certificate, "module_title": title, "issuer_name": issuer,
                "issuer_did": keys.issuer_did(credential.intermediary_id),
                "issued_date": rendering.date_text(certificate.issued_at, language),
            })
        response["X-Robots-Tag"] = "noindex"
        return response
