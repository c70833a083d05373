"""Settings, all read from the environment (see README "Configuration").

Development defaults need nothing set; production (DEBUG=false) refuses to start
without a real SECRET_KEY.
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from diagnosis.env import database_from_url, env_bool, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off: "
            'generate one with `python -c "import secrets; print(secrets.token_urlsafe(50))"`'
        )
    SECRET_KEY = "development-only-not-secret-" + "x" * 30

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "axes",
    # Before django_tasks_db: our `db_worker` command (diagnosis/management/commands) wraps
    # its namesake with heartbeats, the recovery of tasks whose worker died, and periodic jobs.
    "diagnosis",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Above everything that may read the database: sessions, the user, views.
    "diagnosis.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "diagnosis.middleware.RefuseOversizedUploadsMiddleware",  # before anything reads a body
    "diagnosis.middleware.RejectUndecodableFormsMiddleware",
    "diagnosis.middleware.RejectNullBytesMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "diagnosis.urls"
WSGI_APPLICATION = "diagnosis.wsgi.application"

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
                "django.template.context_processors.csp",
                "diagnosis.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL"), sqlite_default=str(VAR_DIR / "db.sqlite3")
    )
}
# The covering column of an index (Index.include) is PostgreSQL's; SQLite builds the index
# without it, which is all it needs (models.W040 says so at every start).
SILENCED_SYSTEM_CHECKS = ["models.W040"]
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers and one writer work at once; IMMEDIATE avoids "database is locked"
    # upgrades when two requests write.
    # Reconnecting and re-running the PRAGMAs costs ~2 ms a request: keep connections.
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
    }
    # Tests use a file too, beside the database: an in-memory database shared between
    # threads answers "table is locked" at once where a real one waits for the lock.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}
else:
    # PostgreSQL's JIT compiles any statement its planner thinks costly: a directory page or
    # export chunk (correlated subqueries over the latest assessment) spent 400 ms compiling
    # for 150 ms of work. Unless the URL sets `options` itself, JIT is off.
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# While the database cannot be reached, requests answer 503 with this Retry-After; the
# answering page retries its autosaves no sooner (diagnosis/middleware.py, app.js).
OUTAGE_RETRY_AFTER_SECONDS = env_int("OUTAGE_RETRY_AFTER", 5)

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "diagnosis.User"
AUTHENTICATION_BACKENDS = [
    "diagnosis.auth.AddressThrottleBackend",
    "axes.backends.AxesStandaloneBackend",
    "diagnosis.auth.ModelBackend",
]
# Database sessions (shared by every app server) read with one hand-written statement.
SESSION_ENGINE = "diagnosis.sessions"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Repeated failed logins are throttled per user name and IP address.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind PROXY_COUNT reverse proxies (1 for one nginx in front), the client's address is
# read from X-Forwarded-For by django-ipware, for axes and for every limit of ours
# (diagnosis/ratelimit.py). ipware counts the proxies listed in the header, one fewer than
# those in front (the nearest is REMOTE_ADDR); a header that does not have exactly that many
# entries is not trusted (REMOTE_ADDR is used). With no proxy the header is ignored.
PROXY_COUNT = env_int("PROXY_COUNT", 0)
AXES_IPWARE_PROXY_ORDER = "left-most"
AXES_IPWARE_PROXY_COUNT = PROXY_COUNT - 1 if PROXY_COUNT > 0 else None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if PROXY_COUNT > 0 else ("REMOTE_ADDR",)
)
# Password spraying: failed logins from one address, whatever the user names, per cool-off.
LOGIN_FAILURES_PER_ADDRESS = env_int("LOGIN_FAILURES_PER_ADDRESS", 30)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "diagnosis" / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    # Uploaded evidence goes through the storage API only; set STORAGE_BACKEND to an
    # S3-compatible backend in production so app servers keep nothing on disk.
    "default": {
        "BACKEND": env_str("STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage")
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_MB", 10) * 1024 * 1024
# All evidence files of one firm together (every assessment); 0 switches the quota off.
EVIDENCE_QUOTA_PER_FIRM_BYTES = env_int("EVIDENCE_QUOTA_PER_FIRM_MB", 200) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "diagnosis.uploads.SizeLimitUploadHandler",  # drops a file past every form's limit
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Django 6.1's MAILERS: console output in development, SMTP from the environment in production.
_MAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {
    "default": {
        "BACKEND": _MAIL_BACKEND,
        "OPTIONS": {
            "host": env_str("EMAIL_HOST", "localhost"),
            "port": env_int("EMAIL_PORT", 25),
            "username": env_str("EMAIL_HOST_USER"),
            "password": env_str("EMAIL_HOST_PASSWORD"),
            "use_tls": env_bool("EMAIL_USE_TLS", False),
        }
        if _MAIL_BACKEND.endswith("smtp.EmailBackend")
        else {"file_path": env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))}
        if _MAIL_BACKEND.endswith("filebased.EmailBackend")
        else {},
    }
}
SEND_NOTIFICATIONS = env_bool("SEND_NOTIFICATIONS", True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "数字化诊断 <noreply@localhost>")

# Background work (emails, PDF rendering, bulk re-scoring, periodic jobs) goes through
# Django's tasks framework (diagnosis/tasks.py). TASKS_BACKEND selects the backend: the
# immediate one runs a task in-process at once (development scripts, tests); in production
# TASKS_BACKEND=django_tasks_db.DatabaseBackend stores tasks in the database and
# `python manage.py db_worker` runs them (`make run` does this).
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend"),
        "QUEUES": ["default"],
    }
}
# A failed attempt is retried after TASK_RETRY_DELAY_SECONDS × 2^(attempt − 1), ± 20 %, up
# to TASK_MAX_ATTEMPTS attempts in all (on a backend that can defer tasks).
TASK_MAX_ATTEMPTS = env_int("TASK_MAX_ATTEMPTS", 5)
TASK_RETRY_DELAY_SECONDS = env_float("TASK_RETRY_DELAY_SECONDS", 30.0)
# Each worker records that it is alive this often; a running task whose worker has missed
# three beats is put back in the queue for another worker.
WORKER_HEARTBEAT_SECONDS = env_float("WORKER_HEARTBEAT_SECONDS", 10.0)
# Finished task results older than this are deleted by the worker's daily prune job.
TASK_RESULTS_KEEP_DAYS = env_int("TASK_RESULTS_KEEP_DAYS", 14)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# A strict Content-Security-Policy: no inline script or style anywhere.
SECURE_CSP: dict[str, list[str]] = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Programme rules.
# Peer benchmarks (README "Peer benchmarks"): no statistic covers fewer than PEER_MIN_COUNT
# distinct firms (statistics offices' minimum cell size); also the fewest firms any figure
# shown to a district officer on the results page may cover.
PEER_MIN_COUNT = env_int("PEER_MIN_COUNT", 10)
# Also count firms whose latest assessment is submitted but not yet signed off (their
# self-assessed scores; reports say how many).
PEER_INCLUDE_SUBMITTED = env_bool("PEER_INCLUDE_SUBMITTED", False)
# After a sign-off the benchmarks are refreshed at most once in this many seconds.
BENCHMARK_REFRESH_DEBOUNCE_SECONDS = env_int("BENCHMARK_REFRESH_DEBOUNCE_SECONDS", 60)
# The local hour (TIME_ZONE) at which a worker queues the nightly full refresh.
BENCHMARK_NIGHTLY_HOUR = env_int("BENCHMARK_NIGHTLY_HOUR", 2)
if not 0 <= BENCHMARK_NIGHTLY_HOUR <= 23:
    raise ImproperlyConfigured(
        f"BENCHMARK_NIGHTLY_HOUR={BENCHMARK_NIGHTLY_HOUR} is not an hour (0-23)"
    )
# A submitted assessment without a decision after this many days is overdue (provider table).
REVIEW_DUE_DAYS = env_int("REVIEW_DUE_DAYS", 14)
INVITATION_DAYS = env_int("INVITATION_DAYS", 7)
# The target population and outreach (README "Population and outreach").
OUTREACH_INTERVAL_DAYS = env_int("OUTREACH_INTERVAL_DAYS", 14)
OUTREACH_LINK_DAYS = env_int("OUTREACH_LINK_DAYS", 60)
POPULATION_IMPORT_MAX_BYTES = env_int("POPULATION_IMPORT_MAX_MB", 50) * 1024 * 1024
# Emails a user, a firm or a client address may cause per hour (invitations, join requests,
# sign-up and password-reset messages): past them the action is refused with a message.
EMAILS_PER_USER_PER_HOUR = env_int("EMAILS_PER_USER_PER_HOUR", 10)
EMAILS_PER_FIRM_PER_HOUR = env_int("EMAILS_PER_FIRM_PER_HOUR", 30)
EMAILS_PER_ADDRESS_PER_HOUR = env_int("EMAILS_PER_ADDRESS_PER_HOUR", 20)
# Checks of signed reports on the public verification page, per client address and hour.
VERIFY_CHECKS_PER_HOUR = env_int("VERIFY_CHECKS_PER_HOUR", 30)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
        "django.tasks": {"level": "WARNING"},
    },
}
