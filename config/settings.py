"""Settings, one module, driven by environment variables (django-environ).

With no environment at all the project runs on the embedded default: SQLite and a
filesystem Celery broker, so ``make run`` needs nothing but Python. Production sets
``DJANGO_ENV=production``, which makes the secret key and allowed hosts required and
turns on the transport-security settings ``manage.py check --deploy`` looks for.
"""

import json
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
PRODUCTION = env("DJANGO_ENV", default="development") == "production"

DEBUG = env.bool("DEBUG", default=False)
# Under DEBUG an unknown address shows the service's 404 page; true shows Django's, which
# lists every URL pattern (core.not_found).
DEBUG_404_PATTERNS = env.bool("DEBUG_404_PATTERNS", default=False)
if PRODUCTION:
    SECRET_KEY = env("SECRET_KEY")  # required: no default in production
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
else:
    SECRET_KEY = env("SECRET_KEY", default="development-only-not-secret")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
# Kubernetes (deploy/k8s/web.yaml): the pod's own address, which the kubelet's probes of
# /healthz and Prometheus's scrapes of /metrics send as the Host (issue 23). Not a wildcard:
# only this pod's address, set from the downward API.
if env("POD_IP", default=""):
    ALLOWED_HOSTS = [*ALLOWED_HOSTS, env("POD_IP")]
# Rotating the key (docs/operations.md): the new key in SECRET_KEY, the old ones here, comma
# separated, until sessions and signed links made with them have expired.
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_prometheus",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "crispy_forms",
    "crispy_forms_gds",
    "django_htmx",
    "core",
    "accounts",
    "audit",
    "notifications",
    "contacts",
    "callogs",
    "restrictions",
    "welfare",
    "atrisk",
    "privacy",
    "django_filters",
    "dashboards",
    "documents",
    "rest_framework",
    "drf_spectacular",
    "api",
]

MIDDLEWARE = [
    # Issue 23: request counts and latency by view (django-prometheus; core.metrics). Its
    # "before" half times the whole stack, its "after" half (last below) the view.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # Every log line of the request carries its id (issue 23, core.request_id).
    "core.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.headers.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "core.bidi.StripBidiControlsMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Issue 23: the idle expiry renewed at most once a minute; role names read once a session.
    "accounts.session_floor.RenewIdleSessionMiddleware",
    "accounts.session_floor.SessionRoleNamesMiddleware",
    # Under DEBUG, the service's own 404 page rather than Django's list of every URL.
    "core.not_found.ServiceNotFoundPageMiddleware",
    # Every page needs sign-in unless its view is marked login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.security.SessionSecurityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: locks out repeated failed sign-ins.
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Issue 23: django-prometheus's wrappers of the same backends count every query and time it
# (django_db_execute_total, django_db_query_duration_seconds; core.metrics). The vendor,
# features and SQL are the backend's own. PostgreSQL only: the embedded SQLite default of
# `make run` keeps Django's own backend, whose engine name tools such as pytest-django's
# per-worker test databases recognise (with the wrapper's name they made a file path of
# "test_/path/db.sqlite3_gw0", which cannot be opened).
DATABASES["default"]["ENGINE"] = {
    "django.db.backends.postgresql": "django_prometheus.db.backends.postgresql",
}.get(DATABASES["default"]["ENGINE"], DATABASES["default"]["ENGINE"])
# Behind PgBouncer in transaction pooling (docker-compose.yml's "pgbouncer" profile,
# docs/operations.md) a transaction may run on a different server connection from the
# last, so a named (server-side) cursor, which .iterator() opens, cannot outlive it.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env.bool(
    "DISABLE_SERVER_SIDE_CURSORS", default=False)
