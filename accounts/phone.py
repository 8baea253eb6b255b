"""Phone numbers and one-time SMS codes: parsing, rate limits, issuing and checking codes.

Rules (docs/phone-and-wechat.md):

- A number is stored in E.164. Typed with ``+`` or ``00``: read as international. Otherwise, 11 digits
  starting with 1 are a mainland China mobile number (+86); any other national number is read in the
  region of the interface language (``zh-hans`` → CN, ``fr`` → FR; ``en`` has none: "+" needed).
- A code is 6 digits, lives ``ESSOR_PHONE_CODE_TTL_SECONDS``, is stored as an HMAC (keyed by the
  secret key), is used once, and allows ``ESSOR_PHONE_CODE_MAX_ATTEMPTS`` wrong guesses. Only the
  latest code of a number and purpose counts.
- Asking for codes is limited per number and per client address in the configured cache (shared by
  every process when CACHE_URL is Redis, Memcached, a database or a file cache).
- Whether the number has an account changes nothing before the code is checked: the same page, the
  same message, a code sent either way.
"""
from __future__ import annotations

import re
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta

import phonenumbers
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

MAX_INPUT_LENGTH = 32
LANGUAGE_REGIONS = {"zh-hans": "CN", "fr": "FR"}
_SEPARATORS = re.compile(r"[\s\-().·]")


def phone_parse(raw: str, *, language: str = "") -> str:
    """Return the number in E.164, or raise a ValidationError with a sentence the person can act on."""
    text = _SEPARATORS.sub("", (raw or "").strip())
    if not text:
        raise ValidationError(_("Enter your mobile phone number."), code="required")
    if len(text) > MAX_INPUT_LENGTH or not re.fullmatch(r"(\+|00)?\d+", text):
        raise ValidationError(_("Enter a phone number with digits only, for example 138 0013 8000 or +33 6 12 34 56 78."),
                              code="invalid")
    if text.startswith("00"):
        text = "+" + text[2:]
    if text.startswith("+"):
        region = None
    elif len(text) == 11 and text.startswith("1"):
        region = "CN"
    else:
        region = LANGUAGE_REGIONS.get(language)
        if region is None:
            raise ValidationError(_("Start the number with + and the country code, for example +33 6 12 34 56 78."),
                                  code="region")
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as error:
        raise ValidationError(_("This is not a phone number we can read. Check it and try again."), code="invalid") from error
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("This is not a valid phone number. Check it and try again."), code="invalid")
    if phonenumbers.number_type(number) not in (phonenumbers.PhoneNumberType.MOBILE,
                                                phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE):
        raise ValidationError(_("Enter a mobile phone number: the code is sent by text message."), code="not_mobile")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# --- Rate limits in the shared cache --------------------------------------------------------------

def rate_allow(key: str, *, limit: int, window: int) -> bool:
    """True while fewer than `limit` calls were allowed for `key` in the current `window` seconds.

    Each allowed call takes one numbered slot with `cache.add`, which is atomic on Redis, Memcached and
    the database cache: two processes sharing the cache never both take the same slot (a get-then-set
    counter would let them). The file cache checks then writes: exact for sequential requests only."""
    if window <= 0:
        return True
    if limit <= 0:
        return False
    bucket = int(time.time() // window)
    return any(cache.add(f"essor:rate:{key}:{bucket}:{slot}", 1, timeout=window + 5) for slot in range(limit))


# --- Codes ----------------------------------------------------------------------------------------

def _code_hash(*, phone: str, purpose: str, code: str) -> str:
    return salted_hmac("essor.accounts.phone-code", f"{phone}|{purpose}|{code}", algorithm="sha256").hexdigest()


def _fernet() -> Fernet:
    import base64
    key = salted_hmac("essor.accounts.phone-code-transit", "fernet", algorithm="sha256").digest()
    return Fernet(base64.urlsafe_b64encode(key))


def code_seal(code: str) -> str:
    """The code as the outbox carries it to the SMS task: encrypted, readable until it expires."""
    return _fernet().encrypt(code.encode()).decode()


def code_unseal(token: str) -> str | None:
    try:
        return _fernet().decrypt(token.encode(), ttl=settings.ESSOR_PHONE_CODE_TTL_SECONDS).decode()
    except InvalidToken:
        return None


@dataclass
class CodeRequest:
    phone: str
    sent: bool          # False: the limit was reached (the page says so, for any number)


def phone_code_request(*, phone: str, purpose: str, address: str, language: str, user=None) -> CodeRequest:
    """Issue a code for `phone` and owe its SMS (after commit, through the outbox).

    The limits are checked before anything is written; the answer never depends on an account existing."""
    from core.outbox import outbox_enqueue

    from .models import PhoneCode
    from .tasks import phone_code_sms_send_task

    hour = 3600
    allowed = (rate_allow(f"phone-interval:{phone}", limit=1, window=settings.ESSOR_PHONE_CODE_INTERVAL_SECONDS)
               and rate_allow(f"phone-hour:{phone}", limit=settings.ESSOR_PHONE_CODES_PER_NUMBER_PER_HOUR, window=hour)
               and rate_allow(f"phone-address:{address or '-'}", limit=settings.ESSOR_PHONE_CODES_PER_ADDRESS_PER_HOUR,
                              window=hour))
    if not allowed:
        return CodeRequest(phone=phone, sent=False)
    code = f"{secrets.randbelow(10**6):06d}"
    now = timezone.now()
    with transaction.atomic():
        record = PhoneCode.objects.create(
            phone=phone, purpose=purpose, user=user, code_hash=_code_hash(phone=phone, purpose=purpose, code=code),
            expires_at=now + timedelta(seconds=settings.ESSOR_PHONE_CODE_TTL_SECONDS), address=(address or "")[:45])
        outbox_enqueue(phone_code_sms_send_task, args=[record.pk, code_seal(code), language], key=f"phone-code-sms:{record.pk}")
    return CodeRequest(phone=phone, sent=True)


def phone_code_check(*, phone: str, purpose: str, code: str, user=None) -> bool:
    """True once for the right code of the latest unexpired code of this number (and user, to add a phone).

    A wrong guess counts against the code; after the last allowed one the code is dead."""
    from .models import PhoneCode

    code = (code or "").strip()
    if not re.fullmatch(r"\d{6}", code):
        return False
    with transaction.atomic():
        record = (PhoneCode.objects.select_for_update()
                  .filter(phone=phone, purpose=purpose, user=user).order_by("-created_at", "-pk").first())
        if (record is None or record.used_at is not None or record.expires_at <= timezone.now()
                or record.attempts >= settings.ESSOR_PHONE_CODE_MAX_ATTEMPTS):
            return False
        if not constant_time_compare(record.code_hash, _code_hash(phone=phone, purpose=purpose, code=code)):
            PhoneCode.objects.filter(pk=record.pk).update(attempts=F("attempts") + 1)
            return False
        PhoneCode.objects.filter(pk=record.pk).update(attempts=F("attempts") + 1, used_at=timezone.now())
        return True
