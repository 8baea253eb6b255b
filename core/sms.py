"""Text messages (SMS): one function, `sms_send`, and pluggable backends chosen by `SMS_URL`.

Like emails (`core/mail.py`), messages are sent from Celery tasks only, owed through the outbox.

Mainland providers send only pre-approved *templates*: a message is a template kind (``code`` for
one-time codes, ``notice`` for reminders, invitations and coaching news) with parameters, plus the
full text in the recipient's language for the backends that write text (file, console, memory).

``SMS_URL`` (parsed by ``config.env.sms_settings``; see docs/phone-and-wechat.md):

- ``file:///abs/dir`` or ``file://relative/dir`` — one ``.txt`` file per message (the demo: ``VAR_DIR/sms``)
- ``console://`` — printed on the worker's standard output
- ``locmem://`` — kept in ``core.sms.outbox`` (tests)
- ``tencent://SECRET_ID:SECRET_KEY@ap-guangzhou?app_id=…&sign=…&template_code=…&template_notice=…``
- ``aliyun://ACCESS_KEY_ID:ACCESS_KEY_SECRET@cn-hangzhou?sign=…&template_code=…&template_notice=…``
"""
from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import json
import logging
import sys
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode, urlparse
from urllib.request import Request, urlopen

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

__all__ = ["SmsMessage", "sms_send", "outbox", "SmsError"]

# Messages sent through the locmem backend (tests).
outbox: list[SmsMessage] = []


class SmsError(Exception):
    """The provider refused the message (the outbox retries the task)."""


@dataclass
class SmsMessage:
    to: str                        # E.164, +8613812345678
    text: str                      # the whole text, in the recipient's language
    kind: str = "notice"           # "code" or "notice": which provider template
    params: dict = field(default_factory=dict)   # the template's parameters (strings)
    language: str = ""


def sms_send(message: SmsMessage) -> None:
    """Send one message with the configured backend (raises SmsError when the provider refuses it)."""
    backend = import_string(settings.SMS_BACKEND)(**settings.SMS_OPTIONS)
    backend.send(message)


class FileBackend:
    """One file per message, as Django's file email backend writes emails (the demo reads var/sms/)."""

    def __init__(self, *, path: str):
        self.path = Path(path)

    def send(self, message: SmsMessage) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S-%f")
        name = f"{stamp}-{message.to.lstrip('+')}-{uuid.uuid4().hex[:8]}.txt"
        body = (f"To: {message.to}\nKind: {message.kind}\nLanguage: {message.language}\n"
                f"Params: {json.dumps(message.params, ensure_ascii=False, sort_keys=True)}\n\n{message.text}\n")
        temporary = self.path / f".{name}.tmp"
        temporary.write_text(body, encoding="utf-8")
        temporary.rename(self.path / name)  # a reader never sees half a message


class ConsoleBackend:
    def __init__(self, **_options):
        pass

    def send(self, message: SmsMessage) -> None:
        sys.stdout.write(f"SMS to {message.to} ({message.kind}): {message.text}\n")
        sys.stdout.flush()


class LocmemBackend:
    _lock = threading.Lock()

    def __init__(self, **_options):
        pass

    def send(self, message: SmsMessage) -> None:
        with self._lock:
            outbox.append(message)


class _ProviderBackend:
    def __init__(self, *, key_id, key_secret, region, sign, templates, app_id="", endpoint=""):
        self.key_id, self.key_secret, self.region, self.sign = key_id, key_secret, region, sign
        self.templates, self.app_id, self.endpoint = templates, app_id, endpoint


