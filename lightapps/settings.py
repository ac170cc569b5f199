"""One settings module: every value comes from the environment, with a development default.

Embedded default (nothing set): SQLite, in-memory channel layer, local-memory cache, Celery tasks
run in-process, development login. Production: DJANGO_PRODUCTION=1 plus DATABASE_URL, REDIS_URL,
SECRET_KEY, ALLOWED_HOSTS (and WECOM_* for the WeCom login).
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from lightapps.envvars import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent


PRODUCTION = env_bool("DJANGO_PRODUCTION", False)
DEBUG = env_bool("DEBUG", not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG cannot be on when DJANGO_PRODUCTION=1")

_DEV_SECRET = "dev-only-insecure-secret-key-do-not-use-in-production-0123456789"
SECRET_KEY = env_str("SECRET_KEY", "" if PRODUCTION else _DEV_SECRET)
if PRODUCTION and (not SECRET_KEY or SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("SECRET_KEY must be set to a random value of 50+ characters")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "channels",
    "axes",
    "lightapps.audit",
    "lightapps.orgs",
    "lightapps.definitions",
    "lightapps.submissions",
    "lightapps.workorders",
    "lightapps.wecom",
    "lightapps.console",
    "lightapps.mobile",
    "lightapps.web",
    "lightapps.demo",
    "builder",
    "drf_spectacular_sidecar",  # Swagger UI and ReDoc as static files: no CDN on an intranet
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "lightapps.web.request_id.RequestIdMiddleware",  # X-Request-ID, logs and the request line
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Who is asking from where, for the audit log of whatever this request does.
    "lightapps.web.middleware.AuditOriginMiddleware",
    # Query strings and page form posts carrying text that cannot be stored: 400 (NUL, U+FFFF).
    "lightapps.web.middleware.TextCheckMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # 登录连接超时自动退出: idle or too old sessions end here, before the WeCom login below
    # (inside WeCom a lapsed session then signs in again through OAuth, without a click).
    "lightapps.web.middleware.SessionLimitsMiddleware",
    # Inside WeCom, an unauthenticated visitor goes through the OAuth login (when configured).
    "lightapps.web.middleware.WeComLoginMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # 登录失败处理: a locked-out account or address gets the lockout page (last, as axes asks).
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy on every response: our own scripts and styles from static/ only (ES
# modules, no inline script or style attribute), photos previewed from blob: and data: URLs, no
# plugins, no framing, forms posting only to us. Nothing is loaded from another host.
# The console's live updates: the websocket's URL as the browser reaches it. Empty: /ws/console/
# on the page's own host (make run; production behind a proxy routing /ws/ to the ASGI process).
# `make serve` without a proxy sets it to the ws process's own port.
LIVE_WS_URL = env_str("LIVE_WS_URL")
if LIVE_WS_URL and not LIVE_WS_URL.startswith(("ws://", "wss://")):
    raise ImproperlyConfigured("LIVE_WS_URL must start with ws:// or wss://")
_live_ws_origin = "/".join(LIVE_WS_URL.split("/")[:3]) if LIVE_WS_URL else ""

from .settings_maps import *  # noqa: E402, F403 (MAP_TILE_*: the console maps' tiles)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # MAP_TILE_URL's server (settings_maps) when a tile server is configured.
        "img-src": [SELF, "data:", "blob:", *MAP_TILE_CSP_SOURCES],  # noqa: F405
        "font-src": [SELF, "data:"],
        # LIVE_WS_URL (the console's websocket) when it is another origin, as with make serve.
        "connect-src": [SELF, *([_live_ws_origin] if _live_ws_origin else [])],
        "worker-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

if PRODUCTION:
    # Static files from STATIC_ROOT (after collectstatic); in development runserver serves them.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")
    # Pages compressed too (static files come compressed from collectstatic): the facade form's
    # HTML is 69 KB, 10 KB gzipped, on the phone's byte budget. Django pads each response with
    # random bytes against BREACH, and the CSRF token is masked per response.
    MIDDLEWARE.insert(2, "django.middleware.gzip.GZipMiddleware")

ROOT_URLCONF = "lightapps.urls"
WSGI_APPLICATION = "lightapps.wsgi.application"
ASGI_APPLICATION = "lightapps.asgi.application"

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
                "lightapps.web.context_processors.current_person",
            ],
        },
    },
]

# Database: SQLite file by default, anything dj-database-url understands via DATABASE_URL.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # An unreachable database fails a request (and /readyz) in seconds, not the OS's minutes.
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options["connect_timeout"] = env_int("DB_CONNECT_TIMEOUT", 5)
        # PostgreSQL's JIT compiles a query whose estimated cost is high, which costs hundreds
        # of milliseconds up front: measured at a million orders, 0.7 s of the figures' 1.9 s.
        # A web request's queries are short; DB_JIT=1 gives the server's own setting back.
        if not env_bool("DB_JIT", False):
            options["options"] = f"{options.get('options', '')} -c jit=off".strip()
else:
    if PRODUCTION:
        raise ImproperlyConfigured("DATABASE_URL must be set in production")
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            # IMMEDIATE: a write transaction takes the lock when it begins, so two concurrent
            # actions queue up instead of deadlocking on the upgrade from read to write.
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "orgs.Person"
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
AUTHENTICATION_BACKENDS = [
    # Counts failed logins (per account and per address) and refuses a locked-out one.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# 登录失败处理: LOGIN_FAILURE_LIMIT failed logins of one account, or from one address, lock it
# for LOGIN_LOCKOUT_MINUTES (each new try during the lock starts the wait again); an admin
# unlocks in the Django admin (访问尝试) or with `manage.py axes_reset_username NAME`.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
if AXES_FAILURE_LIMIT < 1 or AXES_COOLOFF_TIME.total_seconds() <= 0:
    raise ImproperlyConfigured("LOGIN_FAILURE_LIMIT and LOGIN_LOCKOUT_MINUTES must be > 0")
# What a lock applies to: the account, the address, or both (default). Behind one NAT address a
# whole office shares the address, and five typos lock it for everyone: LOGIN_LOCKOUT_BY=username
# counts per account only.
AXES_LOCKOUT_PARAMETERS = env_list("LOGIN_LOCKOUT_BY", "username,ip_address")
if not AXES_LOCKOUT_PARAMETERS or set(AXES_LOCKOUT_PARAMETERS) - {"username", "ip_address"}:
    raise ImproperlyConfigured("LOGIN_LOCKOUT_BY must list username and/or ip_address")
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "lightapps.audit.origin.client_ip"
AXES_LOCKOUT_CALLABLE = "lightapps.web.login.locked_out"
AXES_USERNAME_CALLABLE = "lightapps.web.login.attempted_username"
# Our audit log records every login, logout and failure; axes keeps only its counters.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
# How many reverse proxies of ours append to X-Forwarded-For in front of the app (0: none, the
# peer's address is the client's). Used for the audit log and the login limits alike.
TRUSTED_PROXY_HOPS = env_int("TRUSTED_PROXY_HOPS", 0)
# 审计日志 retention: entries older than this are pruned by beat; the Cybersecurity Law asks
# for at least six months, so less than 180 days is refused.
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 184)
if AUDIT_RETENTION_DAYS < 180:
    raise ImproperlyConfigured("AUDIT_RETENTION_DAYS must be at least 180 (six months)")
AUDIT_EXPORT_MAX_ROWS = env_int("AUDIT_EXPORT_MAX_ROWS", 100000)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Redis: one switch for the cache, the channel layer and the Celery broker.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "lightapps.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            # Redis gone: the cache (throttle counters, WeCom's token) fails fast, not in minutes,
            # and answers "not cached" (lightapps.cache) rather than failing the request.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 5},
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
else:
    if PRODUCTION:
        raise ImproperlyConfigured("REDIS_URL must be set in production")
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CELERY_BROKER_URL = "memory://"
    # Embedded default: tasks run in-process, right where they are enqueued (after commit).
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# Sessions (等保: 登录连接超时自动退出; ASVS L2: 30 min idle, 12 h absolute): a session ends after
# SESSION_IDLE_MINUTES without a request, and SESSION_MAX_HOURS after its login whatever happens.
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_MAX_SECONDS = env_int("SESSION_MAX_HOURS", 12) * 3600
if SESSION_IDLE_SECONDS <= 0 or SESSION_MAX_SECONDS < SESSION_IDLE_SECONDS:
    raise ImproperlyConfigured("SESSION_IDLE_MINUTES must be > 0 and at most SESSION_MAX_HOURS")
SESSION_COOKIE_AGE = SESSION_MAX_SECONDS
# Celery's reliability settings, the outbox, WeCom and webhooks: settings_delivery.py.
from lightapps.settings_delivery import *  # noqa: E402, F403
from lightapps.settings_delivery import (  # noqa: E402 (read below)
    CELERY_BROKER_TRANSPORT_OPTIONS,
    WECOM_CONFIGURED,
)

LANGUAGE_CODE = env_str("LANGUAGE_CODE", "zh-hans")
# One language for now: the source strings are Chinese, and without an English catalog a
# browser asking for English would get a mix. LocaleMiddleware comes back with a catalog.
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
PHONE_BUILD_DIR = BASE_DIR / "build" / "phone"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# Front-end packages come from npm (package.json); only their built files are served.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/weui", BASE_DIR / "node_modules" / "weui" / "dist" / "style"),
    ("vendor/wecom", BASE_DIR / "node_modules" / "@wecom" / "jssdk" / "dist"),
    ("vendor/leaflet", BASE_DIR / "node_modules" / "leaflet" / "dist"),
    # The designer's drag and drop (ES modules: sortable.esm.js).
    ("vendor/sortablejs", BASE_DIR / "node_modules" / "sortablejs" / "modular"),
    # json-logic-js: the phone's JSON Logic (a UMD script setting window.jsonLogic)
    ("vendor/json-logic", BASE_DIR / "node_modules" / "json-logic-js"),
    # The figures' charts (ES module: echarts.esm.min.js).
    ("vendor/echarts", BASE_DIR / "node_modules" / "echarts" / "dist"),
    # The phone pages' stylesheet and modules, built by frontend/build.mjs at `make install`.
    ("phone", PHONE_BUILD_DIR),
]
STATICFILES_FINDERS = [
    "lightapps.staticfiles.VendorFileSystemFinder",  # STATICFILES_DIRS, less unused npm builds
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "lightapps.storage.StaticStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Request limits: a JSON submission is small (photos are uploaded separately).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2 * 1024 * 1024)
PHOTO_MAX_BYTES = env_int("PHOTO_MAX_BYTES", 15 * 1024 * 1024)
# One Excel export of submissions holds at most this many (more: narrow the dates or the area).
DATA_EXPORT_MAX_ROWS = env_int("DATA_EXPORT_MAX_ROWS", 20000)
# 后台导出 (lightapps.console.background): an export of more rows than this is written by a
# Celery task (a progress bar, then a download link) instead of in the request; an Excel file
# written so holds at most EXPORT_BACKGROUND_MAX_ROWS; files are kept EXPORT_KEEP_HOURS; a person
# has at most EXPORT_JOBS_OPEN_MAX waiting or running; a task runs at most EXPORT_TIME_LIMIT s.
EXPORT_INLINE_MAX_ROWS = env_int("EXPORT_INLINE_MAX_ROWS", 5000)
EXPORT_BACKGROUND_MAX_ROWS = env_int("EXPORT_BACKGROUND_MAX_ROWS", 1_000_000)
EXPORT_KEEP_HOURS = env_int("EXPORT_KEEP_HOURS", 24)
EXPORT_JOBS_OPEN_MAX = env_int("EXPORT_JOBS_OPEN_MAX", 3)
# Under the broker's visibility timeout, so a running export is never handed to a second
# worker (a test lowering that timeout lowers this with it).
EXPORT_TIME_LIMIT = max(
    20,
    min(
        env_int("EXPORT_TIME_LIMIT", 540),
        CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] - 10,
    ),
)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024


# The development login lists demo people and logs in without a password. It can never be on in
# production mode or with WeCom configured, whatever the environment says. Left unset, it is on
# with DEBUG and answers only a browser on the server itself (loopback to loopback); DEV_LOGIN=1
# opens it to every address (with a warning at start), DEV_LOGIN=0 turns it off. It never signs
# anyone in as a superuser unless DEV_LOGIN_SUPERUSER=1.
_DEV_LOGIN_ASKED = env_str("DEV_LOGIN").strip() != ""
DEV_LOGIN = (
    (not PRODUCTION)
    and (not WECOM_CONFIGURED)
    and (env_bool("DEV_LOGIN") if _DEV_LOGIN_ASKED else DEBUG)
)
DEV_LOGIN_ANY_ADDRESS = DEV_LOGIN and _DEV_LOGIN_ASKED
DEV_LOGIN_SUPERUSER = DEV_LOGIN and env_bool("DEV_LOGIN_SUPERUSER", False)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an unauthenticated call then gets 401 with WWW-Authenticate.
        "lightapps.api.authentication.HashedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["lightapps.api.authentication.ClientRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PARSER_CLASSES": [
        "lightapps.api.parsers.LimitedJSONParser",
        "lightapps.api.parsers.CheckedMultiPartParser",
        "lightapps.api.parsers.CheckedFormParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "lightapps.api.pagination.CheckedLimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "lightapps.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# API limits: calls per token / signed-in person / anonymous address ("N/s", "N/min", "N/hour");
# wrong tokens per address in a window before that address must wait (429, Retry-After).
API_THROTTLE_RATE = env_str("API_THROTTLE_RATE", "300/min")
API_AUTH_FAILURE_LIMIT = env_int("API_AUTH_FAILURE_LIMIT", 10)
API_AUTH_FAILURE_WINDOW = env_int("API_AUTH_FAILURE_WINDOW", 300)
# API tokens (`manage.py issue_token USER --days N`): default and longest lifetime in days.
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 90)
API_TOKEN_MAX_DAYS = env_int("API_TOKEN_MAX_DAYS", 366)
SPECTACULAR_SETTINGS = {
    "TITLE": "Light apps API",
    "DESCRIPTION": "Light apps, submissions and closed-loop work orders for city operations.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "lightapps.api.schema.error_responses",
        "lightapps.api.webhook_schema.webhooks",
    ],
    # In production the schema and its docs are for signed-in people (sessions or tokens) only.
    "SERVE_PERMISSIONS": (
        ["rest_framework.permissions.IsAuthenticated"]
        if PRODUCTION
        else ["rest_framework.permissions.AllowAny"]
    ),
}

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # The load balancer's health checks answer on plain HTTP too.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"

# Logs to the console, every record with the id of its request (lightapps.web.logs); in production
# one JSON object a line, and one line per request (lightapps.requests: method, path, status,
# duration, user).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "lightapps.web.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "lightapps.web.logs.JsonFormatter"},
        "plain": {"format": "%(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if PRODUCTION else "plain",
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # In development runserver prints the requests already.
        "lightapps.requests": {"level": "INFO" if PRODUCTION else "WARNING"},
    },
}
