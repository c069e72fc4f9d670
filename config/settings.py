"""Settings for Chapterwise.

Everything that differs between a laptop and production is read from the
environment here, and only here. Local defaults are safe: SQLite in the
project folder, DEBUG on, localhost only. With ``DJANGO_DEBUG=0`` the
project refuses to start without a real ``DJANGO_SECRET_KEY``.
"""

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

_INSECURE_KEY = "django-insecure-local-development-only-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=0.")
    SECRET_KEY = _INSECURE_KEY

# Old keys still accepted for signed data (sessions, reset links) while keys rotate.
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS", "")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")

# Absolute base for links that leave the site: QR codes, emails, credentials.
# The local default follows the port the site is served on (make run / make serve PORT=...),
# so that QR codes and credential links of a local run do not point at another port.
SITE_URL = os.environ.get(
    "SITE_URL", f"http://127.0.0.1:{os.environ.get('PORT', '').strip() or '8000'}"
).rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "core",
    "accounts",
    "courses",
    "quizzes",
    "certificates",
    "learning",
    "demo",
    "django_tasks_db",
]

MIDDLEWARE = [
    # Outermost: it sees every response, including other middleware's error pages.
    "core.middleware.NoStoreErrorsMiddleware",
    "core.logs.RequestLogMiddleware",
    # /healthz and /readyz: before the Host check and the HTTPS redirect (load balancers).
    "core.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language: cookie (the footer's switcher), else Accept-Language, else the default;
    # a learner's saved choice wins (accounts.middleware, after authentication).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.LearnerLanguageMiddleware",
    # A signed-in user's page is never stored by shared or browser caches.
    "core.middleware.PersonalPagesNoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "accounts.throttle.LoginThrottleMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "core.theme.theme",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let concurrent readers and one writer share the file.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
    # Persistent per worker: reconnecting (and re-running the PRAGMAs) on every request costs
    # more than most pages. Each sync worker holds one connection.
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DJANGO_CONN_MAX_AGE", "600"))
    # Tests use a real file, like production: an in-memory database shares one cache across
    # threads with table locks, which is not how SQLite behaves for concurrent requests.
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get(
            "DJANGO_TEST_SQLITE",
            str(Path(tempfile.gettempdir()) / f"chapterwise-test-{os.getpid()}.sqlite3"),
        )
    }
else:
    # A server that does not answer fails the connection within seconds, not libpq's
    # "wait for ever", so /healthz and pages answer 503 promptly (decision 0014).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login limits hook authenticate() itself, so the site, the admin and any later login path
# share them (docs/decisions/0006-login-limits.md).
AUTHENTICATION_BACKENDS = [
    # First: django-axes' lockout check (a ModelBackend too, for sessions that name it), with
    # the session's user kept in the shared cache.
    "accounts.backends.CachedAxesBackend",
    "accounts.throttle.AddressLimitBackend",
    # Django's ModelBackend with the session's user kept in the shared cache (0009).
    "accounts.backends.CachedModelBackend",
]
# Sessions read from the shared cache and written through to the database: no query per
# request to find the session, and a cache restart loses nobody's login (0009). Django's
# cached_db engine, its rows marked with their user (accounts.sessions, 0012).
SESSION_ENGINE = "accounts.sessions"
# django-axes: a (username, address) pair is locked out after AXES_FAILURE_LIMIT failures for
# AXES_COOLOFF_TIME; a stranger elsewhere who guesses a username cannot lock its owner out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURES_PER_ACCOUNT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "accounts.throttle.normalised_username"
AXES_CLIENT_IP_CALLABLE = "accounts.throttle.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.throttle.lockout_response"
AXES_VERBOSE = False

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "learning:catalogue"
LOGOUT_REDIRECT_URL = "learning:catalogue"

