"""Small helpers to read settings from the environment (and the demo secret key from var/)."""
import os
import secrets
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in TRUE


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def demo_secret_key(var_dir: Path) -> str:
    """A secret key generated once into var/ so a demo keeps its sessions across restarts."""
    path = var_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_urlsafe(50)
    var_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(key)
    path.chmod(0o600)
    return key


def email_settings(url: str, var_dir: Path) -> dict:
    """Turn EMAIL_URL into Django email settings.

    file:///abs/path (or file://var/mail, relative to the project), smtp://user:pass@host:port,
    smtp+tls://..., smtp+ssl://..., console://, locmem://.
    """
    parsed = urlparse(url)
    scheme = parsed.scheme
    if scheme == "file":
        raw = unquote(parsed.netloc + parsed.path)
        path = Path(raw) if raw.startswith("/") else var_dir.parent / raw
        return {"EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend", "EMAIL_FILE_PATH": str(path)}
    if scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if scheme == "locmem":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if scheme in {"smtp", "smtp+tls", "smtp+ssl"}:
        query = parse_qs(parsed.query)
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parsed.hostname or "localhost",
            "EMAIL_PORT": parsed.port or (465 if scheme == "smtp+ssl" else 587 if scheme == "smtp+tls" else 25),
            "EMAIL_HOST_USER": unquote(parsed.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parsed.password or ""),
            "EMAIL_USE_TLS": scheme == "smtp+tls",
            "EMAIL_USE_SSL": scheme == "smtp+ssl",
            "EMAIL_TIMEOUT": int(query.get("timeout", ["10"])[0]),
        }
    raise ImproperlyConfigured(
        f"EMAIL_URL {url!r} is not understood: use file://, smtp://, smtp+tls://, smtp+ssl://, console:// or locmem://."
    )


def sms_settings(url: str, var_dir: Path) -> dict:
    """Turn SMS_URL into the SMS_BACKEND and SMS_OPTIONS settings."""
    parsed = urlparse(url)
    scheme = parsed.scheme
    query = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
    if scheme == "file":
        raw = unquote(parsed.netloc + parsed.path)
        path = Path(raw) if raw.startswith("/") else var_dir.parent / raw
        return {"SMS_BACKEND": "core.sms.FileBackend", "SMS_OPTIONS": {"path": str(path)}}
    if scheme == "console":
        return {"SMS_BACKEND": "core.sms.ConsoleBackend", "SMS_OPTIONS": {}}
    if scheme == "locmem":
        return {"SMS_BACKEND": "core.sms.LocmemBackend", "SMS_OPTIONS": {}}
    if scheme in {"tencent", "aliyun"}:
        options = {
            "key_id": unquote(parsed.username or ""), "key_secret": unquote(parsed.password or ""),
            "region": parsed.hostname or "", "sign": query.get("sign", ""),
            "templates": {"code": query.get("template_code", ""), "notice": query.get("template_notice", "")},
            "app_id": query.get("app_id", ""), "endpoint": query.get("endpoint", ""),
        }
        missing = [name for name in ("key_id", "key_secret", "sign") if not options[name]]
        missing += [f"template_{kind}" for kind, code in options["templates"].items() if not code]
        if scheme == "tencent" and not options["app_id"]:
            missing.append("app_id")
        if missing:
            raise ImproperlyConfigured(f"SMS_URL ({scheme}://) lacks: {', '.join(missing)}. See docs/phone-and-wechat.md.")
        backend = "core.sms.TencentBackend" if scheme == "tencent" else "core.sms.AliyunBackend"
        return {"SMS_BACKEND": backend, "SMS_OPTIONS": options}
    raise ImproperlyConfigured(f"SMS_URL scheme {scheme!r} is not supported (file, console, locmem, tencent, aliyun).")
