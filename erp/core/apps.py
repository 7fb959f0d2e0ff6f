from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "erp.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from .retention import register_retention
        from .webhooks.retention import POLICIES as WEBHOOK_RETENTION

        register_retention(*WEBHOOK_RETENTION)
        from . import checks  # noqa: F401  (registers the database checks)
        from .search import register_lookups
        from .session_lifetime import _connect_cache_invalidation

        register_lookups()
        _connect_cache_invalidation()
        warm_up_redis_clients()


def warm_up_redis_clients() -> None:
    """Import redis-py and kombu's Redis transport and build the cache's connection pool at
    start-up, not in the first request: that set-up (0.2–0.4 s on a busy machine) made the
    first request of every worker slow, and with a hung Redis it came on top of the timeout
    (review M6). No network I/O: a Redis that is down or hung costs nothing here."""
    from django.conf import settings
    from django.core.cache import caches

    from .cache import CircuitBreakerRedisCache

    cache = caches["default"]
    if isinstance(cache, CircuitBreakerRedisCache):
        cache.warm_up()
    if str(getattr(settings, "CELERY_BROKER_URL", "")).startswith(("redis://", "rediss://")):
        import kombu.transport.redis  # noqa: F401
