"""Test settings: the same environment switches as base, made fast and hermetic."""

from .base import *  # noqa: F403
from .base import REDIS_URL, REST_FRAMEWORK, VAR_DIR

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = VAR_DIR / "test-media"
# Slack stays unconfigured unless a test points it at the local stand-in.
SLACK_BOT_TOKEN = ""
SLACK_SIGNING_SECRET = "test-signing-secret"
SLACK_API_BASE_URL = "http://127.0.0.1:9/api/"
PORTAL_BASE_URL = "http://testserver"
PORTAL_BASE_URL_SET = True

if not REDIS_URL:
    # Per-process cache in tests: nothing leaks between runs through var/cache.
    # As many entries as the embedded default's file cache keeps (pacing keys, base.py).
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 10_000}}
    }

# The suite makes many anonymous API requests from one "client" per process; throttling is
# tested on its own (tests/security/test_hardening.py patches the rates it needs).
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute"}}
