"""A local stand-in for WeChat's OAuth endpoints, answering as the documented API does:

- GET /connect/qrconnect (website QR log-in) and /connect/oauth2/authorize (official account): the person
  scanned the QR code / agreed in WeChat, so the browser is sent back to redirect_uri with ?code=…&state=…
- GET /sns/oauth2/access_token?appid&secret&code&grant_type=authorization_code →
  {"access_token", "expires_in", "refresh_token", "openid", "scope", "unionid"} or {"errcode", "errmsg"}
- GET /sns/userinfo?access_token&openid → {"openid", "nickname", "sex", "province", "city", "country",
  "headimgurl", "privilege", "unionid"} or {"errcode", "errmsg"}
"""
import json
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse


class WeChatStandIn:
    def __init__(self, *, apps: dict[str, str], openid: str = "o6_bmjrPTlm6_2sgVt7hMZOPfL2M", nickname: str = "王芳"):
        self.apps = apps                      # appid -> secret
        self.openid, self.nickname = openid, nickname
        self.codes: dict[str, str] = {}      # code -> appid
        self.tokens: dict[str, str] = {}     # access_token -> openid
        self.calls: list[str] = []
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                url = urlparse(self.path)
                query = {key: values[0] for key, values in parse_qs(url.query).items()}
                stand_in.calls.append(url.path)
                if url.path in ("/connect/qrconnect", "/connect/oauth2/authorize"):
                    if query.get("appid") not in stand_in.apps or query.get("response_type") != "code":
                        return self.json({"errcode": 40013, "errmsg": "invalid appid"})
                    code = secrets.token_hex(8)
                    stand_in.codes[code] = query["appid"]
                    target = query["redirect_uri"] + ("&" if "?" in query["redirect_uri"] else "?") + urlencode(
                        {"code": code, "state": query.get("state", "")})
                    self.send_response(302)
                    self.send_header("Location", target)
                    self.end_headers()
                    return None
                if url.path == "/sns/oauth2/access_token":
                    appid = stand_in.codes.pop(query.get("code", ""), None)   # a code is used once
                    if appid is None or appid != query.get("appid") or stand_in.apps.get(appid) != query.get("secret") \
                            or query.get("grant_type") != "authorization_code":
                        return self.json({"errcode": 40029, "errmsg": "invalid code"})
                    token = secrets.token_hex(16)
                    stand_in.tokens[token] = stand_in.openid
                    return self.json({"access_token": token, "expires_in": 7200, "refresh_token": secrets.token_hex(16),
                                      "openid": stand_in.openid, "scope": "snsapi_login", "unionid": "o6_bmasdasdsad6_2sgVt7hMZOPfL"})
                if url.path == "/sns/userinfo":
                    if stand_in.tokens.get(query.get("access_token", "")) != query.get("openid"):
                        return self.json({"errcode": 40003, "errmsg": "invalid openid"})
                    # WeChat's documented quirk that social-core undoes: UTF-8 bytes read as Latin-1.
                    nickname = stand_in.nickname.encode("utf-8").decode("latin-1")
                    return self.json({"openid": stand_in.openid, "nickname": nickname, "sex": 2, "province": "四川",
                                      "city": "成都", "country": "中国", "headimgurl": "", "privilege": [],
                                      "unionid": "o6_bmasdasdsad6_2sgVt7hMZOPfL"})
                self.send_response(404)
                self.end_headers()
                return None

            def json(self, payload):
                body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "application/json; charset=utf-8")  # WeChat sends text/plain too
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