# Issue 23: a connection per request cost about half the lookup's throughput. Every process
# that uses PostgreSQL keeps its connection for CONN_MAX_AGE seconds (one per gunicorn worker,
# per Celery thread and per beat: see docs/PERFORMANCE.md, "Floor"), checked before reuse
# in each request so a dropped connection is replaced rather than failing the request.
# SQLite opens a file, not a connection over the network: nothing to keep.
DATABASES["default"]["CONN_MAX_AGE"] = env.int(
    "CONN_MAX_AGE", default=0 if DATABASES["default"]["ENGINE"].endswith("sqlite3") else 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
SQLITE = DATABASES["default"]["ENGINE"].endswith("sqlite3")
if SQLITE:
    # The embedded default (make run): SQLite keeps no covering (INCLUDE) columns, which only
    # the PostgreSQL indexes and count tables use. Expected there, so not warned about.
    SILENCED_SYSTEM_CHECKS = ["models.W039", "models.W040"]
    # Web, worker and beat share one SQLite file. WAL lets readers go on while one process
    # writes; IMMEDIATE takes the write lock when a transaction begins, so a transaction that
    # read first never fails to upgrade its lock ("database is locked" at once, whatever the
    # timeout); the timeout is how long a writer waits for another's transaction to end.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "timeout": env.int("SQLITE_BUSY_TIMEOUT_SECONDS", default=20),
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    })

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Refuses a local password sign-in when local accounts are off (break-glass excepted).
    "accounts.sso.backend.LocalSignInGate",
    "rules.permissions.ObjectPermissionBackend",
    "accounts.backends.AdministrationBackend",  # ModelBackend, limited: see its docstring
    "accounts.sso.backend.ProviderBackend",  # sign-in through the identity provider
]
# What administrators manage in the Django admin; a superuser's model permissions stop here.
ADMINISTERED_MODELS = frozenset({"accounts.user", "accounts.department", "auth.group",
                                 "atrisk.dutyrota",
                                 # the administrator guide's "Locked accounts": delete a
                                 # locked username's entries to unlock it sooner
                                 "axes.accessattempt", "axes.accessfailurelog",
                                 # shown read-only on the user (issue 21)
                                 "accounts.externalidentity"})
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Local username-and-password accounts (docs/operations.md, "Signing in"): on by default
# outside production (make run, tests), off in production once single sign-on is in use. The
# break-glass administrators below may sign in locally at /accounts/break-glass/ even then.
LOCAL_ACCOUNTS_ENABLED = env.bool("LOCAL_ACCOUNTS_ENABLED", default=not PRODUCTION)
LOCAL_BREAK_GLASS_USERNAMES = env.list("LOCAL_BREAK_GLASS_USERNAMES", default=[])

