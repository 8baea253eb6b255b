"""Credentials: certificates as signed Open Badges 3.0 credentials, their revocation list, the issuer's
did:web documents, the designed PDF in every language, the share poster and the public check at /verify/."""
