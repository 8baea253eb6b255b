"""Essor settings: everything comes from the environment, with safe defaults for one machine.

Default (embedded) mode: SQLite under var/, kombu's filesystem broker under var/, a file cache
under var/cache, emails written as files under var/mail/. Production: set the variables listed in
.env.example (DATABASE_URL, CELERY_BROKER_URL, CACHE_URL, EMAIL_URL, DJANGO_SECRET_KEY, ...).
"""
import secrets
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
import django_cache_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from .env import demo_secret_key, email_settings, env_bool, env_int, env_list, env_str, sms_settings

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("ESSOR_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DJANGO_DEBUG", False)
# Demo mode: demo accounts may be created, a secret key is generated into var/.
DEMO = env_bool("ESSOR_DEMO", False)

# Management commands that sign nothing may run without a key (an ephemeral one), so that
# `manage.py makemigrations --check` or `migrate` work in a bare checkout; serving never does.
KEYLESS_COMMANDS = {"makemigrations", "migrate", "showmigrations", "collectstatic", "compilemessages", "makemessages",
                    "import_content", "export_content", "search_reindex", "spectacular", "help", "credentials_key",
                    "backup_site", "restore_site", "site_counts"}

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if DEBUG or DEMO:
        SECRET_KEY = demo_secret_key(VAR_DIR)
    elif len(sys.argv) > 1 and sys.argv[0].endswith("manage.py") and sys.argv[1] in KEYLESS_COMMANDS:
        SECRET_KEY = secrets.token_urlsafe(50)
    else:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random value in production, "
            "or set ESSOR_DEMO=1 (or DJANGO_DEBUG=1) to run a local demo with a generated key."
        )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
# A stale form token shows a translated page that leads back to the form (not Django's technical one).
CSRF_FAILURE_VIEW = "core.views.csrf_failure"
# The default follows PORT (`make run PORT=8080`): links in the demo's emails and certificates reach the demo.
SITE_URL = env_str("ESSOR_SITE_URL", f"http://127.0.0.1:{env_int('PORT', 8000)}").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # the widget templates, for the project's form renderer (core.forms.FormRenderer)
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "auditlog",
    "phonenumber_field",
    "social_django",
    "core",
    "accounts",
    "courses",
    "learners",
    "cohorts",
    "coaching",
    "credentials",
    "search",
    "impact",
    "xapi",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # Compresses the HTML and JSON it is given last, after every middleware below has written the response (static files
    # come precompressed from WhiteNoise and are left alone). BREACH: Django's GZipMiddleware pads each response with
    # random bytes ("Heal The Breach", Django ≥ 4.2) and CSRF tokens are masked anew on every response, so a secret
    # reflected next to attacker-controlled text cannot be recovered from compressed sizes (docs/architecture.md).
    "django.middleware.gzip.GZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # django-auditlog: the request's user and address on every audit entry (core/audit.py).
    "core.audit.AuditMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    # A WeChat log-in that fails (refused, closed sign-up, stand-in down) goes back to the log-in page.
    "accounts.middleware.WeChatErrorMiddleware",
    # Below django-csp's middleware: adds WeChat's authorisation origin to form-action when WeChat log-in is on.
    "accounts.middleware.WeChatFormActionMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# Every form is drawn by templates/forms/ (error summary, errors beside fields, aria-describedby).
FORM_RENDERER = "core.forms.FormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.essor",
                "accounts.context_processors.wechat",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'essor.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web process and the Celery worker share one file: WAL lets readers run beside a
    # writer, IMMEDIATE takes the write lock at BEGIN so two writers queue instead of failing
    # with "database is locked" half-way through a transaction. Connections are kept between requests
    # (DATABASE_CONN_MAX_AGE, 60 s) like PostgreSQL's: opening one parses the schema again, about 4 ms of every
    # request (docs/performance.md); an idle connection in autocommit holds no lock and no snapshot.
    # core/db/sqlite3: Django's SQLite backend whose transactions queue for the write lock in the kernel (flock).
    DATABASES["default"]["ENGINE"] = "core.db.sqlite3"
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file (not memory) so that a real Celery worker in the integration tests sees the data.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test_essor.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
# The cache counts the API's rate limits and holds module outlines, so it must be one for every web
# process: a local-memory cache (one per process) would let N gunicorn workers answer N times the limit.
# Default: files under VAR_DIR/cache, shared by every process of the machine with no service and no write
# to the database (the database cache on SQLite would take the one write lock on every throttled request).
# Production: CACHE_URL=redis://… (several machines). See docs/security.md.
CACHE_URL = env_str("CACHE_URL")
if CACHE_URL:
    CACHES = {"default": django_cache_url.parse(CACHE_URL)}
    if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
        CACHES["default"]["BACKEND"] = "core.cache.redis.RedisCache"  # one Redis client per pool (core/cache/redis.py)
