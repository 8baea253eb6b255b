"""SMS backends chosen by SMS_URL: file (the demo), console, and the Tencent / Alibaba adapters against
local stand-ins answering as their documented APIs do."""
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, urlparse

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import sms_settings
from core.sms import SmsError, SmsMessage, aliyun_signature, sms_send

MESSAGE = SmsMessage(to="+8613800138000", text="Essor：您的验证码是 123456。", kind="code",
                     params={"code": "123456", "minutes": "10"}, language="zh-hans")


def use(settings, url: str, var_dir: Path = Path("var")):
    for name, value in sms_settings(url, var_dir).items():
        setattr(settings, name, value)


def test_sms_url_schemes(tmp_path):
    assert sms_settings(f"file://{tmp_path}/sms", tmp_path)["SMS_OPTIONS"] == {"path": f"{tmp_path}/sms"}
    assert sms_settings("file://var/sms", tmp_path / "var")["SMS_OPTIONS"] == {"path": str(tmp_path / "var" / "sms")}
    assert sms_settings("console://", tmp_path)["SMS_BACKEND"] == "core.sms.ConsoleBackend"
    options = sms_settings("tencent://AKID:SECRET@ap-guangzhou?app_id=1400000000&sign=Essor&template_code=1&template_notice=2",
                           tmp_path)["SMS_OPTIONS"]
    assert options["key_id"] == "AKID" and options["templates"] == {"code": "1", "notice": "2"}
    with pytest.raises(ImproperlyConfigured, match="template_notice"):
        sms_settings("aliyun://id:secret@cn-hangzhou?sign=Essor&template_code=SMS_1", tmp_path)
    with pytest.raises(ImproperlyConfigured):
        sms_settings("carrier-pigeon://", tmp_path)


def test_file_backend_writes_one_whole_file_per_message(settings, tmp_path):
    use(settings, f"file://{tmp_path}/sms")
    sms_send(MESSAGE)
    sms_send(MESSAGE)
    files = sorted((tmp_path / "sms").glob("*.txt"))
    assert len(files) == 2 and not list((tmp_path / "sms").glob(".*"))
    text = files[0].read_text(encoding="utf-8")
    assert "To: +8613800138000" in text and "123456" in text and "您的验证码" in text


def test_console_backend(settings, capsys):
    use(settings, "console://")
    sms_send(MESSAGE)
    assert "SMS to +8613800138000 (code)" in capsys.readouterr().out


class StandIn:
    """A local HTTP server recording requests and answering with `answer(handler, body) -> dict`."""

    def __init__(self, answer):
        self.requests = []
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def _reply(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                stand_in.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                payload = json.dumps(answer(self, body)).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = _reply

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


def test_tencent_adapter_sends_through_the_official_sdk(settings):
    status = {"Code": "Ok"}
    stand_in = StandIn(lambda handler, body: {"Response": {"SendStatusSet": [
        {"SerialNo": "2028:1", "PhoneNumber": "+8613800138000", "Fee": 1, "SessionContext": "", "Code": status["Code"],
         "Message": "send success", "IsoCode": "CN"}], "RequestId": "a0aabda6"}})
    try:
        use(settings, f"tencent://AKIDtest:secret@ap-guangzhou?app_id=1400006666&sign=Essor&template_code=449739"
                      f"&template_notice=449740&endpoint={quote(stand_in.url)}")
        sms_send(MESSAGE)
        request = stand_in.requests[-1]
        assert request["headers"]["X-TC-Action"] == "SendSms" and request["headers"]["X-TC-Version"] == "2021-01-11"
        assert request["headers"]["Authorization"].startswith("TC3-HMAC-SHA256 Credential=AKIDtest/")
        body = json.loads(request["body"])
        assert body == {"PhoneNumberSet": ["+8613800138000"], "SmsSdkAppId": "1400006666", "SignName": "Essor",
                        "TemplateId": "449739", "TemplateParamSet": ["123456", "10"]}
        status["Code"] = "LimitExceeded.PhoneNumberDailyLimit"
        with pytest.raises(SmsError, match="PhoneNumberDailyLimit"):
            sms_send(MESSAGE)
    finally:
        stand_in.close()


def test_aliyun_adapter_signs_the_documented_rpc_request(settings):
    code = {"Code": "OK"}

    def answer(handler, body):
        query = {key: values[0] for key, values in parse_qs(urlparse(handler.path).query).items()}
        signature = query.pop("Signature")
        # Checked independently: HMAC-SHA1 of "GET&%2F&" + the encoded sorted query, key = secret + "&".
        import base64
        import hashlib
        import hmac
        canonical = "&".join(f"{quote(k, safe='~')}={quote(v, safe='~')}" for k, v in sorted(query.items()))
        expected = base64.b64encode(hmac.new(b"secret&", ("GET&%2F&" + quote(canonical, safe="~")).encode(), hashlib.sha1).digest())
        if signature.encode() != expected:
            return {"Code": "SignatureDoesNotMatch", "Message": "Specified signature is not matched."}
        handler.server.last_query = query
        return {"Code": code["Code"], "Message": "OK", "BizId": "9006197469364984400", "RequestId": "F655A8D5"}

    stand_in = StandIn(answer)
    try:
        use(settings, f"aliyun://LTAItest:secret@cn-hangzhou?sign=Essor&template_code=SMS_1&template_notice=SMS_2"
                      f"&endpoint={quote(stand_in.url)}")
        sms_send(MESSAGE)
        query = stand_in.server.last_query
        assert query["Action"] == "SendSms" and query["PhoneNumbers"] == "13800138000" and query["TemplateCode"] == "SMS_1"
        assert json.loads(query["TemplateParam"]) == {"code": "123456", "minutes": "10"}
        code["Code"] = "isv.BUSINESS_LIMIT_CONTROL"
        with pytest.raises(SmsError, match="BUSINESS_LIMIT_CONTROL"):
            sms_send(MESSAGE)
    finally:
        stand_in.close()
    assert aliyun_signature({"A": "1"}, "s") != aliyun_signature({"A": "2"}, "s")


@pytest.mark.django_db(transaction=True)
@pytest.mark.integration
def test_a_code_reaches_var_sms_through_the_outbox_and_a_real_worker(worker_factory, tmp_path):
    """The request owes the SMS; a real Celery worker writes it (the broker being down at the time is
    covered by the outbox's own tests: the same path)."""
    from django.test import Client

    sms_dir = tmp_path / "sms"
    worker = worker_factory(SMS_URL=f"file://{sms_dir}")
    response = Client().post("/accounts/phone/", {"phone": "13800138000"}, REMOTE_ADDR="10.9.0.1")
    assert response.status_code == 302
    files = worker.wait_for(lambda: list(sms_dir.glob("*.txt")) if sms_dir.exists() else [])
    assert "+8613800138000" in files[0].read_text()