class TencentBackend(_ProviderBackend):
    """Tencent Cloud SMS (API 2021-01-11, SendSms) through the official SDK, tencentcloud-sdk-python-sms.

    Template parameters are positional: {1}, {2}…, filled from the message's params in key order
    (code: [code, minutes]; notice: [text])."""

    def send(self, message: SmsMessage) -> None:
        from tencentcloud.common import credential
        from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
        from tencentcloud.common.profile.client_profile import ClientProfile
        from tencentcloud.common.profile.http_profile import HttpProfile
        from tencentcloud.sms.v20210111 import models, sms_client

        http_profile = HttpProfile(reqTimeout=10)
        if self.endpoint:  # a stand-in server in tests: http://127.0.0.1:port
            parsed = urlparse(self.endpoint)
            http_profile.endpoint, http_profile.scheme = parsed.netloc, parsed.scheme or "https"
        client = sms_client.SmsClient(credential.Credential(self.key_id, self.key_secret), self.region or "ap-guangzhou",
                                      ClientProfile(httpProfile=http_profile))
        request = models.SendSmsRequest()
        request.PhoneNumberSet = [message.to]
        request.SmsSdkAppId = self.app_id
        request.SignName = self.sign
        request.TemplateId = self.templates[message.kind]
        request.TemplateParamSet = [str(message.params[key]) for key in sorted(message.params)]
        try:
            response = client.SendSms(request)
        except TencentCloudSDKException as error:
            raise SmsError(f"Tencent Cloud SMS: {error.code} {error.message}") from error
        status = (response.SendStatusSet or [None])[0]
        if status is None or status.Code != "Ok":
            raise SmsError(f"Tencent Cloud SMS refused the message: {getattr(status, 'Code', '?')} {getattr(status, 'Message', '')}")


class AliyunBackend(_ProviderBackend):
    """Alibaba Cloud SMS (Dysmsapi 2017-05-25, SendSms) through its documented RPC HTTP API.

    Not the official SDK: alibabacloud_dysmsapi20170525 brings aiohttp, APScheduler, aiofiles and four
    alibabacloud_* packages for one signed GET (docs/architecture.md). The signature is the documented
    RPC v1 scheme (HMAC-SHA1 over the sorted, percent-encoded query)."""

    def send(self, message: SmsMessage) -> None:
        params = {
            "AccessKeyId": self.key_id, "Action": "SendSms", "Format": "JSON", "RegionId": self.region or "cn-hangzhou",
            "SignatureMethod": "HMAC-SHA1", "SignatureNonce": uuid.uuid4().hex, "SignatureVersion": "1.0",
            "Timestamp": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "Version": "2017-05-25",
            # Alibaba takes mainland numbers without +86, others with their country code and no +.
            "PhoneNumbers": message.to[3:] if message.to.startswith("+86") else message.to.lstrip("+"),
            "SignName": self.sign, "TemplateCode": self.templates[message.kind],
            "TemplateParam": json.dumps({key: str(value) for key, value in message.params.items()}, ensure_ascii=False),
        }
        params["Signature"] = aliyun_signature(params, self.key_secret)
        endpoint = self.endpoint or "https://dysmsapi.aliyuncs.com"
        if not endpoint.startswith(("https://", "http://")):
            raise SmsError("The Alibaba Cloud SMS endpoint must be an http(s) URL.")
        request = Request(f"{endpoint.rstrip('/')}/?{urlencode(params, quote_via=quote)}", method="GET")  # noqa: S310
        try:
            with urlopen(request, timeout=10) as response:  # noqa: S310 (http(s) checked above)
                answer = json.loads(response.read().decode("utf-8"))
        except OSError as error:
            raise SmsError(f"Alibaba Cloud SMS unreachable: {error}") from error
        if answer.get("Code") != "OK":
            raise SmsError(f"Alibaba Cloud SMS refused the message: {answer.get('Code')} {answer.get('Message', '')}")


def _percent(value: str) -> str:
    return quote(value, safe="-_.~")


def aliyun_signature(params: dict, secret: str, method: str = "GET") -> str:
    canonical = "&".join(f"{_percent(k)}={_percent(str(v))}" for k, v in sorted(params.items()))
    to_sign = f"{method}&{_percent('/')}&{_percent(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()
