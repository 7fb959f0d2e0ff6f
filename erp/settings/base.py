"""Haru ERP settings, read from the environment.

With no environment at all the portal runs on the embedded default: SQLite and a
file-system Celery broker under ``var/``, so web, worker and beat run on a laptop with
nothing installed. ``DATABASE_URL`` switches to PostgreSQL and ``REDIS_URL`` to Redis.
Every variable is listed in README.md.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(environ.Env().str("HARU_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
# The embedded default keeps its SQLite file, broker folders and uploads here.
VAR_DIR.mkdir(parents=True, exist_ok=True)
env_file = BASE_DIR / ".env"
if env_file.exists():
    environ.Env.read_env(str(env_file))

# Debug pages show settings and the process environment: only when asked for
# (DJANGO_DEBUG=true), never by default, not even on the embedded `make run` default.
DEBUG = env.bool("DJANGO_DEBUG", default=False)
# A development key only: production.py refuses to start without DJANGO_SECRET_KEY.
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
_LOCAL_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver"]
# `HOST=0.0.0.0 make run` serves other machines by whatever address they use, which the
# portal cannot know: any Host then, unless DJANGO_ALLOWED_HOSTS names them (SECURITY.md).
_SERVED_ON = environ.Env().str("HARU_HOST", default="")
ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS",
    default=["*"] if _SERVED_ON in ("0.0.0.0", "::") else [*_LOCAL_HOSTS, *([_SERVED_ON] if _SERVED_ON else [])],
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# Absolute base of the portal, used for links in Slack messages and the Slack app manifest.
# Unset, it is where `make run` serves (HARU_HOST/HARU_PORT), and the address the portal was
# last reached by wins over that guess (integrations.slack.core.base_url): no dead :8000 links.
PORTAL_BASE_URL_SET = bool(env.str("PORTAL_BASE_URL", default=""))
_SERVED_PORT = environ.Env().str("HARU_PORT", default="8000")
PORTAL_BASE_URL = env.str(
    "PORTAL_BASE_URL",
    default=f"http://{_SERVED_ON if _SERVED_ON not in ('', '0.0.0.0', '::') else '127.0.0.1'}:{_SERVED_PORT}",
).rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "axes",
    # Shared core, in dependency order: later apps build on earlier ones.
    "erp.core",
    "erp.people",
    "erp.workcalendar",
    "erp.audit",
    "erp.portal",
    # Domain apps.
    "tickets",
    "attendance",
    "leave",
    "meetings",
    "inquiries",
    "coupons",
    "alerts",
    # Every external channel (Slack, feeds, calendars); domain apps never import it.
    "integrations",
    "integrations.slack.inbound",
    "integrations.slack.socket",
    "integrations.ops",
    # History search, reports, dashboards and the morning brief, over every module above.
    "erp.history",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "integrations.slack.core.base_url.RememberBaseUrlMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle timeout and longest session, as an admin set them (erp/core/session_lifetime.py).
    "erp.core.session_lifetime.SessionLifetimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Out of disk space anywhere in a view: 507 with a message, not a 500 (erp/core/diskfull.py).
    "erp.core.diskfull.DiskFullMiddleware",
    # Last, as django-axes requires: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy (django-csp): only the portal's own files run or style a page. No
# inline scripts, handlers or style attributes anywhere (static/js/, classes in static/css/);
# Swagger UI loads its init script from a URL (SpectacularSwaggerSplitView). data: images
# are the icons inside Swagger UI's and Django admin's stylesheets.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    }
}

ROOT_URLCONF = "erp.urls"
WSGI_APPLICATION = "erp.wsgi.application"
ASGI_APPLICATION = "erp.asgi.application"

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
                "erp.portal.context_processors.portal",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'haru.sqlite3'}"),
}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Threads per process that run one request's independent reads side by side, the request's own
# thread included (erp.core.fanout: the history search's sources). Each keeps a connection of
# its own: a process may hold this many more, minus one. 1 runs them in series.
FANOUT_THREADS = env.int("FANOUT_THREADS", default=4)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Test databases are created UTF-8 from template0 so the ctype check passes for them too.
    DATABASES["default"]["TEST"] = {"TEMPLATE": "template0", "CHARSET": "UTF8"}
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
else:
    # SQLite (the embedded default: web, worker and beat share one file):
    # - timeout: wait for the writer lock instead of failing at once when processes overlap;
    # - IMMEDIATE transactions take the write lock at BEGIN. A deferred one that reads first and
    #   then writes cannot wait for the lock (SQLite answers "database is locked" at once to avoid
    #   a deadlock), which the worker hit on every burst of Slack notifications;
    # - WAL lets readers go on while one process writes.
    sqlite_options = DATABASES["default"].setdefault("OPTIONS", {})
    sqlite_options.setdefault("timeout", 20)
    sqlite_options.setdefault("transaction_mode", "IMMEDIATE")
    sqlite_options.setdefault("init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login throttling (django-axes, erp/core/login_throttle.py): N wrong passwords per user name
# and address lock that pair out for a while; an admin unlocks in Admin → Axes.
AUTHENTICATION_BACKENDS = [
    "erp.core.login_throttle.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "erp.core.login_throttle.lockout_response"
AXES_CLIENT_IP_CALLABLE = "erp.core.login_throttle.client_ip"
# Behind a reverse proxy: the header carrying the visitor's address (e.g. X-Forwarded-For).
LOGIN_CLIENT_IP_HEADER = env.str("LOGIN_CLIENT_IP_HEADER", default="")
# Successful logins are not logged by axes (no per-login IP/user-agent rows to retain).
AXES_DISABLE_ACCESS_LOG = True
# No start-up banner (it would be the first line of every management command's output).
AXES_VERBOSE = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "login"

# --- Language and time: Korean first, Asia/Seoul -------------------------------------
LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("Korean")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

# --- Static and media ------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Uploads are never mounted under a URL: files are served only by permission-checked views
# (tickets.views.attachment_download). MEDIA_URL stays for Django's checks.
MEDIA_URL = "media/"
# Static files straight from the app and project folders, without collectstatic, so the
# embedded default serves them with DEBUG off; production.py serves the collected copy.
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    # Written under a temporary name and renamed when complete (erp/core/storage.py).
    "default": {"BACKEND": "erp.core.storage.AtomicFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Cache -----------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # A hung or dead Redis costs a request one short timeout, then a circuit breaker skips
    # the cache for a while (erp/core/cache.py; the broker publish has its own, outbox.py).
    _CACHE_TIMEOUT = env.float("HARU_CACHE_TIMEOUT", default=0.1)
    CACHES = {
        "default": {
            "BACKEND": "erp.core.cache.CircuitBreakerRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": _CACHE_TIMEOUT,
                "socket_timeout": _CACHE_TIMEOUT,
                "breaker_seconds": env.float("HARU_CACHE_BREAKER_SECONDS", default=10),
            },
        }
    }
else:
    # Shared by web, worker and beat processes (Slack pacing and the calendar version key
    # must be seen by all of them), so not the per-process LocMemCache.
    CACHES = {
        "default": {
            # Django's FileBasedCache, minus the OSError when the disk is full (a skipped write).
            "BACKEND": "erp.core.cache.DiskTolerantFileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            # Django culls a third of the entries past 300; a channel's queue of cards keeps one
            # pacing key per slot, and a culled slot would be handed out twice.
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        }
    }

# --- Celery ----------------------------------------------------------------------------
CELERY_BROKER_DIR = VAR_DIR / "celery-broker"
if REDIS_URL:
    CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "socket_connect_timeout": 1,
        # A publish on a hung (not refused) Redis must give up well inside Slack's 3-second
        # acknowledgement window; the outbox keeps the message and the sweeper re-enqueues it.
        "socket_timeout": 1.5,
        "visibility_timeout": 3600,
    }
else:
    # Embedded default: the file-system transport needs no server and is shared by
    # separate web, worker and beat processes on one machine.
    CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "store_processed": False,
        # kombu sleeps this long whenever it finds nothing it may take, which includes "the
        # prefetched tasks are not acknowledged yet": at its default (1 s) the worker drained
        # about two tasks a second and the demo seed's ~1,100 notifications took ten minutes.
        # Polling an empty folder ten times a second costs nothing worth counting.
        "polling_interval": 0.1,
    }
    for _folder in ("queue", "control", "processed"):
        (CELERY_BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
# Durability: a task is acknowledged only after it ran, and is redelivered when the
# worker process dies mid-task; prefetch 1 so a crash strands at most one message.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Publishing must never hang a web request when the broker is down: fail fast and let
# the outbox sweeper re-enqueue (DESIGN.md convention 4).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY = False
# django-celery-beat's DatabaseScheduler behind the installation's beat lock (a PostgreSQL
# advisory lock; a file lock on the embedded default): a second beat waits as a standby.
CELERY_BEAT_SCHEDULER = "integrations.ops.beat_lock:SingleBeatScheduler"
HARU_BEAT_LOCK_WAIT = env.bool("HARU_BEAT_LOCK_WAIT", default=True)
HARU_BEAT_LOCK_RETRY_SECONDS = env.float("HARU_BEAT_LOCK_RETRY_SECONDS", default=15)
# /healthz reports "degraded" when the uploads, var or SQLite disk has less free space than
# this (erp/core/health.py check_disk), so monitoring hears of it before writes fail with 507.
HARU_MIN_FREE_BYTES = env.int("HARU_MIN_FREE_BYTES", default=200 * 1024 * 1024)
# Periodic tasks; the DatabaseScheduler copies these into django-celery-beat's tables on
# start, where admins can see, pause or re-time them. Domain jobs are listed here; Slack
# jobs are declared by each Slack module (SlackModule.jobs) and added when apps are ready.
CELERY_BEAT_SCHEDULE = {}
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)

# --- REST API ---------------------------------------------------------------------------
# django-filter's empty choice: "전체" (all) instead of "---------" (korean.md §2a).
FILTERS_EMPTY_CHOICE_LABEL = _("All")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.CursorPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "erp.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Haru ERP API",
    "DESCRIPTION": "Tickets, attendance, meeting rooms, inquiries and coupons.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI assets are served from our own static files: the portal runs offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Impact and urgency share one choice set; name it once instead of twice.
    "ENUM_NAME_OVERRIDES": {
        "LevelEnum": "tickets.models.Level",
        "InquirySourceEnum": "inquiries.models.InquirySource",
        "TicketSourceEnum": "tickets.models.TicketSource",
    },
    # The schema and the docs describe every endpoint: for signed-in users only (review L5).
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
}
# API throttling (review L4): over the rate a client gets 429 with a Retry-After header.
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = [
    "rest_framework.throttling.AnonRateThrottle",
    "rest_framework.throttling.UserRateThrottle",
]
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {
    "anon": env.str("API_THROTTLE_ANON", default="60/minute"),
    "user": env.str("API_THROTTLE_USER", default="1200/minute"),
}
# Sessions end after a working day rather than Django's two weeks (review L10).
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=12 * 3600)
# Webhook idempotency keys (erp/core/webhooks) are kept a week: a policy of the nightly
# retention run (erp/core/retention), like every other record type's.

# --- Slack ------------------------------------------------------------------------------
SLACK_BOT_TOKEN = env.str("SLACK_BOT_TOKEN", default="")
SLACK_SIGNING_SECRET = env.str("SLACK_SIGNING_SECRET", default="")
# Tests and local runs point this at a stand-in for Slack's Web API.
SLACK_API_BASE_URL = env.str("SLACK_API_BASE_URL", default="https://slack.com/api/")
SLACK_DEFAULT_CHANNEL = env.str("SLACK_DEFAULT_CHANNEL", default="")
SLACK_CRITICAL_CHANNEL = env.str("SLACK_CRITICAL_CHANNEL", default="")
SLACK_TICKET_COMMAND = env.str("SLACK_TICKET_COMMAND", default="/fs")
SLACK_ATTENDANCE_COMMAND = env.str("SLACK_ATTENDANCE_COMMAND", default="/attendance")
SLACK_LEAVE_COMMAND = env.str("SLACK_LEAVE_COMMAND", default="/leave")
SLACK_SEARCH_COMMAND = env.str("SLACK_SEARCH_COMMAND", default="/haru-search")

# The meeting-room command; a company may call it /회의실 (Slack allows non-ASCII names).
SLACK_ROOM_COMMAND = env.str("SLACK_ROOM_COMMAND", default="/room")
# Hour (KST) of the daily meeting-room agenda post on working days.
MEETINGS_AGENDA_HOUR = env.int("MEETINGS_AGENDA_HOUR", default=8)
# Room calendars (integrations/calendar): Google Calendar API base and an OAuth access token;
# sources are polled with sync tokens (intranet installs have no public URL for push channels).
GOOGLE_CALENDAR_API_URL = env.str("GOOGLE_CALENDAR_API_URL", default="https://www.googleapis.com/calendar/v3")
GOOGLE_CALENDAR_ACCESS_TOKEN = env.str("GOOGLE_CALENDAR_ACCESS_TOKEN", default="")
# A service account with domain-wide delegation (its JSON key file) and the Workspace user it
# acts as; when set, tokens come from it (integrations/calendar/credentials.py).
GOOGLE_SERVICE_ACCOUNT_FILE = env.str("GOOGLE_SERVICE_ACCOUNT_FILE", default="")
GOOGLE_DELEGATED_USER = env.str("GOOGLE_DELEGATED_USER", default="")
# The room import (manage.py calendar_import_rooms) reads the Admin SDK resource directory.
GOOGLE_DIRECTORY_API_URL = env.str(
    "GOOGLE_DIRECTORY_API_URL", default="https://admin.googleapis.com/admin/directory/v1"
)
GOOGLE_WORKSPACE_CUSTOMER = env.str("GOOGLE_WORKSPACE_CUSTOMER", default="my_customer")
# The public HTTPS address of /calendar/google/push/: when set, room calendars push changes
# (events.watch) and are synced at once; polling stays on as the safety net.
GOOGLE_CALENDAR_PUSH_URL = env.str("GOOGLE_CALENDAR_PUSH_URL", default="")
CELERY_BEAT_SCHEDULE["integrations.calendar.sync_due"] = {
    "task": "integrations.calendar.sync_due",
    "schedule": env.int("CALENDAR_POLL_SECONDS", default=120),
}
# Outbound delivery (integrations/slack): client timeout, retry policy and pacing.
SLACK_CLIENT_TIMEOUT = env.int("SLACK_CLIENT_TIMEOUT", default=10)
SLACK_RETRY_BASE_SECONDS = env.float("SLACK_RETRY_BASE_SECONDS", default=10)
SLACK_RETRY_MAX_SECONDS = env.float("SLACK_RETRY_MAX_SECONDS", default=900)
# After this long (or this many attempts) a delivery that keeps failing is marked failed.
SLACK_RETRY_HORIZON_SECONDS = env.int("SLACK_RETRY_HORIZON_SECONDS", default=6 * 3600)
SLACK_MAX_ATTEMPTS = env.int("SLACK_MAX_ATTEMPTS", default=15)
# A row "sending" this long belongs to a dead worker and is retried by the sweeper.
SLACK_SENDING_STALE_SECONDS = env.int("SLACK_SENDING_STALE_SECONDS", default=300)
# The sweeper leaves freshly due rows alone this long: their own task is about to run.
SLACK_SWEEP_GRACE_SECONDS = env.int("SLACK_SWEEP_GRACE_SECONDS", default=20)
SLACK_SWEEP_INTERVAL_SECONDS = env.int("SLACK_SWEEP_INTERVAL_SECONDS", default=30)
# ... and re-publishes a row at most this often: its task may be waiting in a busy queue.
SLACK_SWEEP_REPUBLISH_SECONDS = env.int("SLACK_SWEEP_REPUBLISH_SECONDS", default=120)
# Reserve slots per channel in the cache so Slack's 1 msg/s/channel is kept; a slot is a
# little over a second so network jitter never puts two calls less than a second apart.
SLACK_PACING = env.bool("SLACK_PACING", default=True)
SLACK_PACE_SECONDS = env.float("SLACK_PACE_SECONDS", default=1.1)
# A publish from a web request gives up after this long on a hung broker (then the outbox's
# own breaker skips the broker for 10 s and the sweeper sends the row).
SLACK_PUBLISH_TIMEOUT_SECONDS = env.float("SLACK_PUBLISH_TIMEOUT_SECONDS", default=0.2)
# Prefix of P1 incident channels (inc-123-db-down).
SLACK_INCIDENT_CHANNEL_PREFIX = env.str("SLACK_INCIDENT_CHANNEL_PREFIX", default="inc")
# Delivered outbox rows are kept this long (failed ones until handled), pruned nightly at 03:30.
SLACK_OUTBOX_RETENTION_DAYS = env.int("SLACK_OUTBOX_RETENTION_DAYS", default=30)
# Slack privacy policy: how long a target's class (public, private, DM, guests, shared) is
# trusted before Slack is asked again, and how long a "Slack could not tell" answer (treated
# as the most restrictive class) is kept before trying again.
SLACK_PRIVACY_TARGET_TTL_SECONDS = env.int("SLACK_PRIVACY_TARGET_TTL_SECONDS", default=3600)
SLACK_PRIVACY_FALLBACK_TTL_SECONDS = env.int("SLACK_PRIVACY_FALLBACK_TTL_SECONDS", default=60)

# --- Attendance -------------------------------------------------------------------------
# A punch before this hour (KST) closes the previous day's open shift (a shift belongs to the
# day it started); open days turn "missing check-out" at this hour the next day.
ATTENDANCE_DAY_CUTOFF_HOUR = env.int("ATTENDANCE_DAY_CUTOFF_HOUR", default=4)
# Statutory breaks, "presence minutes above which:break minutes" (30 min per 4 h, 1 h per 8 h).
ATTENDANCE_BREAKS = env.str("ATTENDANCE_BREAKS", default="240:30,480:60")
ATTENDANCE_WEEKLY_STANDARD_MINUTES = env.int("ATTENDANCE_WEEKLY_STANDARD_MINUTES", default=40 * 60)
ATTENDANCE_WEEKLY_CAP_MINUTES = env.int("ATTENDANCE_WEEKLY_CAP_MINUTES", default=52 * 60)
# Crossing this weekly total warns the person and their manager (once per week).
ATTENDANCE_WEEKLY_WARNING_MINUTES = env.int("ATTENDANCE_WEEKLY_WARNING_MINUTES", default=48 * 60)
ATTENDANCE_EXPECTED_DAY_MINUTES = env.int("ATTENDANCE_EXPECTED_DAY_MINUTES", default=8 * 60)
# Hour (KST) of the reminder for people checked in but not out; nothing is closed automatically.
ATTENDANCE_MISSING_CHECKOUT_HOUR = env.int("ATTENDANCE_MISSING_CHECKOUT_HOUR", default=21)
ATTENDANCE_NOTIFY_MAX_AGE_MINUTES = env.int("ATTENDANCE_NOTIFY_MAX_AGE_MINUTES", default=30)
ATTENDANCE_MAX_BATCH = env.int("ATTENDANCE_MAX_BATCH", default=1000)
ATTENDANCE_BACKDATE_DAYS = env.int("ATTENDANCE_BACKDATE_DAYS", default=7)
CELERY_BEAT_SCHEDULE["attendance.remind_missing_checkouts"] = {
    "task": "attendance.tasks.remind_missing_checkouts",
    "schedule": crontab(minute=0, hour=ATTENDANCE_MISSING_CHECKOUT_HOUR),
}
CELERY_BEAT_SCHEDULE["attendance.mark_overdue_days"] = {
    "task": "attendance.tasks.mark_overdue_days",
    "schedule": crontab(minute=5, hour=ATTENDANCE_DAY_CUTOFF_HOUR),
}
# The optional morning post to each department's Slack channel: who works remotely or at a
# client today (names and locations, never times). The task skips days off.
ATTENDANCE_MORNING_POST = env.bool("ATTENDANCE_MORNING_POST", default=True)
ATTENDANCE_MORNING_POST_HOUR = env.int("ATTENDANCE_MORNING_POST_HOUR", default=10)

# --- Tickets ----------------------------------------------------------------------------
# Largest attachment accepted on tickets and comments (bytes).
TICKETS_MAX_ATTACHMENT_BYTES = env.int("TICKETS_MAX_ATTACHMENT_BYTES", default=10 * 1024 * 1024)
# Flags SLA targets that became at risk / breached and sends their signals (exactly once each).
CELERY_BEAT_SCHEDULE["tickets.check_sla"] = {"task": "tickets.tasks.check_sla", "schedule": 60.0}

# --- Slack inbound (commands, buttons, events) ------------------------------------------
# Optional: our bot's user id (else learned from event envelopes and auth.test) and the
# workspace's domain (else learned from commands), for ignoring our own messages and for
# building message links without a Slack call.
SLACK_BOT_USER_ID = env.str("SLACK_BOT_USER_ID", default="")
SLACK_TEAM_DOMAIN = env.str("SLACK_TEAM_DOMAIN", default="")

# --- Slack Socket Mode (manage.py slack_socket) ----------------------------------------
# The app-level token (xapp-…, scope connections:write) switches Socket Mode on: Slack then
# sends commands, buttons and events over a WebSocket the portal opens, no public URL needed.
SLACK_APP_TOKEN = env.str("SLACK_APP_TOKEN", default="")
# Where apps.connections.open is called (tests: the local Socket Mode stand-in).
SLACK_SOCKET_API_BASE_URL = env.str("SLACK_SOCKET_API_BASE_URL", default=SLACK_API_BASE_URL)

# --- Operations: metrics, error reports, queues (integrations/ops) -----------------------------
# /metrics answers staff sessions and `Authorization: Bearer $METRICS_TOKEN` (Prometheus).
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
MIDDLEWARE.insert(0, "integrations.ops.metrics.RequestMetricsMiddleware")
# Celery queues per kind of work, so a big import or report never waits in front of Slack
# messages: run a worker on "slack,default" and another on "imports,sync,reports"
# (Procfile, deploy/). Patterns route tasks modules add later by their names.
HARU_QUEUES = ("slack", "default", "imports", "sync", "reports")
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "integrations.slack.daily_*": {"queue": "reports"},
    "integrations.slack.*_morning_post": {"queue": "reports"},
    "integrations.slack.*": {"queue": "slack"},
    "*.import*": {"queue": "imports"},
    "*.sync*": {"queue": "sync"},
    "*.poll*": {"queue": "sync"},
    "*.report*": {"queue": "reports"},
    "*.digest*": {"queue": "reports"},
    "erp.history.*": {"queue": "reports"},
}

# Optional error reports, started by integrations/ops/apps.py: personal data masked before sending.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT = env.str("SENTRY_ENVIRONMENT", default="")
HARU_RELEASE = env.str("HARU_RELEASE", default="")

# --- Customer inquiries ---------------------------------------------------------------
# The public intake (/api/inquiries/submit/<site>/) answers browsers of the sites' own
# allowed origins (Admin → Inquiry sites) and of CORS_ALLOWED_ORIGINS, through
# django-cors-headers; no other path gets CORS headers.
INSTALLED_APPS += ["corsheaders"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.common.CommonMiddleware"), "corsheaders.middleware.CorsMiddleware"
)
CORS_URLS_REGEX = r"^/api/inquiries/submit/"
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_ALLOW_METHODS = ("OPTIONS", "POST")
CORS_ALLOW_HEADERS = ("accept", "content-type", "idempotency-key", "x-inquiry-key", "x-requested-with")
CORS_EXPOSE_HEADERS = ("Retry-After",)
INQUIRIES_SALES_CHANNEL = env.str("INQUIRIES_SALES_CHANNEL", default="")
INQUIRIES_MARKETING_CHANNEL = env.str("INQUIRIES_MARKETING_CHANNEL", default="")
INQUIRIES_SALES_DEPARTMENTS = env.list("INQUIRIES_SALES_DEPARTMENTS", default=["sales"])
INQUIRIES_MARKETING_DEPARTMENTS = env.list("INQUIRIES_MARKETING_DEPARTMENTS", default=["marketing"])
INQUIRIES_DUPLICATE_WINDOW_HOURS = env.int("INQUIRIES_DUPLICATE_WINDOW_HOURS", default=72)
INQUIRIES_NUDGE_HOURS = env.int("INQUIRIES_NUDGE_HOURS", default=24)
INQUIRIES_BURST_THRESHOLD = env.int("INQUIRIES_BURST_THRESHOLD", default=3)
INQUIRIES_RATE_PER_IP = env.str("INQUIRIES_RATE_PER_IP", default="10/m")
INQUIRIES_RATE_PER_EMAIL = env.str("INQUIRIES_RATE_PER_EMAIL", default="5/h")
INQUIRIES_MAIL_RATE_PER_SENDER = env.str("INQUIRIES_MAIL_RATE_PER_SENDER", default="10/h")
# Behind a reverse proxy: the header that carries the client address, e.g. X-Forwarded-For.
INQUIRIES_CLIENT_IP_HEADER = env.str("INQUIRIES_CLIENT_IP_HEADER", default="")
INQUIRIES_FROM_EMAIL = env.str("INQUIRIES_FROM_EMAIL", default="")
INQUIRIES_MAIL_ADDRESSES = env.list("INQUIRIES_MAIL_ADDRESSES", default=[])

# --- Outgoing e-mail (answers to customers, helpdesk replies) -------------------------------------------------------
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="haru@localhost")

# --- Logging ----------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "()": "erp.core.logging.MaskingFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s: %(message)s",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Django's own defaults for these print unmasked lines (runserver's request lines,
        # "Not Found: /path" under DEBUG): replaced by the masked console (review L3).
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# --- History reports (erp.history): rollups fold what changed, every minute ---------------
CELERY_BEAT_SCHEDULE["erp.history.fold_rollups"] = {"task": "erp.history.fold_rollups", "schedule": 60.0}

# LOG_FORMAT=json: one masked JSON object per line, for log shippers (integrations/ops/logs.py).
if env.str("LOG_FORMAT", default="plain") == "json":
    LOGGING["formatters"]["plain"] = {
        "()": "integrations.ops.logs.MaskingJsonFormatter",
        "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
    }

# --- Alerts: the SMTP receiver (outgoing mail: see "Outgoing e-mail" above) ---------------
ALERTS_SMTP_HOST = env.str("ALERTS_SMTP_HOST", default="127.0.0.1")
ALERTS_SMTP_PORT = env.int("ALERTS_SMTP_PORT", default=8025)
ALERTS_MAIL_MAX_BYTES = env.int("ALERTS_MAIL_MAX_BYTES", default=10 * 1024 * 1024)
ALERTS_HELPDESK_FROM = env.str("ALERTS_HELPDESK_FROM", default="")
ALERTS_DIGEST_HOUR = env.int("ALERTS_DIGEST_HOUR", default=9)

# --- Coupons (KT Giftishow) ---------------------------------------------------------------
# Giftishow credentials (GIFTISHOW_AUTH_CODE, GIFTISHOW_AUTH_TOKEN, GIFTISHOW_USER_ID …) are read
# from the environment by integrations/giftishow/client.py when a call is made, never stored here.
COUPONS_SUMMARY_HOUR = env.int("COUPONS_SUMMARY_HOUR", default=9)
COUPONS_ALERT_CHANNEL = env.str("COUPONS_ALERT_CHANNEL", default="")
COUPONS_FAILURE_RATE = env.float("COUPONS_FAILURE_RATE", default=0.2)
COUPONS_FAILURE_MIN_SENDS = env.int("COUPONS_FAILURE_MIN_SENDS", default=20)
COUPONS_BATCH_STALL_MINUTES = env.int("COUPONS_BATCH_STALL_MINUTES", default=10)
COUPONS_BIZMONEY_LOW = env.int("COUPONS_BIZMONEY_LOW", default=500_000)
COUPONS_PHONE_RETENTION_DAYS = env.int("COUPONS_PHONE_RETENTION_DAYS", default=90)
COUPONS_IMPORT_MAX_BYTES = env.int("COUPONS_IMPORT_MAX_BYTES", default=512 * 1024 * 1024)
