"""Pages and files of a certificate: /verify/<code> in the visitor's language, the holder's certificate
page, the PDF (A4, one page, fonts embedded, text selectable), the poster and its QR code (decoded with
zxing-cpp and followed), the baked PNG, the public JSON documents, and who may see what."""
import io
import json
import re
import subprocess

import pytest
import zxingcpp
from django.urls import reverse
from PIL import Image

from credentials import rendering
from credentials.models import Credential
from credentials.services import credential_for_certificate
from learners.services import certificate_revoke
from tests.credentials import independent
from tests.credentials.conftest import SITE


def html_of(response) -> str:
    return response.content.decode()


def test_verify_shows_a_valid_signature_in_the_visitors_language(client, certificate):
    for path in (f"/verify/{certificate.code}", f"/verify/{certificate.code.lower()}/"):
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
        html = html_of(response)
        assert response.status_code == 200 and response["X-Robots-Tag"] == "noindex"
        assert "Genuine and valid certificate" in html and "Signature: valid." in html and "Status: not revoked." in html
        assert certificate.learner_name in html and "basic-finance title en" in html
        assert certificate.user.email not in html
        # The key (a long did:web address) waits behind "Technical details"; the reader gets a sentence.
        assert "The issuer's digital signature matches the certificate's data." in html
        details = html[html.index('<details class="verify-tech">'):]
        assert "did:web:" in details[:details.index("</details>")] and html.count("did:web:") == 1
    html = html_of(client.get(f"/verify/{certificate.code}", HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert "证书真实有效" in html and "basic-finance title zh-hans" in html and re.search(r"\d{4}年\d{1,2}月\d{1,2}日", html)


def test_verify_says_revoked_and_never_why(client, certificate):
    certificate_revoke(certificate=certificate, reason="Quiz answers shared")
    html = html_of(client.get(f"/verify/{certificate.code}", HTTP_ACCEPT_LANGUAGE="fr"))
    assert "Attestation révoquée" in html and "Quiz answers shared" not in html


def test_verify_says_when_the_stored_credential_no_longer_matches_its_signature(client, certificate):
    credential = credential_for_certificate(certificate=certificate)
    credential.document["credentialSubject"]["identifier"][1]["identityHash"] = "Someone Else"
    Credential.objects.filter(pk=credential.pk).update(document=credential.document)
    html = html_of(client.get(f"/verify/{certificate.code}"))
    assert "The signature does not match" in html and "Signature: not valid." in html


def test_an_unknown_or_malformed_code_is_a_404_not_an_error(client, db):
    for code in ("ZZZZZZZZZZZZZZZZ", "x" * 40):
        response = client.get(f"/verify/{code}")
        assert response.status_code == 404 and "does not match any certificate" in html_of(response)


def test_did_documents_and_status_lists_are_public_json_with_cors(client, certificate):
    credential_for_certificate(certificate=certificate)
    for path in ("/.well-known/did.json", "/credentials/status/site"):
        response = client.get(path)
        assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
        assert response["Content-Type"].startswith("application/json")
    assert json.loads(client.get("/.well-known/did.json").content)["id"] == "did:web:essor.example.org"
    assert client.get("/credentials/status/999999").status_code == 404
    assert client.get("/credentials/status/nonsense").status_code == 404
    assert client.get("/issuers/999999/did.json").status_code == 404


def test_a_cohort_intermediary_issues_in_its_name_with_its_logo(client, fetch, learner, module, intermediary, staff):
    from django.core.files.base import ContentFile

    from credentials.models import IssuerProfile
    from tests.cohorts.factories import cohort_for, member
    from tests.credentials.conftest import earn

    buffer = io.BytesIO()
    Image.new("RGB", (60, 20), "orange").save(buffer, format="PNG")
    profile = IssuerProfile.objects.create(intermediary=intermediary, website="https://benevolat.example.org")
    profile.logo.save("logo.png", ContentFile(buffer.getvalue()))
    member(cohort_for(staff, module_list=[module]), learner)
    certificate = earn(learner, module)
    assert certificate.issuer_name == intermediary.name
    document = credential_for_certificate(certificate=certificate).document
    assert document["issuer"]["id"] == f"did:web:essor.example.org:issuers:{intermediary.pk}"
    assert document["issuer"]["name"] == intermediary.name
    assert document["issuer"]["image"]["id"] == f"{SITE}/issuers/{intermediary.pk}/logo"
    assert client.get(f"/issuers/{intermediary.pk}/logo")["Content-Type"] == "image/png"
    assert document["credentialStatus"]["statusListCredential"] == f"{SITE}/credentials/status/{intermediary.pk}"
    independent.verify(document, fetch)


def test_holder_files_are_the_holders_only(client_as, client, certificate, other_learner):
    code = certificate.code
    urls = [reverse("credentials:certificate", args=[code]), reverse("credentials:share", args=[code]),
            reverse("credentials:credential-json", args=[code]), reverse("credentials:credential-png", args=[code]),
            reverse("credentials:pdf", args=[code, "fr"]), reverse("credentials:poster", args=[code, "fr"])]
    for url in urls:
        assert client.get(url).status_code == 302, url  # log in first
    other = client_as(other_learner)
    for url in urls:
        assert other.get(url).status_code == 404, url
    assert not (rendering.file_path(certificate, "pdf", "fr")).exists()  # nothing was rendered for them


def test_the_json_and_the_baked_png_carry_the_same_signed_credential(client_as, certificate, fetch):
    client = client_as(certificate.user)
    response = client.get(reverse("credentials:credential-json", args=[certificate.code]))
    assert response["Content-Disposition"] == f'attachment; filename="essor-{certificate.code}.json"'
    document = json.loads(response.content)
    independent.verify(document, fetch)
    png = client.get(reverse("credentials:credential-png", args=[certificate.code]))
    assert png["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(png.content))
    assert json.loads(image.text["openbadgecredential"]) == document
    # The chunk is iTXt, uncompressed, as Open Badges 3.0 baking says.
    assert b"iTXtopenbadgecredential\x00\x00\x00" in png.content


def test_revoked_certificates_offer_no_downloads(client_as, certificate):
    certificate_revoke(certificate=certificate, reason="Error")
    client = client_as(certificate.user)
    assert client.get(reverse("credentials:credential-json", args=[certificate.code])).status_code == 410
    html = html_of(client.get(reverse("credentials:certificate", args=[certificate.code])))
    assert "This certificate has been revoked" in html and reverse("credentials:pdf", args=[certificate.code, "fr"]) not in html


def test_the_learners_certificate_link_leads_to_the_certificate_page(client_as, certificate):
    response = client_as(certificate.user).get(reverse("learners:certificate", args=[certificate.code]) + "?lang=zh-hans")
    assert response["Location"] == reverse("credentials:certificate", args=[certificate.code]) + "?lang=zh-hans"


def _pdf_text(path, *, layout: bool = True) -> str:
    command = ["pdftotext", *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def _squeezed(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize(("language", "expected"), [
    ("fr", ["ATTESTATION DE RÉUSSITE", "basic-finance title fr"]),
    ("zh-hans", ["结", "《basic-finance title zh-hans》", "年"]),
    ("en", ["CERTIFICATE OF COMPLETION", "basic-finance title en"]),
])
def test_the_pdf_is_a4_one_page_with_embedded_fonts_and_selectable_text(client_as, certificate, language, expected,
                                                                         django_capture_on_commit_callbacks):
    client = client_as(certificate.user)
    url = reverse("credentials:pdf", args=[certificate.code, language])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(url).status_code == 202  # queued; the (eager) worker renders it
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="essor-certificate-{certificate.code}-{language}.pdf"'
    assert response["Cache-Control"] == "private, max-age=86400"
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    path = rendering.file_path(certificate, "pdf", language)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           1" in info and "841.89 x 595.276 pts (A4)" in info
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # the "emb" column
    # In layout mode a line that wraps has the text beside it in between; the reading order keeps a wrapped
    # title together (CI once failed on the Chinese title in layout mode only). Whitespace is not compared.
    text, reading = _pdf_text(path), _pdf_text(path, layout=False)
    for part in [certificate.learner_name, certificate.code, f"{SITE}/verify/", *expected]:
        assert any(_squeezed(part) in _squeezed(t) for t in (text, reading)), (part, reading)
    assert "8000" not in text  # the site URL, never a demo port


def test_the_pdf_is_generated_once_per_language(certificate):
    from credentials.tasks import certificate_files_render_task

    certificate_files_render_task(certificate.pk, "fr")
    path = rendering.file_path(certificate, "pdf", "fr")
    first = path.stat().st_mtime_ns
    certificate_files_render_task(certificate.pk, "fr")
    assert path.stat().st_mtime_ns == first
    assert sorted(p.name for p in path.parent.iterdir()) == ["certificate-fr.pdf", "poster-fr.png", "preview-fr.png"]


def test_a_file_not_rendered_yet_asks_to_come_back(client_as, certificate, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client_as(certificate.user).get(reverse("credentials:pdf", args=[certificate.code, "fr"]))
    assert response.status_code == 202 and response["Retry-After"] == "5"
    assert '<meta http-equiv="refresh" content="5">' in html_of(response)
    assert len(callbacks) == 1  # the render task, queued after commit
    assert not rendering.file_path(certificate, "pdf", "fr").exists()


def test_the_poster_qr_code_leads_to_the_verification_page(client_as, client, certificate, django_capture_on_commit_callbacks):
    holder = client_as(certificate.user)
    with django_capture_on_commit_callbacks(execute=True):
        holder.get(reverse("credentials:share", args=[certificate.code]) + "?lang=zh-hans")
    share = holder.get(reverse("credentials:share", args=[certificate.code]) + "?lang=zh-hans")
    html = html_of(share)
    poster_url = reverse("credentials:poster", args=[certificate.code, "zh-hans"])
    assert share.status_code == 200 and f'src="{poster_url}"' in html
    poster = holder.get(poster_url)
    image = Image.open(io.BytesIO(b"".join(poster.streaming_content)))
    assert image.size == (1080, 1350)
    decoded = zxingcpp.read_barcodes(image)
    assert [d.text for d in decoded] == [f"{SITE}/verify/{certificate.code}"]
    holder.logout()
    page = client.get(decoded[0].text.removeprefix(SITE), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200 and "证书真实有效" in html_of(page)


def test_the_certificate_pages_load_nothing_from_elsewhere_and_run_no_inline_script(client_as, certificate):
    client = client_as(certificate.user)
    for url in [reverse("credentials:certificate", args=[certificate.code]), reverse("credentials:share", args=[certificate.code]),
                f"/verify/{certificate.code}"]:
        html = html_of(client.get(url))
        assert re.findall(r'src="((?:https?:)?//[^"]+)"', html) == [], url
        assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == [], url
        assert re.findall(r"\son[a-z]+=", html) == [], url


WECHAT_UA = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 "
             "MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI")


def test_inside_wechat_the_certificate_offers_the_poster_instead_of_file_downloads(client_as, certificate):
    """WeChat's browser blocks file downloads (and print): it gets the picture to press and hold."""
    client = client_as(certificate.user)
    page = client.get(reverse("credentials:certificate", args=[certificate.code]), HTTP_USER_AGENT=WECHAT_UA).content.decode()
    share = reverse("credentials:share", args=[certificate.code])
    assert ".pdf" not in page and "credential.json" not in page and share in page and "press and hold" in page
    from credentials import rendering

    poster = rendering.file_path(certificate, "poster", "en")
    poster.parent.mkdir(parents=True, exist_ok=True)
    poster.write_bytes(b"\x89PNG stand-in")
    share_page = client.get(share, HTTP_USER_AGENT=WECHAT_UA).content.decode()
    assert "Press and hold the picture" in share_page and 'download="essor-' not in share_page
    assert 'download="essor-' in client.get(share).content.decode()
    elsewhere = client.get(reverse("credentials:certificate", args=[certificate.code])).content.decode()
    assert reverse("credentials:pdf", args=[certificate.code, "en"]) in elsewhere