# The interface speaks these; a learner's saved choice, else the browser's Accept-Language,
# else LANGUAGE_CODE (accounts.middleware.LearnerLanguageMiddleware). Catalogues: locale/.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("pt-br", "Português (Brasil)"),
    ("es", "Español"),
    ("fr", "Français"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Front-end packages come from npm at setup time; nothing third-party is committed. The
# site's and the admin's stylesheets are built from assets/scss (Bootstrap's Sass sources
# and our design tokens) by the Makefile (`make assets`).
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("build", BASE_DIR / "assets" / "build"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Certificate PDFs are private: no base URL, served only through the owner's view.
    "certificates": {
        # Written to a temporary name and renamed: a full disk never leaves half a PDF.
        "BACKEND": "core.storage.AtomicFileSystemStorage",
        "OPTIONS": {
            "location": Path(
                os.environ.get("CERTIFICATE_STORAGE_ROOT", BASE_DIR / "var" / "certificates")
            ),
            "base_url": None,
        },
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    # Several nodes: certificate PDFs in S3-compatible object storage (django-storages), so
    # every node serves the same bytes. Private objects, fetched by the owner's view only.
    STORAGES["certificates"] = {
        # django-storages' S3 storage with timeouts; its outages are OSError (core.s3).
        "BACKEND": "core.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID"),
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY"),
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "location": "certificates",
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"

# Admin imports: limits that keep an upload inside a worker's time and a write transaction
# short enough for learners to wait out (README, "Loading your own articles").
IMPORT_MAX_FILES = 100
IMPORT_MAX_FILE_BYTES = int(os.environ.get("IMPORT_MAX_FILE_BYTES", str(5 * 1024 * 1024)))
QUESTION_IMPORT_MAX = int(os.environ.get("QUESTION_IMPORT_MAX", "10000"))
# Django's own hard stop, above ours, answered by core.views.bad_request with a clear page.
DATA_UPLOAD_MAX_NUMBER_FILES = 2 * IMPORT_MAX_FILES

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Local: mail is printed to the console. Production: SMTP, configured from the environment.
MAILERS = {
    "default": {
        "BACKEND": os.environ.get(
            "DJANGO_EMAIL_BACKEND",
            "django.core.mail.backends.console.EmailBackend"
            if DEBUG
            else "django.core.mail.backends.smtp.EmailBackend",
        ),
        **(
            {}
            if DEBUG
            else {
                "OPTIONS": {
                    "host": os.environ.get("DJANGO_EMAIL_HOST", "localhost"),
                    "port": int(os.environ.get("DJANGO_EMAIL_PORT", "587")),
                    "username": os.environ.get("DJANGO_EMAIL_USER", ""),
                    "password": os.environ.get("DJANGO_EMAIL_PASSWORD", ""),
                    "use_tls": env_bool("DJANGO_EMAIL_USE_TLS", True),
                }
            }
        ),
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "Chapterwise <noreply@localhost>")

# One cache for every process of a deployment: web workers, runserver and management
# commands alike, so a change made from the command line (import, publish) reaches cached
# pages at once and rate limits hold across workers. A folder on disk by default.
CACHES = {
    "default": {
        # Django's file cache with an atomic incr, its size checked once a second.
        "BACKEND": "core.filecache.FileCache",
        "LOCATION": os.environ.get("DJANGO_CACHE_DIR") or str(BASE_DIR / "var" / "cache"),
    }
}
if os.environ.get("REDIS_URL"):
    # Several nodes: Django's own Redis cache holds the page cache, the content version and
    # the rate-limit counters for all of them. Django's Redis cache with timeouts, failing
    # soft: while Redis is away the site works without it (core.cache, decision 0014).
    CACHES["default"] = {
        "BACKEND": "core.cache.SoftRedisCache",
        "LOCATION": os.environ["REDIS_URL"],
        "KEY_PREFIX": os.environ.get("REDIS_KEY_PREFIX", "chapterwise"),
    }

# Background work (Django's Tasks API): run at once in the request by default, so one
# `make run` does everything; DJANGO_TASKS=database queues it for `make worker`
# (django-tasks-db's db_worker), which several nodes share through the database.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if os.environ.get("DJANGO_TASKS") == "database"
        else "django.tasks.backends.immediate.ImmediateBackend",
    }
}

# Rate limits: (requests, seconds) per user or client address.
RATE_LIMITS = {
    "answer": (int(os.environ.get("RATE_LIMIT_ANSWERS", "30")), 60),
    # Failed logins from one address across usernames (the per-pair limit is django-axes').
    "login-address": (int(os.environ.get("RATE_LIMIT_LOGIN_FAILURES_PER_ADDRESS", "30")), 900),
    "signup-address": (int(os.environ.get("RATE_LIMIT_SIGNUPS_PER_ADDRESS", "10")), 3600),
    "signup-email": (3, 3600),
    "password-reset-address": (int(os.environ.get("RATE_LIMIT_RESETS_PER_ADDRESS", "10")), 3600),
    "password-reset-email": (3, 3600),
    # Public certificate lookups: generous (nobody scanning a QR code may ever see it), but
    # enough to slow enumerating ids.
    "verify": (int(os.environ.get("RATE_LIMIT_VERIFY_PER_ADDRESS", "120")), 60),
    # Reports of faulty questions: a learner reports a few, a script floods (issue 24).
    "report": (int(os.environ.get("RATE_LIMIT_REPORTS", "10")), 3600),
    # Re-typing the password before deleting the account: a stolen session cannot guess it.
    "password-confirm": (5, 3600),
}
# Behind a reverse proxy every request comes from the proxy's address. Set this only when the
# proxy appends the client's address to X-Forwarded-For (nginx: $proxy_add_x_forwarded_for);
# the last entry is then the one the proxy saw, the earlier ones are whatever the client sent.
RATE_LIMIT_TRUST_X_FORWARDED_FOR = env_bool("DJANGO_TRUST_X_FORWARDED_FOR", False)

# A learner's chapter page is joined from a shell rendered once per content version
# (learning/shell.py); off, every request renders the templates in full (same bytes).
CHAPTER_SHELL = env_bool("DJANGO_CHAPTER_SHELL", True)

# Certificates
CERTIFICATE_ISSUER_NAME = os.environ.get("CERTIFICATE_ISSUER_NAME", "Chapterwise")
# Debian's fonts-dejavu-core: covers any Latin, Greek or Cyrillic name on a certificate.
CERTIFICATE_FONT_DIR = os.environ.get("CERTIFICATE_FONT_DIR", "/usr/share/fonts/truetype/dejavu")
# Debian's fonts-wqy-zenhei: Chinese, Japanese and Korean names, used only where DejaVu has
# no glyph.
CERTIFICATE_FALLBACK_FONT = os.environ.get(
    "CERTIFICATE_FALLBACK_FONT", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
)
CREDENTIAL_SIGNING_KEY_FILE = Path(
    os.environ.get("CREDENTIAL_SIGNING_KEY_FILE", BASE_DIR / "var" / "credential-signing-key.pem")
)
CREDENTIAL_SIGNING_KEY = os.environ.get("CREDENTIAL_SIGNING_KEY", "")
# Earlier keys' public halves, still published in jwks.json after a rotation: a JSON list of
# JWKs in the environment (several nodes), else the file rotate_signing_key keeps.
# Rotation in two steps (README): the next key is published first, from the environment
# (a JSON list of JWKs) or from the key file `rotate_signing_key --prepare` writes.
CREDENTIAL_NEXT_PUBLIC_KEYS = os.environ.get("CREDENTIAL_NEXT_PUBLIC_KEYS", "")
CREDENTIAL_NEXT_SIGNING_KEY_FILE = Path(
    os.environ.get(
        "CREDENTIAL_NEXT_SIGNING_KEY_FILE", BASE_DIR / "var" / "credential-next-signing-key.pem"
    )
)
CREDENTIAL_PREVIOUS_PUBLIC_KEYS = os.environ.get("CREDENTIAL_PREVIOUS_PUBLIC_KEYS", "")
CREDENTIAL_PREVIOUS_KEYS_FILE = Path(
    os.environ.get(
        "CREDENTIAL_PREVIOUS_KEYS_FILE", BASE_DIR / "var" / "credential-previous-keys.json"
    )
)

# Security headers. The CSP allows only our own origin; inline scripts need the nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", SITE_URL)

# One JSON object per line in production (core.logs: time, level, request id, node, user,
# path, status, duration); readable lines while developing. DJANGO_LOG_FORMAT overrides.
LOG_FORMAT = os.environ.get("DJANGO_LOG_FORMAT", "plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {"()": "core.logs.JsonFormatter"},
    },
    "filters": {"request_id": {"()": "core.logs.RequestIdFilter"}},
    "handlers": {
        # Standard error, so a command's own output (dumpdata > file) stays clean.
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["stderr"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # Each request is logged once, by core.logs; Django's own 4xx/5xx lines stay.
        "chapterwise.request": {"level": os.environ.get("DJANGO_REQUEST_LOG_LEVEL", "INFO")},
    },
}
