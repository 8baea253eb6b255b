"""A certificate's Open Badges credential (issuer, revocation index, the signed document) and how an
intermediary appears as an issuer (logo, website)."""
from django.db import models
from django.utils.translation import gettext_lazy as _

SITE_STATUS_LIST = "site"


class IssuerProfile(models.Model):
    """What a certificate issued on behalf of an intermediary shows: its logo, website and address."""

    intermediary = models.OneToOneField("accounts.Intermediary", on_delete=models.CASCADE, related_name="issuer_profile",
                                        verbose_name=_("intermediary"))
    logo = models.ImageField(_("logo"), upload_to="issuers/", blank=True,
                             help_text=_("PNG or JPEG, shown on certificates and in the credentials it issues."))
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("contact email"), blank=True)

    class Meta:
        verbose_name = _("issuer profile")
        verbose_name_plural = _("issuer profiles")

    def __str__(self) -> str:
        return str(self.intermediary)


class Credential(models.Model):
    """One per certificate. The issuer and the revocation index are fixed when the certificate is issued;
    the document is signed once (by the worker, or by the first page that needs it) and never changes."""

    certificate = models.OneToOneField("learners.Certificate", on_delete=models.CASCADE, related_name="credential")
    # The intermediary the site issues on behalf of; empty: the site itself. PROTECT: its did:web
    # document must stay published for as long as its credentials exist.
    intermediary = models.ForeignKey("accounts.Intermediary", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("issuer"))
    # One Bitstring Status List per issuer ("site" or the intermediary's id), a random free index in it.
    status_list = models.CharField(max_length=20)
    status_index = models.PositiveIntegerField()
    language = models.CharField(max_length=10)  # language of the credential's name and description
    salt = models.CharField(max_length=32)  # salts the hashed email in credentialSubject.identifier
    document = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["status_list", "status_index"], name="uniq_credential_status_index")]
        verbose_name = _("credential")
        verbose_name_plural = _("credentials")

    def __str__(self) -> str:
        return f"credential {self.certificate_id}"
