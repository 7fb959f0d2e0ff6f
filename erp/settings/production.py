"""Production mode: ``DJANGO_SETTINGS_MODULE=erp.settings.production``.

Passes ``manage.py check --deploy`` with no warnings. Requires DJANGO_SECRET_KEY and
DJANGO_ALLOWED_HOSTS; the portal is expected behind an HTTPS-terminating proxy that sets
X-Forwarded-Proto.
"""

from .base import *  # noqa: F403
from .base import STORAGES, env

DEBUG = False
# Refuses demo-only commands (seed_demo creates logins with a published password).
HARU_PRODUCTION = True
SECRET_KEY = env.str("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# /healthz is probed by load balancers over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

WHITENOISE_USE_FINDERS = False

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