# Single sign-on with the organisation's identity provider (OpenID Connect, issue 21): off
# unless OIDC_ISSUER is set. Endpoints come from the issuer's discovery document unless set
# one by one. accounts.sso reads these; see /work/notes/21.md and docs/operations.md.
OIDC_ISSUER = env("OIDC_ISSUER", default="").rstrip("/")
OIDC_ORGANISATION_NAME = env("OIDC_ORGANISATION_NAME", default="your organisation")
OIDC_RP_CLIENT_ID = env("OIDC_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env("OIDC_CLIENT_SECRET", default="")
OIDC_RP_SCOPES = env("OIDC_SCOPES", default="openid email profile")
OIDC_RP_SIGN_ALGO = env("OIDC_SIGN_ALGO", default="RS256")
OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env("OIDC_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env("OIDC_USERINFO_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env("OIDC_JWKS_ENDPOINT", default="")
OIDC_OP_LOGOUT_ENDPOINT = env("OIDC_END_SESSION_ENDPOINT", default="")
OIDC_GROUPS_CLAIM = env("OIDC_GROUPS_CLAIM", default="groups")
# {"<role>": ["<provider group>", ...]}: Entra ID sends group object ids, Keycloak names.
OIDC_ROLE_GROUPS = json.loads(env("OIDC_ROLE_GROUPS", default="").strip() or "{}")
OIDC_DEPARTMENT_CLAIM = env("OIDC_DEPARTMENT_CLAIM", default="department")
OIDC_LINE_MANAGER_CLAIM = env("OIDC_LINE_MANAGER_CLAIM", default="")
# The provider's assertion that a second factor was used (RFC 8176 amr values, or acr).
OIDC_STRONG_AMR = env.list("OIDC_STRONG_AMR", default=["mfa", "otp", "hwk", "swk", "fido"])
OIDC_STRONG_ACR = env.list("OIDC_STRONG_ACR", default=[])
OIDC_ACR_VALUES = env("OIDC_ACR_VALUES", default="")
OIDC_TIMEOUT = env.float("OIDC_TIMEOUT", default=10.0)
OIDC_VERIFY_SSL = env.bool("OIDC_VERIFY_SSL", default=True)
# mozilla-django-oidc: PKCE (S256) and a nonce on every request, the ID token kept in the
# session for RP-initiated logout, the callback under accounts.
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_STORE_ID_TOKEN = True
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
OIDC_CREATE_USER = True

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions end after 30 minutes idle. The expiry is renewed at most once a minute
# (accounts.session_floor.RenewIdleSessionMiddleware), not by a write on every request
# (issue 23): a session ends between 29 and 30 minutes after its last request, never later.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = False
# Django's database sessions, read by one plain statement rather than through the ORM.
SESSION_ENGINE = "accounts.sessions"
SESSION_RENEW_SECONDS = 60
# ...and after 12 hours however active (accounts.security.SessionSecurityMiddleware).
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# django-axes: 5 failed sign-ins for one username from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# Only a completed sign-in (password and, where required, the security code) resets the
# count: a right password alone must not buy more guesses at the code (accounts.lockout).
AXES_RESET_ON_SUCCESS = False
AXES_SENSITIVE_PARAMETERS = ["password"]
# Two-factor sign-in (django-otp TOTP) for Heads of Department, Compliance, Administrators.
OTP_TOTP_ISSUER = "Customer contact"
# django-otp's per-device throttle counted failures from anywhere against the account and
# refused the real user's right code; django-axes counts them per account and address instead.
OTP_TOTP_THROTTLE_FACTOR = 0

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
# Whose bank holidays are not working days (core.dates, from the holidays library): ENG
# (England), WLS (Wales), SCT (Scotland) or NIR (Northern Ireland). Every deadline counted
# in working days (appeal window, welfare follow-ups, subject access) uses it.
BANK_HOLIDAY_REGION = env("BANK_HOLIDAY_REGION", default="ENG")
if BANK_HOLIDAY_REGION not in {"ENG", "WLS", "SCT", "NIR"}:
    raise ImproperlyConfigured("BANK_HOLIDAY_REGION must be ENG, WLS, SCT or NIR")
USE_I18N = True
USE_TZ = True
# Pages are in English; letters and documents are written in English or Welsh (documents/),
# from the catalogues in locale/ (compiled .mo files are committed beside the .po files).
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
GOVUK_FRONTEND_DIR = BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"
STATICFILES_DIRS = [BASE_DIR / "static", ("govuk", GOVUK_FRONTEND_DIR)]
# The precompiled GOV.UK Frontend stylesheet asks for its fonts and images at /assets/.
WHITENOISE_ROOT = GOVUK_FRONTEND_DIR
# Stored letters and case-file copies (documents/): never served as static or media files,
# only through the permission-checked, audited download view.
DOCUMENTS_ROOT = env.path("DOCUMENTS_ROOT", default=VAR_DIR / "documents")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(DOCUMENTS_ROOT), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# Email: console in development, SMTP from the environment in production.
EMAIL_CONFIG = env.email(
    "EMAIL_URL",
    default="smtp://localhost:25" if PRODUCTION else "consolemail://",
)
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="contact-handling@localhost")

# Celery: Redis when REDIS_URL is set, otherwise an embedded filesystem broker.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_DIR = VAR_DIR / "celery-broker"
EMBEDDED_BROKER_URL = "filesystem://localhost/"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    # A hostname in the URL: kombu warns "No hostname was supplied" on every connection (the
    # worker, beat and each task sent) when it has none; the filesystem transport ignores it.
    CELERY_BROKER_URL = EMBEDDED_BROKER_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR),
        "data_folder_out": str(CELERY_BROKER_DIR),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
    }