else:
    CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache"),
        # Each write lists the folder to cull it: a few thousand entries (outlines, rate-limit histories) stay cheap.
        "OPTIONS": {"MAX_ENTRIES": env_int("ESSOR_CACHE_MAX_ENTRIES", 3000)},
    }}
# Sessions are read from the cache when it is a shared in-memory server (Redis, Memcached): one query less
# per request. With a local-memory cache a log-out in one process would not reach the others, and a file
# read is no cheaper than the query, so sessions then stay in the database alone.
SESSION_ENGINE = ("django.contrib.sessions.backends.cached_db"
                  if any(name in CACHES["default"]["BACKEND"] for name in ("redis", "memcached"))
                  else "accounts.sessions")  # the database, read with one hand-written SELECT

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend that also reads the staff flag the navigation needs (one query less per page).
    "accounts.backends.UserBackend",
    # Sessions opened before UserBackend existed still name this one.
    "django.contrib.auth.backends.ModelBackend",
]
# Every password set on the site (sign-up, change, reset, admin) passes these; their messages come translated
# with Django (fr, zh-hans, en). 8 characters is NIST SP 800-63B's minimum for a chosen password.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
     "OPTIONS": {"user_attributes": ["email", "display_name"]}},
    {"NAME": "accounts.validators.MinimumLengthValidator",
     "OPTIONS": {"min_length": env_int("ESSOR_PASSWORD_MIN_LENGTH", 8)}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"
ESSOR_OPEN_SIGNUP = env_bool("ESSOR_OPEN_SIGNUP", True)
# Data rights (docs/privacy.md): who is responsible for the personal data (GDPR "controller", PIPL
# "personal information handler") and where people write to exercise their rights. Shown on /privacy/.
ESSOR_PRIVACY_CONTROLLER = env_str("ESSOR_PRIVACY_CONTROLLER", "The organisation that runs this Essor site")
ESSOR_PRIVACY_CONTACT = env_str("ESSOR_PRIVACY_CONTACT", "privacy@essor.localhost")
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
# A log-in lasts ESSOR_SESSION_DAYS (the cookie and the stored session expire together); expired sessions are
# deleted every night (CELERY_BEAT_SCHEDULE "sessions-clear").
SESSION_COOKIE_AGE = env_int("ESSOR_SESSION_DAYS", 14) * 24 * 3600

# WeChat log-in (docs/phone-and-wechat.md): off unless an app id and secret are set. WEB = the Open
# Platform website application (QR log-in on a computer), MP = the official account (inside WeChat).
ESSOR_WECHAT_WEB_APP_ID = env_str("ESSOR_WECHAT_WEB_APP_ID")
ESSOR_WECHAT_MP_APP_ID = env_str("ESSOR_WECHAT_MP_APP_ID")
ESSOR_WECHAT_OPEN_URL = env_str("ESSOR_WECHAT_OPEN_URL", "https://open.weixin.qq.com")
ESSOR_WECHAT_API_URL = env_str("ESSOR_WECHAT_API_URL", "https://api.weixin.qq.com")
SOCIAL_AUTH_WEIXIN_KEY = ESSOR_WECHAT_WEB_APP_ID
SOCIAL_AUTH_WEIXIN_SECRET = env_str("ESSOR_WECHAT_WEB_APP_SECRET")
SOCIAL_AUTH_WEIXINAPP_KEY = ESSOR_WECHAT_MP_APP_ID
SOCIAL_AUTH_WEIXINAPP_SECRET = env_str("ESSOR_WECHAT_MP_APP_SECRET")
if ESSOR_WECHAT_WEB_APP_ID:
    AUTHENTICATION_BACKENDS.append("accounts.wechat.WeChatQRBackend")
if ESSOR_WECHAT_MP_APP_ID:
    AUTHENTICATION_BACKENDS.append("accounts.wechat.WeChatOfficialAccountBackend")
SOCIAL_AUTH_USER_MODEL = AUTH_USER_MODEL
SOCIAL_AUTH_URL_NAMESPACE = "social"
SOCIAL_AUTH_JSONFIELD_ENABLED = True
SOCIAL_AUTH_LOGIN_REDIRECT_URL = "/"
SOCIAL_AUTH_NEW_ASSOCIATION_REDIRECT_URL = "/accounts/profile/#wechat"
SOCIAL_AUTH_LOGIN_ERROR_URL = "/accounts/login/"
SOCIAL_AUTH_SANITIZE_REDIRECTS = True
SOCIAL_AUTH_REDIRECT_IS_HTTPS = env_bool("DJANGO_HTTPS", False)
SOCIAL_AUTH_PIPELINE = (
    "social_core.pipeline.social_auth.social_details",
    "social_core.pipeline.social_auth.social_uid",
    "social_core.pipeline.social_auth.auth_allowed",
    "social_core.pipeline.social_auth.social_user",       # a linked identity logs its account in
    "accounts.wechat.create_user",                        # logged in: linked to you; else a new account
    "social_core.pipeline.social_auth.associate_user",
    "social_core.pipeline.social_auth.load_extra_data",
)

# Log-in failures: locked after AXES_FAILURE_LIMIT failures for one address + account pair.
AXES_ENABLED = env_bool("ESSOR_AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("ESSOR_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("ESSOR_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# The log-in form names its email field "username" (Django's AuthenticationForm).
AXES_USERNAME_FORM_FIELD = "username"
# One account = one counter: failures are counted under the email's one spelling (NFKC, stripped,
# lower case), since log-in matches the email case-insensitively.
AXES_USERNAME_CALLABLE = "accounts.backends.axes_username"
AXES_VERBOSE = False
# The client's address as the API throttles see it (ESSOR_NUM_PROXIES below): a spoofed X-Forwarded-For
# neither resets a lock-out nor locks someone else out.
AXES_CLIENT_IP_CALLABLE = "core.client_ip.client_ip"

# --- Audit log (django-auditlog, core/audit.py, docs/security.md) ----------------------------------
# Model changes written by django-auditlog; events (drill-downs opened, exports, revocations, deletions)
# are written by core.audit.record(). Only the fields named here are tracked (a log-in writes nothing).
AUDITLOG_INCLUDE_TRACKING_MODELS = (
    {"model": "accounts.user", "include_fields": ["is_learner", "is_trainer", "is_coach", "is_staff", "is_superuser",
                                                  "is_active"]},
    {"model": "accounts.intermediarystaff", "include_fields": ["intermediary", "user", "is_manager"]},
    {"model": "coaching.coachprofile", "include_fields": ["is_vetted", "vetted_by"]},
)
AUDITLOG_DISABLE_REMOTE_ADDR = False

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = env_str("DJANGO_LANGUAGE_CODE", "fr")
LANGUAGES = [("fr", "Français"), ("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("DJANGO_TIME_ZONE", "Europe/Paris")

# Content languages are configuration: the languages a lesson may be written in, and the
# ones every module must be complete in before it can be published.
CONTENT_LANGUAGES = env_list("ESSOR_CONTENT_LANGUAGES", ["fr", "zh-hans", "en"])
REQUIRED_CONTENT_LANGUAGES = env_list("ESSOR_REQUIRED_CONTENT_LANGUAGES", ["fr", "zh-hans"])
# Publishing a module while one of its translations needs an update (its source text changed since): the page warns
# and asks for a confirmation; 1 refuses it until the translations are updated or marked as matching.
ESSOR_REFUSE_STALE_TRANSLATIONS = env_bool("ESSOR_REFUSE_STALE_TRANSLATIONS", False)
CONTENT_DIR = Path(env_str("ESSOR_CONTENT_DIR", str(BASE_DIR / "content")))
# import_content limits: bytes per Markdown or YAML file (the longest shipped lesson is ~12 KB), files
# per module folder (lessons × languages, quiz, images), module folders per import.
ESSOR_CONTENT_MAX_FILE_BYTES = env_int("ESSOR_CONTENT_MAX_FILE_BYTES", 512 * 1024)
ESSOR_CONTENT_MAX_FILES_PER_MODULE = env_int("ESSOR_CONTENT_MAX_FILES_PER_MODULE", 500)
ESSOR_CONTENT_MAX_MODULES = env_int("ESSOR_CONTENT_MAX_MODULES", 200)
# Downloadable templates (content/<module>/templates/): bytes per file (the shipped ones are under 40 KB)
# and files per module.
ESSOR_TEMPLATE_MAX_BYTES = env_int("ESSOR_TEMPLATE_MAX_BYTES", 2 * 1024 * 1024)
ESSOR_TEMPLATE_MAX_FILES = env_int("ESSOR_TEMPLATE_MAX_FILES", 60)

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("ESSOR_MEDIA_ROOT", str(VAR_DIR / "media")))
ESSOR_SERVE_MEDIA = env_bool("ESSOR_SERVE_MEDIA", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env_str(
            "ESSOR_STATICFILES_STORAGE",
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Email ----------------------------------------------------------------------------------
globals().update(email_settings(env_str("EMAIL_URL", "file://var/mail"), VAR_DIR))
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "Essor <no-reply@essor.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Text messages (core/sms.py, docs/phone-and-wechat.md) ------------------------------------
# file:// (default: one file per message under VAR_DIR/sms), console://, locmem://, tencent://…, aliyun://…
globals().update(sms_settings(env_str("SMS_URL", f"file://{VAR_DIR / 'sms'}"), VAR_DIR))
# One-time codes: lifetime, wrong guesses allowed per code, and how many may be asked for (shared cache).
ESSOR_PHONE_CODE_TTL_SECONDS = env_int("ESSOR_PHONE_CODE_TTL_SECONDS", 600)
ESSOR_PHONE_CODE_MAX_ATTEMPTS = env_int("ESSOR_PHONE_CODE_MAX_ATTEMPTS", 5)
ESSOR_PHONE_CODE_INTERVAL_SECONDS = env_int("ESSOR_PHONE_CODE_INTERVAL_SECONDS", 60)
ESSOR_PHONE_CODES_PER_NUMBER_PER_HOUR = env_int("ESSOR_PHONE_CODES_PER_NUMBER_PER_HOUR", 5)
ESSOR_PHONE_CODES_PER_ADDRESS_PER_HOUR = env_int("ESSOR_PHONE_CODES_PER_ADDRESS_PER_HOUR", 20)

# --- Security (production: DJANGO_HTTPS=1 behind a TLS-terminating proxy) --------------------
HTTPS = env_bool("DJANGO_HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp), the same in every mode: scripts only from the site's own files (no
# inline script, no event attribute, no eval), nothing from another origin, no framing. Styles allow inline
# `style` attributes (progress bars' widths, a few margins; lesson HTML carries none, bleach drops them).
# The browser tests fail on any violation (tests/conftest.py). Reports go to /csp-report/ (core/views.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        # Redoc (the API's reference page) parses the schema in a web worker it starts from a blob.
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "frame-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "report-uri": ["/csp-report/"],
    },
}
# /csp-report/: at most this many reports per minute and client address, each at most this many bytes.
ESSOR_CSP_REPORTS_PER_MINUTE = env_int("ESSOR_CSP_REPORTS_PER_MINUTE", 30)
ESSOR_CSP_REPORT_MAX_BYTES = 8 * 1024

# --- Celery ---------------------------------------------------------------------------------
# "localhost" is ignored by the filesystem transport; without it kombu warns on every connection.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://localhost/")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        # Exchange bindings; kombu's default is a "control" folder in the current directory.
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
# Longest task (a big cohort export): the outbox keeps a running task's lock this long, and the
# Redis visibility timeout is twice this so that a running task is not handed out again.
CELERY_TASK_TIME_LIMIT = env_int("ESSOR_TASK_TIME_LIMIT_SECONDS", 1800)
CELERY_TASK_SOFT_TIME_LIMIT = max(1, CELERY_TASK_TIME_LIMIT - 60)
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 2 * CELERY_TASK_TIME_LIMIT,
        # A dead Redis answers "refused" at once; an unreachable one must not hang a web request.
        "socket_connect_timeout": 3, "socket_timeout": 10,
    }
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing retries briefly; the outbox relay retries for longer (a web request never waits on it).
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
# Every task here is idempotent (outbox keys, delivery records, claimed jobs, unique constraints), so a
# message is acknowledged after the task ran and handed out again when its worker died.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE: dict = {
    # Each app adds its periodic tasks here (name -> task, schedule).
    # The outbox relay and the worker's heartbeat (read by /healthz).
    "outbox-relay": {"task": "core.tasks.outbox_relay_task", "schedule": timedelta(seconds=30)},
    "worker-heartbeat": {"task": "core.tasks.heartbeat_task", "schedule": timedelta(seconds=60)},
    "cohorts-exports-recover": {"task": "cohorts.tasks.cohort_exports_recover_task", "schedule": timedelta(minutes=2)},
    "sessions-clear": {"task": "accounts.tasks.sessions_clear_task", "schedule": crontab(minute=27, hour=3)},
    "axes-reset-old-attempts": {"task": "accounts.tasks.login_attempts_prune_task", "schedule": crontab(minute=17, hour=3)},
    "coaching-expire-proposals": {"task": "coaching.tasks.coaching_expiry_task", "schedule": crontab(minute=7)},
    "coaching-session-reminders": {"task": "coaching.tasks.session_reminders_task", "schedule": crontab(minute=37, hour=9)},
    # Cohorts: remind stalled learners each morning; delete expired export files every night.
    "cohorts-stalled-reminders": {"task": "cohorts.tasks.cohort_reminders_send_task", "schedule": crontab(minute=0, hour=9)},
    "cohorts-exports-purge": {"task": "cohorts.tasks.cohort_exports_purge_task", "schedule": crontab(minute=40, hour=3)},
}

# --- Outbox and health (core/outbox.py, core/health.py) ----------------------------------------
# A message not done this long after it was handed to the broker is handed over again.
ESSOR_OUTBOX_LEASE_SECONDS = env_int("ESSOR_OUTBOX_LEASE_SECONDS", 600)
# Retries after a failure: this many seconds, doubling each time up to the maximum, then given up.
ESSOR_OUTBOX_RETRY_SECONDS = env_int("ESSOR_OUTBOX_RETRY_SECONDS", 30)
ESSOR_OUTBOX_RETRY_MAX_SECONDS = env_int("ESSOR_OUTBOX_RETRY_MAX_SECONDS", 3600)
ESSOR_OUTBOX_MAX_ATTEMPTS = env_int("ESSOR_OUTBOX_MAX_ATTEMPTS", 10)
# /healthz answers 503 when the worker's heartbeat (every minute, through beat) is older than this.
ESSOR_HEARTBEAT_MAX_AGE_SECONDS = env_int("ESSOR_HEARTBEAT_MAX_AGE_SECONDS", 180)

# --- Coaching -------------------------------------------------------------------------------
# A proposal (or offer) nobody answered expires after this many days; the next coach can then be proposed.
COACHING_PROPOSAL_EXPIRY_DAYS = env_int("ESSOR_COACHING_PROPOSAL_EXPIRY_DAYS", 7)
# A coach is asked to answer a proposal within this many business days, and has at most this many
# proposals (or offers) waiting at once (issue #17, as the pro bono platforms run it).
ESSOR_COACHING_RESPONSE_BUSINESS_DAYS = env_int("ESSOR_COACHING_RESPONSE_BUSINESS_DAYS", 2)
ESSOR_COACH_MAX_PENDING_PROPOSALS = max(1, env_int("ESSOR_COACH_MAX_PENDING_PROPOSALS", 3))
# A running mission with no session logged for this many days sends one reminder to both sides.
COACHING_SESSION_REMINDER_DAYS = env_int("ESSOR_COACHING_SESSION_REMINDER_DAYS", 21)

# --- Cohorts --------------------------------------------------------------------------------
# Export files (under VAR_DIR/exports) are deleted this many days after they were written.
ESSOR_EXPORT_RETENTION_DAYS = env_int("ESSOR_EXPORT_RETENTION_DAYS", 7)
# An export whose run wrote no progress for this long died with its worker: it is resumed (or failed).
ESSOR_EXPORT_STALE_SECONDS = env_int("ESSOR_EXPORT_STALE_SECONDS", 600)
# The cohort dashboard's coaching figures come from this selector (coaching builds on cohorts,
# so cohorts names it here instead of importing it).
ESSOR_COHORT_COACHING_SUMMARY = "coaching.selectors.cohort_coaching_summary"
# Impact (issue #17): networks see no figure counting fewer people than this ("< 5"), and the
# report values the pro bono hours at this rate (an estimate, stated as such in the report).
ESSOR_NETWORK_MIN_GROUP_SIZE = max(2, env_int("ESSOR_NETWORK_MIN_GROUP_SIZE", 5))
ESSOR_PRO_BONO_HOURLY_VALUE = env_int("ESSOR_PRO_BONO_HOURLY_VALUE", 75)
ESSOR_PRO_BONO_CURRENCY = env_str("ESSOR_PRO_BONO_CURRENCY", "EUR")
# Called by the learner services in the same transaction as a change of an enrolment or a new
# self-diagnostic: the cohorts app keeps its stored per-cohort aggregates (docs/performance.md).
ESSOR_ENROLLMENT_CHANGED = ["cohorts.services.stats.enrollment_changed", "xapi.hooks.enrollment_changed"]
# Also called in the event's transaction: a quiz attempt stored, a coaching milestone (xAPI statements).
ESSOR_QUIZ_ATTEMPTED = ["xapi.hooks.quiz_attempted"]
ESSOR_COACHING_MILESTONE_HOOKS = ["xapi.hooks.coaching_milestone"]
# Called by the account erasure (accounts/data_rights) in its transaction, with the user's id, after the
# other apps' handlers: the xAPI statements sent about the person are voided (docs/privacy.md).
ESSOR_ACCOUNT_ERASED_HOOKS = ["xapi.hooks.account_erased"]
# xAPI statements to a Learning Record Store (docs/impact.md): off while XAPI_LRS_URL is empty. The URL is
# the LRS's xAPI root (e.g. http://127.0.0.1:8100/xAPI); activities are named under XAPI_ACTIVITY_BASE.
XAPI_LRS_URL = env_str("XAPI_LRS_URL", "")
XAPI_LRS_USERNAME = env_str("XAPI_LRS_USERNAME", "")
XAPI_LRS_PASSWORD = env_str("XAPI_LRS_PASSWORD", "")
XAPI_LRS_TIMEOUT = env_int("XAPI_LRS_TIMEOUT", 10)
XAPI_ACTIVITY_BASE = env_str("XAPI_ACTIVITY_BASE", "https://essor.example")
ESSOR_DIAGNOSTIC_SUBMITTED = ["cohorts.services.stats.diagnostic_submitted"]

# --- Credentials (Open Badges 3.0, docs/credentials.md) -------------------------------------------
# The issuer's Ed25519 private key (Multikey, `python manage.py credentials_key` makes one). Required to
# serve in production; the demo generates one into var/. Retired public keys stay published so that
# the credentials they signed still verify after a rotation.
CREDENTIALS_SIGNING_KEY = env_str("ESSOR_CREDENTIALS_SIGNING_KEY")
CREDENTIALS_RETIRED_KEYS = env_list("ESSOR_CREDENTIALS_RETIRED_KEYS", [])
if not CREDENTIALS_SIGNING_KEY and not (DEBUG or DEMO) and not (
        len(sys.argv) > 1 and sys.argv[0].endswith("manage.py") and sys.argv[1] in KEYLESS_COMMANDS):
    raise ImproperlyConfigured(
        "ESSOR_CREDENTIALS_SIGNING_KEY is not set. Certificates are signed with it: generate one with "
        "`python manage.py credentials_key` and keep it secret, or set ESSOR_DEMO=1 for a local demo."
    )
# Learners calls these (it never imports the credentials app): the issuer's name recorded on a new
# certificate, and what runs in the transaction that issues it.
ESSOR_CERTIFICATE_ISSUER = "credentials.selectors.certificate_issuer_name"
ESSOR_CERTIFICATE_ISSUED_HOOKS = ["credentials.services.credential_create", "xapi.hooks.certificate_issued"]

# --- API --------------------------------------------------------------------------------------
# How many reverse proxies in front of the site append to X-Forwarded-For (0: the site faces the clients, the
# header is ignored). The API's throttles and the log-in lock-out count per address read this way; more than
# the real number lets a client choose its address, and so reset its limits.
ESSOR_NUM_PROXIES = env_int("ESSOR_NUM_PROXIES", 0)
REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes an anonymous call a 401 (Session alone gives 403).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "PAGE_SIZE": 50,
    # Fail open when the cache is down (api/throttling.py).
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.AnonRateThrottle",
        "api.throttling.UserRateThrottle",
    ],
    # Per client address (ESSOR_NUM_PROXIES): without it DRF would trust the whole X-Forwarded-For header.
    "NUM_PROXIES": ESSOR_NUM_PROXIES,
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("ESSOR_API_ANON_RATE", "60/minute"),
        "user": env_str("ESSOR_API_USER_RATE", "2000/minute"),
    },
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    # JSON bodies are limited like forms: DATA_UPLOAD_MAX_MEMORY_SIZE (413 above it).
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONParser", "rest_framework.parsers.FormParser",
                               "rest_framework.parsers.MultiPartParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer", "rest_framework.renderers.BrowsableAPIRenderer"],
}
# core's 404 view answers JSON under /api/ with this view (core does not import api/).
ESSOR_API_NOT_FOUND_VIEW = "api.exceptions.api_not_found"
SPECTACULAR_SETTINGS = {
    "TITLE": "Essor API",
    "DESCRIPTION": "The Essor platform: curriculum, learners, cohorts and pro bono coaching.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # <id:...> in paths (api/fields.py): whole numbers of at most 18 digits.
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "minimum": 1, "maximum": 10**18 - 1}},
    # One name per choice set that several serializers use.
    "ENUM_NAME_OVERRIDES": {
        "ContentLanguageEnum": CONTENT_LANGUAGES,
        "CoachingRequestStatusEnum": "coaching.models.CoachingRequest.Status",
        "ProposalStatusEnum": "coaching.models.Proposal.Status",
        "CoachingFormatEnum": "coaching.models.CoachingRequest.Format",
        # Several components have a "status" with different values: name each set.
        "CohortProgressStatusEnum": "cohorts.selectors.dashboard.STATUSES",
        "CohortExportStatusEnum": "cohorts.models.CohortExport.Status",
        "CohortInviteImportStatusEnum": "cohorts.models.CohortInviteImport.Status",
        "CohortInviteActionEnum": "cohorts.models.CohortInviteRow.Action",
        "CohortInviteErrorEnum": "cohorts.models.CohortInviteRow.Error",
        "CohortExportFormatEnum": "cohorts.models.CohortExport.Format",
        "CohortCsvEncodingEnum": ["utf-8", "gb18030", "cp1252"],
    },
}

# --- Demo -----------------------------------------------------------------------------------
# Called in order by `manage.py seed_demo`; each app seeds what its pages need.
ESSOR_DEMO_SEEDERS = [
    "accounts.demo.seed",
    "credentials.demo.seed",  # the demo intermediary's logo, before any certificate is issued
    "courses.demo.seed",
    "learners.demo.seed",
    "cohorts.demo.seed",
    "coaching.demo.seed",
    "impact.demo.seed",
    "coaching.demo.timeline",  # last: enrolments, arrivals and attempts in a coherent order
]
ESSOR_DEMO_PASSWORD = env_str("ESSOR_DEMO_PASSWORD", "essor-demo-2026")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "WARNING")},
}
