"""Credentials' addresses: the issuer's did:web documents and status lists (public, read by verifiers),
the badge image, and the holder's certificate page, PDF, poster, share page and credential files."""
from django.urls import path, re_path

from . import views

app_name = "credentials"

LANG = r"(?P<language>[a-z]{2}(?:-[a-z]{2,4})?)"

urlpatterns = [
    path(".well-known/did.json", views.SiteDidView.as_view(), name="did-site"),
    # did:web of a site served under a path (ESSOR_SITE_URL=https://host/essor) resolves to <path>/did.json.
    path("did.json", views.SiteDidView.as_view(), name="did-site-path"),
    path("issuers/<int:intermediary_id>/did.json", views.IssuerDidView.as_view(), name="did-issuer"),
    path("issuers/<int:intermediary_id>/logo", views.IssuerLogoView.as_view(), name="issuer-logo"),
    path("credentials/status/<str:status_list>", views.StatusListView.as_view(), name="status-list"),
    path("credentials/badge.png", views.BadgeImageView.as_view(), name="badge-image"),
    path("certificates/<str:code>/", views.CertificateView.as_view(), name="certificate"),
    path("certificates/<str:code>/share/", views.ShareView.as_view(), name="share"),
    path("certificates/<str:code>/credential.json", views.CredentialJsonView.as_view(), name="credential-json"),
    path("certificates/<str:code>/badge.png", views.BakedBadgeView.as_view(), name="credential-png"),
    re_path(rf"^certificates/(?P<code>[^/]+)/certificate-{LANG}\.pdf$", views.FileView.as_view(kind="pdf"), name="pdf"),
    re_path(rf"^certificates/(?P<code>[^/]+)/poster-{LANG}\.png$", views.FileView.as_view(kind="poster"), name="poster"),
    re_path(rf"^certificates/(?P<code>[^/]+)/preview-{LANG}\.png$", views.FileView.as_view(kind="preview"), name="preview"),
]