# JSON only (ids in, never pickle): also why the "running as superuser" warning is only
# explained, not a risk, in a root development container (config/celery.py).
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE: dict = {}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# Security headers. The Content-Security-Policy allows no inline script or style.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Permissions-Policy: the service needs no camera, microphone, location or other powerful
# feature, so each is off for this origin and any frame (core.headers).
PERMISSIONS_POLICY_OFF = (
    "accelerometer", "ambient-light-sensor", "autoplay", "battery", "bluetooth", "camera",
    "display-capture", "document-domain", "encrypted-media", "fullscreen", "gamepad",
    "geolocation", "gyroscope", "hid", "idle-detection", "local-fonts", "magnetometer",
    "microphone", "midi", "payment", "picture-in-picture", "publickey-credentials-get",
    "screen-wake-lock", "serial", "speaker-selection", "usb", "web-share",
    "xr-spatial-tracking", "interest-cohort", "browsing-topics",
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}
if OIDC_ISSUER:
    # Sign-out is a form POST that redirects to the provider's end-session endpoint, and
    # browsers apply form-action to the redirect too.
    from urllib.parse import urlsplit

    for _url in (OIDC_ISSUER, OIDC_OP_LOGOUT_ENDPOINT):
        if _url:
            _origin = "{0.scheme}://{0.netloc}".format(urlsplit(_url))
            CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(_origin)
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # Prometheus scrapes each web process directly over the internal network, with the
    # token; the redirect would send it to an HTTPS port the process does not serve.
    SECURE_REDIRECT_EXEMPT = [r"^metrics$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Logs carry opaque ids only: never names, contact details or behaviour notes.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # LOG_FORMAT=json (the default in production): one JSON object per line with the request
    # id; plain text otherwise (make run). core.request_id.
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] "
                                       "%(message)s"},
                   "json": {"()": "core.request_id.JsonLinesFormatter"}},
    # core.logging.DropQueryStrings: the development server's request lines lose their query
    # strings (customer search terms; issue 19, finding 9), as gunicorn's do (config/gunicorn.py).
    "filters": {"no_query_strings": {"()": "core.logging.DropQueryStrings"},
                "refusals_one_line": {"()": "core.logging.RefusalsWithoutTracebacks"},
                "request_id": {"()": "core.request_id.RequestIdFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler",
                             "formatter": env("LOG_FORMAT",
                                              default="json" if PRODUCTION else "plain"),
                             "filters": ["no_query_strings", "request_id"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"},
                # Django's own console handler (under DEBUG) printed every record a second
                # time beside the root's: one handler only.
                "django": {"handlers": [], "propagate": True},
                "django.request": {"filters": ["refusals_one_line"]},
                # WeasyPrint logs every rendering step at INFO: only its warnings matter.
                "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# Prometheus metrics (issue 23, core.metrics, docs/operations.md "Metrics"). /metrics answers
# only a request bearing this token ("Authorization: Bearer <token>"); unset, it is 404. A
# signed-in session counts for nothing there. The Celery worker serves its own metrics, with
# the same token, on CELERY_METRICS_PORT when that is set (config/celery.py).
METRICS_TOKEN = env("METRICS_TOKEN", default="")
if METRICS_TOKEN and len(METRICS_TOKEN) < 24:
    raise ImproperlyConfigured("METRICS_TOKEN must be at least 24 characters (or unset)")
CELERY_METRICS_PORT = env.int("CELERY_METRICS_PORT", default=0)
# The labels a metric may carry (tests/core/test_metrics.py checks every exported series):
# view names, methods, statuses, kinds and task names, never who or what a request was about.

# Data protection (privacy app). Retention periods in days, one per period named by the
# retention rules (privacy/registry.py, <app>/retention.py); docs/DATA_PROTECTION.md gives
# the reason for each default. Each can be changed from the environment.
_YEAR = 365
PRIVACY_RETENTION_DAYS = {
    # 6 years: the limitation period for most civil claims (Limitation Act 1980 s.2, s.5).
    "customers": env.int("RETENTION_CUSTOMER_DAYS", default=6 * _YEAR),
    "contacts": env.int("RETENTION_CONTACT_DAYS", default=6 * _YEAR),
    "restrictions": env.int("RETENTION_RESTRICTION_DAYS", default=6 * _YEAR),
    "atrisk": env.int("RETENTION_ATRISK_DAYS", default=6 * _YEAR),
    "disclosures": env.int("RETENTION_DISCLOSURE_DAYS", default=6 * _YEAR),
    "challenges": env.int("RETENTION_CHALLENGE_DAYS", default=6 * _YEAR),
    "legal_holds": env.int("RETENTION_LEGAL_HOLD_DAYS", default=6 * _YEAR),
    "staff_accounts": env.int("RETENTION_STAFF_ACCOUNT_DAYS", default=6 * _YEAR),
    # 3 years: the limitation period for personal-injury claims (Limitation Act 1980 s.11).
    "welfare": env.int("RETENTION_WELFARE_DAYS", default=3 * _YEAR),
    # 2 years: long enough for a complaint to the regulator about how a request was handled.
    "subject_access": env.int("RETENTION_SAR_DAYS", default=2 * _YEAR),
    # 1 year: reminders and inbox messages are working prompts, not the record itself.
    "notifications": env.int("RETENTION_NOTIFICATION_DAYS", default=_YEAR),
    "duty_rota": env.int("RETENTION_DUTY_ROTA_DAYS", default=_YEAR),
    # 90 days: sign-in attempts, long enough to investigate an attack.
    "security_logs": env.int("RETENTION_SECURITY_LOG_DAYS", default=90),
    # A week: long enough to catch a form sent twice (core.idempotency).
    "submission_keys": 7,
    # Sessions: deleted once expired.
    "sessions": 0,
}
PRIVACY_RETENTION_BATCH_SIZE = env.int("RETENTION_BATCH_SIZE", default=500)
# Issue 19, finding 5: a subject access export whose worker has not reported for this long
# is restarted by a sweep every 5 minutes (the broker's visibility timeout is an hour).
SAR_STALL_MINUTES = env.int("SAR_STALL_MINUTES", default=10)
# Issue 19, finding 7: create forms' one-time keys are kept a week (core.idempotency).
CELERY_BEAT_SCHEDULE["core-forget-old-submission-keys"] = {
    "task": "core.forget_old_submission_keys",
    "schedule": 24 * 60 * 60,
}
CELERY_BEAT_SCHEDULE["privacy-restart-stalled-exports"] = {
    "task": "privacy.restart_stalled_exports",
    "schedule": 5 * 60,
}
CELERY_BEAT_SCHEDULE["privacy-apply-retention"] = {
    "task": "privacy.apply_retention",
    "schedule": 7 * 24 * 60 * 60,  # weekly: anonymises or deletes what has passed its period
}

# At-risk reports (11): minutes an alert waits for a senior acknowledgement before it goes to
# the next manager up; how far in the future a typed time may be (clock drift) and still count.
ATRISK_ACKNOWLEDGE_MINUTES = env.int("ATRISK_ACKNOWLEDGE_MINUTES", default=15)
ATRISK_CLOCK_TOLERANCE_MINUTES = 5
# welfare: a welfare follow-up is due within this many working days (8.2, 14.2).
WELFARE_FOLLOW_UP_WORKING_DAYS = env.int("WELFARE_FOLLOW_UP_WORKING_DAYS", default=2)
# Notifications (issue 3): the beat sweep delivers due items every minute; nothing relies on
# a Celery countdown. A stale sweep request expires rather than piling up behind an outage.
NOTIFICATIONS_SWEEP_SECONDS = env.float("NOTIFICATIONS_SWEEP_SECONDS", default=60.0)
# Due items put in the inbox per sweep statement (set-based: no Python object per item).
NOTIFICATIONS_SWEEP_BATCH_SIZE = env.int("NOTIFICATIONS_SWEEP_BATCH_SIZE", default=5000)
# Emails sent per drain transaction (their rows stay locked while the batch is sent), and
# how many drain tasks a sweep queues at most: one per worker process that may send email.
# On SQLite a batch holds the one write lock while it is sent, so batches there are short.
NOTIFICATIONS_EMAIL_BATCH_SIZE = env.int("NOTIFICATIONS_EMAIL_BATCH_SIZE",
                                         default=20 if SQLITE else 200)
NOTIFICATIONS_EMAIL_DRAINS = env.int("NOTIFICATIONS_EMAIL_DRAINS", default=2)
NOTIFICATIONS_SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
CELERY_BEAT_SCHEDULE["notifications-sweep"] = {
    "task": "notifications.sweep_due_items",
    "schedule": NOTIFICATIONS_SWEEP_SECONDS,
    "options": {"expires": NOTIFICATIONS_SWEEP_SECONDS},
}
# The safety net for emails whose drain was never queued (broker down) or was cut short.
CELERY_BEAT_SCHEDULE["notifications-email"] = {
    "task": "notifications.send_pending_emails",
    "schedule": NOTIFICATIONS_SWEEP_SECONDS,
    "options": {"expires": NOTIFICATIONS_SWEEP_SECONDS},
}
# A mail server that stops answering must not hold the sweep's row locks for long.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
TEMPLATES[0]["OPTIONS"]["context_processors"].append(
    "notifications.context_processors.unread_notifications"
)
# Contacts (issue 4): persistent contact (7.2) is flagged at N contacts on one case in D days.
CONTACTS_PERSISTENT_THRESHOLD = env.int("CONTACTS_PERSISTENT_THRESHOLD", default=5)
CONTACTS_PERSISTENT_WINDOW_DAYS = env.int("CONTACTS_PERSISTENT_WINDOW_DAYS", default=30)
# Issue 17: how long after a contact ends its handler may still correct its summary, case
# reference or channel (afterwards only their line manager can).
CONTACTS_EDIT_WINDOW_HOURS = env.int("CONTACTS_EDIT_WINDOW_HOURS", default=24)
# Restrictions (7.2, 12): review dates, appeal window, beat task.
# 7.2, 12.1: the longest one acting Head of Department appointment may run (days).
ACCOUNTS_ACTING_HEAD_MAX_DAYS = env.int("ACCOUNTS_ACTING_HEAD_MAX_DAYS", default=92)
RESTRICTIONS_MAX_REVIEW_MONTHS = {"restriction": 6, "adjustment": 12}
# Default review period in months for each kind of term or for an adjustment; a request
# takes the shortest period among its terms (always within the maximum above).
RESTRICTIONS_DEFAULT_REVIEW_MONTHS = {
    "written_only": 6, "email_only": 6, "phone_set_times": 3, "single_point": 6,
    "call_length": 3, "no_visits": 6, "adjustment": 12,
}
RESTRICTIONS_REVIEW_NOTICE_DAYS = 14  # the review-due item arrives this long before
RESTRICTIONS_APPEAL_WINDOW_WORKING_DAYS = 20
RESTRICTIONS_OMBUDSMAN = env(
    "RESTRICTIONS_OMBUDSMAN",
    default="the Parliamentary and Health Service Ombudsman (www.ombudsman.org.uk), "
    "through your MP",
)
CELERY_BEAT_SCHEDULE["restrictions-expire-lapsed"] = {
    "task": "restrictions.expire_lapsed",
    "schedule": 3600.0,
}

# Documents (letters and case-file copies): the body's name on every page, in each language.
DOCUMENTS_BODY_NAME = {
    "en": env("DOCUMENTS_BODY_NAME_EN", default="Information Commissioner's Office"),
    "cy": env("DOCUMENTS_BODY_NAME_CY", default="Swyddfa'r Comisiynydd Gwybodaeth"),
}
# Integration API (issue 20): DRF with hashed API keys only (no session or basic auth, so a
# signed-in browser cannot call it and CSRF does not arise); errors are RFC 9457 problems.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.HasScope"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ClientRateThrottle"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.LimitedJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.ScopedAutoSchema",
    "EXCEPTION_HANDLER": "api.problems.exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Customer contact integration API",
    "DESCRIPTION": "Caller lookup, call events, case-management sync and signed webhooks. "
    "See docs/api/README.md.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "CallEventTypeEnum": "api.constants.CallEventType",
        "EventKindEnum": "api.constants.EventKind",
        "ExportKindEnum": "api.constants.ExportKind",
        "ChannelEnum": "contacts.constants.Channel",
    },
}
API_MAX_BODY_BYTES = env.int("API_MAX_BODY_BYTES", default=64 * 1024)
API_WEBHOOK_SWEEP_SECONDS = env.float("API_WEBHOOK_SWEEP_SECONDS", default=30.0)
CELERY_BEAT_SCHEDULE["api-webhooks"] = {
    "task": "api.deliver_webhooks",
    "schedule": API_WEBHOOK_SWEEP_SECONDS,
    "options": {"expires": API_WEBHOOK_SWEEP_SECONDS},
}
# The per-client rate limit counts in Redis when there is one (shared by every web process),
# otherwise in each process's memory (the embedded default).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Shared by every process (Redis when there is one): the header's unread counts
    # (notifications.unread). Without Redis each process has its own, kept a minute at most.
    "shared": ({"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                "KEY_PREFIX": "shared", "TIMEOUT": 300} if REDIS_URL else
               {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "shared",
                "TIMEOUT": 60}),
    "api": ({"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
             "KEY_PREFIX": "api"} if REDIS_URL else
            {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "api"}),
}
API_WEBHOOK_BACKOFF_SECONDS = env.float("API_WEBHOOK_BACKOFF_SECONDS", default=30.0)
